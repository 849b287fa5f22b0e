import Columnar

/// A key of up to 24 bytes held in three words, compared and hashed without touching any other memory.
struct PackedKey: Equatable {
    var first: UInt64
    var second: UInt64
    var third: UInt64

    static let zero = PackedKey(first: 0, second: 0, third: 0)

    /// A hash of the three words.
    @inline(__always)
    var hash: UInt64 {
        var state = first &* KeyHashing.multiplier
        state = (state ^ second) &* 0xC2B2_AE3D_27D4_EB4F
        state = (state ^ third) &* 0x1656_67B1_9E37_79F9
        return KeyHashing.mix(state)
    }
}

/// Where each key column lives inside a `PackedKey`.
///
/// Every column takes a fixed byte range. Its first byte is 0 for NULL (the rest of the range then stays
/// zero). Otherwise, fixed-width values follow a flag byte of 1, booleans are the byte 1 (false) or 2 (true),
/// and strings are the byte `length + 1` followed by their bytes, zero-padded, which limits their length to
/// the range size minus one. The bytes of two keys are thus equal exactly when the keys are (NULL equal to
/// NULL). Floating-point and interval keys are not packed (their equality is not bytewise).
struct PackedKeyLayout {
    /// The most bytes a key can take.
    static let capacity = MemoryLayout<PackedKey>.size

    /// The key types, in order.
    let types: [DataType]
    /// The first byte of each column's range.
    let offsets: [Int]
    /// The size of each column's range.
    let sizes: [Int]

    /// The layout for `types`, or nil when a type cannot be packed or the fixed-width columns leave less than
    /// two bytes (one character) for each string column.
    init?(types: [DataType]) {
        var fixedBytes = 0
        var stringCount = 0
        for type in types {
            switch type {
            case .boolean: fixedBytes += 1
            case .int8, .int16, .int32, .int64, .date32, .decimal128: fixedBytes += 1 + (type.byteWidth ?? 0)
            case .utf8: stringCount += 1
            case .null, .float32, .float64, .interval: return nil
            }
        }
        let left = PackedKeyLayout.capacity - fixedBytes
        guard left >= 0, stringCount == 0 || left / stringCount >= 2 else { return nil }
        let stringSize = stringCount == 0 ? 0 : left / stringCount
        var offsets: [Int] = [], sizes: [Int] = []
        var offset = 0
        for type in types {
            let size: Int
            switch type {
            case .boolean: size = 1
            case .utf8: size = stringSize
            default: size = 1 + (type.byteWidth ?? 0)
            }
            offsets.append(offset)
            sizes.append(size)
            offset += size
        }
        self.types = types
        self.offsets = offsets
        self.sizes = sizes
    }

    /// Whether every non-null string of the first `rowCount` rows fits its range.
    func fits(_ columns: [Column], rowCount: Int) -> Bool {
        for (position, column) in columns.enumerated() where column.dataType == .utf8 {
            if tooLongRows(column, position: position, rowCount: rowCount) != nil { return false }
        }
        return true
    }

    /// The rows whose string in column `position` is too long for its range; nil when there are none.
    func tooLongRows(_ column: Column, position: Int, rowCount: Int) -> [Int]? {
        guard let offsetBuffer = column.values else { return nil }
        let offsets = offsetBuffer.typed(Int32.self)
        let limit = sizes[position] - 1
        var longest = 0
        for row in 0..<rowCount { longest = Swift.max(longest, Int(offsets[row + 1]) - Int(offsets[row])) }
        if longest <= limit { return nil }
        let rows = (0..<rowCount).filter { Int(offsets[$0 + 1]) - Int(offsets[$0]) > limit && !column.isNull($0) }
        return rows.isEmpty ? nil : rows
    }

