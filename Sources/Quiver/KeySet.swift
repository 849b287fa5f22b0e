import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Hash sets of key tuples for PRIMARY KEY / UNIQUE checking. Execution's group-key tables are internal to that
// module, so constraint checking keeps its own small open-addressing sets: one for a single integer-like key
// stored inline, one over encoded key bytes for everything else. Both work on raw buffers, dispatch on the key
// types once per batch, and skip rows with a NULL in any key column (NULLs never conflict).

/// A set of keys: the values of a row's key columns.
protocol KeySet: AnyObject {
    /// The number of keys in the set.
    var count: Int { get }
    /// Adds the keys of rows `0..<rowCount`; returns the first row whose key was present already (the set is then
    /// left with the keys before that row added), or nil when every key was new.
    func insert(_ keyColumns: [Column], rowCount: Int) -> Int?
    /// The first row of `0..<rowCount` whose key is in the set, or nil.
    func firstContained(_ keyColumns: [Column], rowCount: Int) -> Int?
}

/// The set best suited to keys of `types`.
func makeKeySet(types: [DataType], expectedCount: Int) -> any KeySet {
    if types.count == 1, IntegerKeySet.supports(types[0]) {
        return IntegerKeySet(type: types[0], expectedCount: expectedCount)
    }
    return EncodedKeySet(types: types, expectedCount: expectedCount)
}

/// Mixes a 64-bit value (the finalizer of SplitMix64).
@inline(__always)
private func mix(_ value: UInt64) -> UInt64 {
    var x = value &+ 0x9E37_79B9_7F4A_7C15
    x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
    x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
    return x ^ (x >> 31)
}

/// The smallest power of two holding `count` entries at most half full (at least 16).
private func tableCapacity(for count: Int) -> Int {
    var capacity = 16
    while capacity < count * 2, capacity < Int.max / 4 { capacity <<= 1 }
    return capacity
}

// MARK: - Integer keys

/// A set of one integer (or date) key column, with the values stored inline as `Int64`.
final class IntegerKeySet: KeySet {
    private let type: DataType
    private var slots: UnsafeMutablePointer<Int64>
    private var used: UnsafeMutablePointer<Bool>
    private var capacity: Int
    private(set) var count = 0
    /// The smallest and largest key in the set (meaningless while it is empty).
    private(set) var minimum = Int64.max
    private(set) var maximum = Int64.min

    static func supports(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .date32: return true
        default: return false
        }
    }

    init(type: DataType, expectedCount: Int) {
        self.type = type
        capacity = tableCapacity(for: max(expectedCount, 8))
        slots = .allocate(capacity: capacity)
        used = .allocate(capacity: capacity)
        used.initialize(repeating: false, count: capacity)
    }

    deinit {
        slots.deallocate()
        used.deallocate()
    }

    func insert(_ keyColumns: [Column], rowCount: Int) -> Int? {
        guard let column = keyColumns.first, column.dataType != .null else { return nil }
        switch type {
        case .int8: return run(column, rowCount, Int8.self, inserting: true)
        case .int16: return run(column, rowCount, Int16.self, inserting: true)
        case .int32, .date32: return run(column, rowCount, Int32.self, inserting: true)
        default: return run(column, rowCount, Int64.self, inserting: true)
        }
    }

    func firstContained(_ keyColumns: [Column], rowCount: Int) -> Int? {
        guard let column = keyColumns.first, column.dataType != .null, count > 0 else { return nil }
        switch type {
        case .int8: return run(column, rowCount, Int8.self, inserting: false)
        case .int16: return run(column, rowCount, Int16.self, inserting: false)
        case .int32, .date32: return run(column, rowCount, Int32.self, inserting: false)
        default: return run(column, rowCount, Int64.self, inserting: false)
        }
    }

    /// Inserts (or looks up) every non-null row of `column` read as `T`; the first duplicate (or found) row.
    private func run<T: FixedWidthInteger>(_ column: Column, _ rowCount: Int, _: T.Type, inserting: Bool) -> Int? {
        guard let buffer = column.values else { return nil }
        let values = buffer.typed(T.self)
        let hasNulls = column.nullCount > 0
        if inserting, (count + rowCount) * 2 > capacity { grow(to: tableCapacity(for: count + rowCount)) }
        let mask = capacity - 1
        for row in 0..<min(rowCount, column.count) {
            if hasNulls, column.isNull(row) { continue }
            let key = Int64(values[row])
            var slot = Int(truncatingIfNeeded: mix(UInt64(bitPattern: key))) & mask
            while used[slot] {
                if slots[slot] == key { return row }
                slot = (slot + 1) & mask
            }
            if inserting {
                used[slot] = true
                slots[slot] = key
                count += 1
                if key < minimum { minimum = key }
                if key > maximum { maximum = key }
            }
        }
        return nil
    }

    private func grow(to newCapacity: Int) {
        let oldSlots = slots, oldUsed = used, oldCapacity = capacity
        capacity = newCapacity
        slots = .allocate(capacity: capacity)
        used = .allocate(capacity: capacity)
        used.initialize(repeating: false, count: capacity)
        let mask = capacity - 1
        for index in 0..<oldCapacity where oldUsed[index] {
            let key = oldSlots[index]
            var slot = Int(truncatingIfNeeded: mix(UInt64(bitPattern: key))) & mask
            while used[slot] { slot = (slot + 1) & mask }
            used[slot] = true
            slots[slot] = key
        }
        oldSlots.deallocate()
        oldUsed.deallocate()
    }
}