    /// Writes the first `rowCount` rows of `columns` into `keys` (zeroed beforehand). Strings too long for
    /// their range are cut short; callers check `fits` or `tooLongRows` first.
    func pack(_ columns: [Column], rowCount: Int, into keys: UnsafeMutablePointer<PackedKey>) {
        let base = UnsafeMutableRawPointer(keys)
        let stride = MemoryLayout<PackedKey>.stride
        for (position, column) in columns.enumerated() {
            let offset = offsets[position]
            let validity = column.validity.map { UnsafeRawPointer($0.pointer) }
            switch column.dataType {
            case .null:
                continue
            case .boolean:
                guard let values = column.values else { continue }
                for row in 0..<rowCount where validity.map({ Bitmap.isSet($0, row) }) ?? true {
                    let byte: UInt8 = Bitmap.isSet(values.pointer, row) ? 2 : 1
                    base.storeBytes(of: byte, toByteOffset: row &* stride &+ offset, as: UInt8.self)
                }
            case .int8: packFixed(column, Int8.self, rowCount, base, offset, validity)
            case .int16: packFixed(column, Int16.self, rowCount, base, offset, validity)
            case .int32, .date32: packFixed(column, Int32.self, rowCount, base, offset, validity)
            case .int64: packFixed(column, Int64.self, rowCount, base, offset, validity)
            case .decimal128: packFixed(column, Int128.self, rowCount, base, offset, validity)
            case .utf8:
                guard let offsetBuffer = column.values else { continue }
                let starts = offsetBuffer.typed(Int32.self)
                let data = UnsafeRawPointer(column.data?.pointer ?? offsetBuffer.pointer)
                let limit = sizes[position] - 1
                // Strings of up to 8 bytes are moved as one masked word when the word can be read within the
                // data buffer and written within the key (its zero bytes may spill into the next column's
                // range, which that column writes afterwards, or leaves zero).
                let readable = column.data?.capacity ?? 0
                let wordFits = offset + 9 <= PackedKeyLayout.capacity
                for row in 0..<rowCount {
                    if let validity, !Bitmap.isSet(validity, row) { continue }
                    let start = Int(starts[row])
                    let length = Swift.min(Int(starts[row + 1]) - start, limit)
                    let target = base + (row &* stride &+ offset)
                    target.storeBytes(of: UInt8(truncatingIfNeeded: length + 1), as: UInt8.self)
                    if wordFits && length <= 8 && start &+ 8 <= readable {
                        let word = data.loadUnaligned(fromByteOffset: start, as: UInt64.self)
                        let mask: UInt64 = length == 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: length &* 8)) &- 1
                        target.storeBytes(of: word & mask, toByteOffset: 1, as: UInt64.self)
                        continue
                    }
                    for index in 0..<length {
                        target.storeBytes(of: data.load(fromByteOffset: start &+ index, as: UInt8.self),
                                          toByteOffset: 1 &+ index, as: UInt8.self)
                    }
                }
            case .float32, .float64, .interval:
                continue
            }
        }
    }

    @inline(__always)
    private func packFixed<T>(_ column: Column, _ type: T.Type, _ rowCount: Int, _ base: UnsafeMutableRawPointer,
                              _ offset: Int, _ validity: UnsafeRawPointer?) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        let stride = MemoryLayout<PackedKey>.stride
        for row in 0..<rowCount {
            if let validity, !Bitmap.isSet(validity, row) { continue }
            let target = base + (row &* stride &+ offset)
            target.storeBytes(of: 1, as: UInt8.self)
            target.storeBytes(of: values[row], toByteOffset: 1, as: T.self)
        }
    }

    /// The key columns of `keys`, one row per key (the inverse of `pack`).
    func unpack(_ keys: UnsafeBufferPointer<PackedKey>) -> [Column] {
        let base = UnsafeRawPointer(keys.baseAddress)
        let stride = MemoryLayout<PackedKey>.stride
        return types.enumerated().map { position, type in
            var builder = ColumnBuilder(type, capacity: keys.count)
            guard let base else { return builder.finish() }
            for row in 0..<keys.count {
                let start = base + (row &* stride &+ offsets[position])
                let flag = start.load(as: UInt8.self)
                if flag == 0 {
                    builder.appendNull()
                    continue
                }
                switch type {
                case .boolean: builder.append(flag == 2)
                case .int8: builder.append(start.loadUnaligned(fromByteOffset: 1, as: Int8.self))
                case .int16: builder.append(start.loadUnaligned(fromByteOffset: 1, as: Int16.self))
                case .int32, .date32: builder.append(start.loadUnaligned(fromByteOffset: 1, as: Int32.self))
                case .int64: builder.append(start.loadUnaligned(fromByteOffset: 1, as: Int64.self))
                case .decimal128: builder.append(start.loadUnaligned(fromByteOffset: 1, as: Int128.self))
                case .utf8: builder.append(bytes: UnsafeRawBufferPointer(start: start + 1, count: Int(flag) - 1))
                case .null, .float32, .float64, .interval: builder.appendNull()
                }
            }
            return builder.finish()
        }
    }
}

/// A group table for several keys (or one string key) that pack into 24 bytes (`PackedKeyLayout`): each row's
/// key is packed into three words and looked up by open addressing (linear probing), with the key inline in
/// its slot, so a lookup hashes three words and usually touches one cache line. Two TPC-H flags, a ship mode
/// or a supplier name, and two BIGINT keys all pack.
///
/// When a string longer than its range arrives for insertion, the table moves its groups, in order, into an
/// `EncodedKeyTable` and forwards every later call there. Lookups never move: a key too long to pack cannot
/// be in the table, so such rows are simply not found. The table is safe to share read-only once built.
final class PackedKeyTable: GroupKeyTable {
    private struct Slot {
        var key: PackedKey
        /// The group, or -1 for an empty slot.
        var group: Int32
    }

    private let layout: PackedKeyLayout
    private let expectedCount: Int
    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    /// The key of every group, in group order (to hand them over to `fallback`).
    private var groupKeys: [PackedKey] = []
    /// The table every call goes to once a key did not pack.
    private var fallback: EncodedKeyTable?

    init(layout: PackedKeyLayout, expectedCount: Int = 256) {
        self.layout = layout
        self.expectedCount = expectedCount
        var capacity = 16
        while capacity < expectedCount * 2 { capacity *= 2 }
        self.capacity = capacity
        slots = PackedKeyTable.allocateSlots(capacity)
    }