// MARK: - Encoded keys

/// A set of keys of any types, each key encoded as bytes in an arena: fixed-width values as their bytes (floats
/// with -0 and NaN made canonical), strings with a length prefix.
final class EncodedKeySet: KeySet {
    private struct Slot {
        var hash: UInt64
        var offset: Int
        var length: Int
    }

    private let types: [DataType]
    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private(set) var count = 0
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var arenaUsed = 0

    init(types: [DataType], expectedCount: Int) {
        self.types = types
        capacity = tableCapacity(for: max(expectedCount, 8))
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, offset: -1, length: 0), count: capacity)
        arenaCapacity = 1 << 12
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    func insert(_ keyColumns: [Column], rowCount: Int) -> Int? {
        run(keyColumns, rowCount, inserting: true)
    }

    func firstContained(_ keyColumns: [Column], rowCount: Int) -> Int? {
        count == 0 ? nil : run(keyColumns, rowCount, inserting: false)
    }

    private func run(_ keyColumns: [Column], _ rowCount: Int, inserting: Bool) -> Int? {
        guard keyColumns.count == types.count else { return nil }
        if keyColumns.contains(where: { $0.dataType == .null }) { return nil }
        let nullable = keyColumns.filter { $0.nullCount > 0 }
        if inserting, (count + rowCount) * 2 > capacity { grow(to: tableCapacity(for: count + rowCount)) }
        for row in 0..<rowCount {
            if !nullable.isEmpty, nullable.contains(where: { $0.isNull(row) }) { continue }
            let start = arenaUsed
            for column in keyColumns { append(column, row) }
            let length = arenaUsed - start
            let hash = hashBytes(arena + start, length)
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            var found = false
            while slots[slot].offset >= 0 {
                let candidate = slots[slot]
                if candidate.hash == hash, candidate.length == length,
                   memcmp(arena + candidate.offset, arena + start, length) == 0 {
                    found = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if found {
                arenaUsed = start
                return row
            }
            if inserting {
                slots[slot] = Slot(hash: hash, offset: start, length: length)
                count += 1
            } else {
                arenaUsed = start
            }
        }
        return nil
    }

    /// Appends row `row` of `column` (not null) to the arena.
    @inline(__always)
    private func append(_ column: Column, _ row: Int) {
        switch column.dataType {
        case .boolean:
            appendValue(UInt8(column.boolean(at: row) ? 1 : 0))
        case .int8: appendValue(column.value(at: row, as: Int8.self))
        case .int16: appendValue(column.value(at: row, as: Int16.self))
        case .int32, .date32: appendValue(column.value(at: row, as: Int32.self))
        case .int64: appendValue(column.value(at: row, as: Int64.self))
        case .float32:
            let value = column.value(at: row, as: Float.self)
            appendValue(value.isNaN ? Float.nan.bitPattern : (value == 0 ? 0 : value.bitPattern))
        case .float64:
            let value = column.value(at: row, as: Double.self)
            appendValue(value.isNaN ? Double.nan.bitPattern : (value == 0 ? 0 : value.bitPattern))
        case .decimal128: appendValue(column.value(at: row, as: Int128.self))
        case .interval: appendValue(column.value(at: row, as: IntervalValue.self))
        case .utf8:
            let bytes = column.stringBytes(at: row)
            appendValue(Int64(bytes.count))
            reserve(bytes.count)
            if let base = bytes.baseAddress, bytes.count > 0 {
                (arena + arenaUsed).copyMemory(from: base, byteCount: bytes.count)
            }
            arenaUsed += bytes.count
        case .null:
            break
        }
    }

    @inline(__always)
    private func appendValue<T>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        (arena + arenaUsed).storeBytes(of: value, toByteOffset: 0, as: T.self)
        arenaUsed += MemoryLayout<T>.size
    }

    @inline(__always)
    private func reserve(_ bytes: Int) {
        guard arenaUsed + bytes > arenaCapacity else { return }
        var newCapacity = arenaCapacity * 2
        while newCapacity < arenaUsed + bytes { newCapacity *= 2 }
        let newArena = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        newArena.copyMemory(from: arena, byteCount: arenaUsed)
        arena.deallocate()
        arena = newArena
        arenaCapacity = newCapacity
    }

    private func hashBytes(_ pointer: UnsafeRawPointer, _ length: Int) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: length)
        var offset = 0
        while offset + 8 <= length {
            hash = mix(hash ^ pointer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < length {
            tail |= UInt64(pointer.load(fromByteOffset: offset, as: UInt8.self)) << shift
            shift += 8
            offset += 1
        }
        return mix(hash ^ tail ^ 0xA5A5)
    }

    private func grow(to newCapacity: Int) {
        let oldSlots = slots, oldCapacity = capacity
        capacity = newCapacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(hash: 0, offset: -1, length: 0), count: capacity)
        let mask = capacity - 1
        for index in 0..<oldCapacity where oldSlots[index].offset >= 0 {
            var slot = Int(truncatingIfNeeded: oldSlots[index].hash) & mask
            while slots[slot].offset >= 0 { slot = (slot + 1) & mask }
            slots[slot] = oldSlots[index]
        }
        oldSlots.deallocate()
    }
}