    deinit { slots.deallocate() }

    var count: Int { fallback?.count ?? groupKeys.count }

    private static func allocateSlots(_ capacity: Int) -> UnsafeMutablePointer<Slot> {
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(key: .zero, group: -1), count: capacity)
        return slots
    }

    /// Runs `body` on the packed keys of the first `rowCount` rows.
    private func withPackedKeys<R>(_ keyColumns: [Column], rowCount: Int,
                                   _ body: (UnsafeMutablePointer<PackedKey>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: PackedKey.self, capacity: Swift.max(rowCount, 1)) { buffer in
            let keys = buffer.baseAddress!
            keys.initialize(repeating: .zero, count: Swift.max(rowCount, 1))
            layout.pack(keyColumns, rowCount: rowCount, into: keys)
            return body(keys)
        }
    }

    func findOrInsert(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], newRows: inout [Int32]) throws {
        if let fallback { return try fallback.findOrInsert(keyColumns, rowCount: rowCount, groups: &groups, newRows: &newRows) }
        try validateKeyColumns(keyColumns, types: layout.types, rowCount: rowCount)
        guard layout.fits(keyColumns, rowCount: rowCount) else {
            let table = try movedToFallback()
            return try table.findOrInsert(keyColumns, rowCount: rowCount, groups: &groups, newRows: &newRows)
        }
        if groups.count != rowCount { groups = [Int32](repeating: 0, count: rowCount) }
        withPackedKeys(keyColumns, rowCount: rowCount) { keys in
            groups.withUnsafeMutableBufferPointer { groups in
                for row in 0..<rowCount {
                    groups[row] = findOrInsert(keys[row], row: row, newRows: &newRows)
                }
            }
        }
    }

    @inline(__always)
    private func findOrInsert(_ key: PackedKey, row: Int, newRows: inout [Int32]) -> Int32 {
        if (groupKeys.count + 1) * 2 > capacity { grow() }
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: key.hash) & mask
        while true {
            let slot = slots[index]
            if slot.group < 0 {
                let group = Int32(truncatingIfNeeded: groupKeys.count)
                slots[index] = Slot(key: key, group: group)
                groupKeys.append(key)
                newRows.append(Int32(truncatingIfNeeded: row))
                return group
            }
            if slot.key == key { return slot.group }
            index = (index + 1) & mask
        }
    }

    func find(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], nullsMatch: Bool) throws {
        if let fallback { return try fallback.find(keyColumns, rowCount: rowCount, groups: &groups, nullsMatch: nullsMatch) }
        try validateKeyColumns(keyColumns, types: layout.types, rowCount: rowCount)
        if groups.count != rowCount { groups = [Int32](repeating: -1, count: rowCount) }
        withPackedKeys(keyColumns, rowCount: rowCount) { keys in
            groups.withUnsafeMutableBufferPointer { groups in
                let mask = capacity - 1
                for row in 0..<rowCount {
                    let key = keys[row]
                    var index = Int(truncatingIfNeeded: key.hash) & mask
                    var group: Int32 = -1
                    while true {
                        let slot = slots[index]
                        if slot.group < 0 { break }
                        if slot.key == key {
                            group = slot.group
                            break
                        }
                        index = (index + 1) & mask
                    }
                    groups[row] = group
                }
            }
        }
        // Rows whose string did not pack were looked up cut short: they are in no group.
        for (position, column) in keyColumns.enumerated() where column.dataType == .utf8 {
            for row in layout.tooLongRows(column, position: position, rowCount: rowCount) ?? [] { groups[row] = -1 }
        }
        if !nullsMatch, let nullRows = rowsWithNullKeys(keyColumns, rowCount: rowCount) {
            for row in 0..<rowCount where nullRows[row] { groups[row] = -1 }
        }
    }

    /// Moves every group, in order, into an `EncodedKeyTable` that takes over from now on.
    private func movedToFallback() throws -> EncodedKeyTable {
        let table = EncodedKeyTable(types: layout.types, expectedCount: Swift.max(expectedCount, groupKeys.count))
        let columns = groupKeys.withUnsafeBufferPointer { layout.unpack($0) }
        var groups: [Int32] = [], newRows: [Int32] = []
        try table.findOrInsert(columns, rowCount: groupKeys.count, groups: &groups, newRows: &newRows)
        guard table.count == groupKeys.count else {
            throw ExecutionError("internal error: packed keys did not move to distinct groups")
        }
        fallback = table
        groupKeys = []
        slots.deallocate()
        capacity = 1
        slots = PackedKeyTable.allocateSlots(1)
        return table
    }

    private func grow() {
        let oldSlots = slots, oldCapacity = capacity
        capacity = Swift.max(16, capacity * 2)
        slots = PackedKeyTable.allocateSlots(capacity)
        let mask = capacity - 1
        for index in 0..<oldCapacity where oldSlots[index].group >= 0 {
            let slot = oldSlots[index]
            var target = Int(truncatingIfNeeded: slot.key.hash) & mask
            while slots[target].group >= 0 { target = (target + 1) & mask }
            slots[target] = slot
        }
        oldSlots.deallocate()
    }
}
