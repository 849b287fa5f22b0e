import Columnar

/// A group table for one integer (or date) key. NULL is its own group.
///
/// While the keys seen span a range that is small and dense enough, groups live in a plain array indexed by
/// `key - base` (a "perfect hash": no hashing, and sorted keys touch memory sequentially). Once the range
/// grows too large or sparse, the table switches to open addressing with linear probing, each slot holding
/// the key inline next to its group so that a lookup usually touches a single cache line.
final class IntegerKeyTable: GroupKeyTable {
    private struct Slot {
        var key: Int64
        /// The group, or -1 for an empty slot.
        var group: Int32
    }

    /// The largest key range kept as a direct array (entries of 4 bytes).
    private static let maximumDirectRange = 1 << 24
    /// Ranges up to this size stay direct however sparse they are.
    private static let alwaysDirectRange = 1 << 16
    /// Batches of at least this many rows size the direct array for their whole key range at once.
    private static let presizingRowCount = 4096
    /// Larger ranges stay direct while they hold at most this many entries per key (expected or seen). A
    /// sparse direct array still beats hashing: one load per lookup, and sorted probes read it sequentially.
    private static let directEntriesPerKey = 64

    private let type: DataType
    private var isDirect = true
    /// Direct mode: `direct[key - base]` is the key's group or -1, for `directSize` keys from `base`.
    private var direct: UnsafeMutablePointer<Int32>?
    private var directSize = 0
    private var base: Int64 = 0
    /// Hashed mode.
    private var slots: UnsafeMutablePointer<Slot>?
    private var capacity = 0
    private var nullGroup: Int32 = -1
    private(set) var count = 0
    /// The number of non-null keys.
    private var keyCount = 0
    private let expectedCount: Int

    init(type: DataType, expectedCount: Int = 256) {
        self.type = type
        self.expectedCount = expectedCount
    }

    deinit {
        direct?.deallocate()
        slots?.deallocate()
    }

    @inline(__always)
    private static func hash(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: KeyHashing.mix(UInt64(bitPattern: key)))
    }

    @inline(__always)
    private func newGroup(row: Int, _ newRows: inout [Int32]) -> Int32 {
        let group = Int32(truncatingIfNeeded: count)
        count += 1
        keyCount += 1
        newRows.append(Int32(truncatingIfNeeded: row))
        return group
    }

    @inline(__always)
    private func findOrInsert(_ key: Int64, row: Int, newRows: inout [Int32]) -> Int32 {
        while isDirect {
            let offset = UInt64(bitPattern: key &- base)
            if let direct, offset < UInt64(directSize) {
                let existing = direct[Int(offset)]
                if existing >= 0 { return existing }
                let group = newGroup(row: row, &newRows)
                direct[Int(offset)] = group
                return group
            }
            widenDirectRange(toInclude: key)
        }
        return findOrInsertHashed(key, row: row, newRows: &newRows)
    }

    @inline(__always)
    private func findOrInsertHashed(_ key: Int64, row: Int, newRows: inout [Int32]) -> Int32 {
        if (keyCount + 1) * 2 > capacity { growHashed() }
        guard let slots else { return -1 }
        let mask = capacity - 1
        var index = IntegerKeyTable.hash(key) & mask
        while true {
            let slot = slots[index]
            if slot.group < 0 {
                let group = newGroup(row: row, &newRows)
                slots[index] = Slot(key: key, group: group)
                return group
            }
            if slot.key == key { return slot.group }
            index = (index + 1) & mask
        }
    }

    @inline(__always)
    private func find(_ key: Int64) -> Int32 {
        if isDirect {
            let offset = UInt64(bitPattern: key &- base)
            guard let direct, offset < UInt64(directSize) else { return -1 }
            return direct[Int(offset)]
        }
        guard let slots else { return -1 }
        let mask = capacity - 1
        var index = IntegerKeyTable.hash(key) & mask
        while true {
            let slot = slots[index]
            if slot.group < 0 { return -1 }
            if slot.key == key { return slot.group }
            index = (index + 1) & mask
        }
    }

    /// Grows the direct array to cover `key`, or switches to hashing when the range would be too large or sparse.
    private func widenDirectRange(toInclude key: Int64) {
        guard let direct else {
            let size = IntegerKeyTable.alwaysDirectRange / 16
            let array = UnsafeMutablePointer<Int32>.allocate(capacity: size)
            array.initialize(repeating: -1, count: size)
            self.direct = array
            directSize = size
            // Start a little below the first key, so that keys arriving in either order fit for a while.
            base = key.subtractingReportingOverflow(Int64(size / 4)).overflow ? key : key - Int64(size / 4)
            return
        }
        let (end, endOverflow) = base.addingReportingOverflow(Int64(directSize))
        let low = min(base, key)
        let (high, highOverflow) = endOverflow ? (Int64.max, true) : (max(end, key &+ 1), key == Int64.max)
        let (span, spanOverflow) = high.subtractingReportingOverflow(low)
        let keys = max(keyCount, expectedCount) + 1
        let limit = min(IntegerKeyTable.maximumDirectRange,
                        max(IntegerKeyTable.alwaysDirectRange, IntegerKeyTable.directEntriesPerKey * keys))
        if endOverflow || highOverflow || spanOverflow || span > Int64(limit) {
            switchToHashing()
            return
        }
        let newSize = min(max(Int(span), 2 * directSize), limit)
        var newBase = low
        if key < base {
            // Growing downwards: keep the slack below the keys.
            let (downward, overflow) = high.subtractingReportingOverflow(Int64(newSize))
            if !overflow { newBase = downward }
        }
        let array = UnsafeMutablePointer<Int32>.allocate(capacity: newSize)
        array.initialize(repeating: -1, count: newSize)
        let shift = Int(base - newBase)
        (array + shift).update(from: direct, count: directSize)
        direct.deallocate()
        self.direct = array
        directSize = newSize
        base = newBase
    }

    /// Makes the direct array cover `low...high` in one allocation when the range, with the keys already in
    /// the table, stays within the direct limits for `keys` more keys; otherwise leaves the table as it is.
    private func reserveDirectRange(low: Int64, high: Int64, keys: Int) {
        let currentEnd = base.addingReportingOverflow(Int64(directSize))
        if direct != nil && currentEnd.overflow { return }
        let newLow = direct == nil ? low : Swift.min(base, low)
        let newHigh = direct == nil ? high : Swift.max(currentEnd.partialValue - 1, high)
        let (span, overflow) = newHigh.subtractingReportingOverflow(newLow)
        let expected = Swift.max(keyCount + keys, expectedCount) + 1
        let limit = min(IntegerKeyTable.maximumDirectRange,
                        max(IntegerKeyTable.alwaysDirectRange, IntegerKeyTable.directEntriesPerKey * expected))
        guard !overflow, span < Int64(limit), direct == nil || newLow < base || newHigh > currentEnd.partialValue - 1 else {
            return
        }
        let newSize = Int(span) + 1
        let array = UnsafeMutablePointer<Int32>.allocate(capacity: newSize)
        array.initialize(repeating: -1, count: newSize)
        if let direct {
            (array + Int(base - newLow)).update(from: direct, count: directSize)
            direct.deallocate()
        }
        self.direct = array
        directSize = newSize
        base = newLow
    }

    private func switchToHashing() {
        isDirect = false
        var capacity = 16
        while capacity < max(keyCount, expectedCount) * 2 { capacity *= 2 }
        allocateSlots(capacity)
        if let direct, let slots {
            let mask = capacity - 1
            for offset in 0..<directSize where direct[offset] >= 0 {
                let key = base &+ Int64(offset)
                var index = IntegerKeyTable.hash(key) & mask
                while slots[index].group >= 0 { index = (index + 1) & mask }
                slots[index] = Slot(key: key, group: direct[offset])
            }
            direct.deallocate()
        }
        direct = nil
        directSize = 0
    }

    private func allocateSlots(_ newCapacity: Int) {
        let newSlots = UnsafeMutablePointer<Slot>.allocate(capacity: newCapacity)
        newSlots.initialize(repeating: Slot(key: 0, group: -1), count: newCapacity)
        slots = newSlots
        capacity = newCapacity
    }

    private func growHashed() {
        let oldSlots = slots, oldCapacity = capacity
        allocateSlots(max(16, capacity * 2))
        guard let oldSlots, let slots else { return }
        let mask = capacity - 1
        for index in 0..<oldCapacity where oldSlots[index].group >= 0 {
            let slot = oldSlots[index]
            var target = IntegerKeyTable.hash(slot.key) & mask
            while slots[target].group >= 0 { target = (target + 1) & mask }
            slots[target] = slot
        }
        oldSlots.deallocate()
    }

    func findOrInsert(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], newRows: inout [Int32]) throws {
        try validateKeyColumns(keyColumns, types: [type], rowCount: rowCount)
        if groups.count != rowCount { groups = [Int32](repeating: 0, count: rowCount) }
        let column = keyColumns[0]
        groups.withUnsafeMutableBufferPointer { groups in
            switch column.dataType {
            case .int8: insertAll(column, Int8.self, rowCount, groups, &newRows)
            case .int16: insertAll(column, Int16.self, rowCount, groups, &newRows)
            case .int32, .date32: insertAll(column, Int32.self, rowCount, groups, &newRows)
            case .int64: insertAll(column, Int64.self, rowCount, groups, &newRows)
            default:
                // An untyped NULL column: every row is in the NULL group.
                for row in 0..<rowCount { groups[row] = nullGroupInserting(row: row, &newRows) }
            }
        }
    }

    @inline(__always)
    private func nullGroupInserting(row: Int, _ newRows: inout [Int32]) -> Int32 {
        if nullGroup < 0 {
            nullGroup = Int32(truncatingIfNeeded: count)
            count += 1
            newRows.append(Int32(truncatingIfNeeded: row))
        }
        return nullGroup
    }

    @inline(__always)
    private func insertAll<T: FixedWidthInteger>(_ column: Column, _ type: T.Type, _ rowCount: Int,
                                                  _ groups: UnsafeMutableBufferPointer<Int32>, _ newRows: inout [Int32]) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        if isDirect && column.validity == nil && rowCount >= IntegerKeyTable.presizingRowCount {
            // A large batch (a join's whole build side): size the direct array for its keys at once rather
            // than doubling it (and touching fresh pages) again and again.
            var low = values[0], high = values[0]
            for row in 1..<rowCount {
                low = Swift.min(low, values[row])
                high = Swift.max(high, values[row])
            }
            reserveDirectRange(low: Int64(truncatingIfNeeded: low), high: Int64(truncatingIfNeeded: high), keys: rowCount)
        }
        if let validity = column.validity {
            for row in 0..<rowCount {
                groups[row] = Bitmap.isSet(validity.pointer, row)
                    ? findOrInsert(Int64(truncatingIfNeeded: values[row]), row: row, newRows: &newRows)
                    : nullGroupInserting(row: row, &newRows)
            }
        } else {
            for row in 0..<rowCount {
                groups[row] = findOrInsert(Int64(truncatingIfNeeded: values[row]), row: row, newRows: &newRows)
            }
        }
    }

    func find(_ keyColumns: [Column], rowCount: Int, groups: inout [Int32], nullsMatch: Bool) throws {
        try validateKeyColumns(keyColumns, types: [type], rowCount: rowCount)
        if groups.count != rowCount { groups = [Int32](repeating: -1, count: rowCount) }
        let column = keyColumns[0]
        let nullResult = nullsMatch ? nullGroup : -1
        groups.withUnsafeMutableBufferPointer { groups in
            switch column.dataType {
            case .int8: findAll(column, Int8.self, rowCount, groups, nullResult)
            case .int16: findAll(column, Int16.self, rowCount, groups, nullResult)
            case .int32, .date32: findAll(column, Int32.self, rowCount, groups, nullResult)
            case .int64: findAll(column, Int64.self, rowCount, groups, nullResult)
            default: for row in 0..<rowCount { groups[row] = nullResult }
            }
        }
    }

    @inline(__always)
    private func findAll<T: FixedWidthInteger>(_ column: Column, _ type: T.Type, _ rowCount: Int,
                                                _ groups: UnsafeMutableBufferPointer<Int32>, _ nullResult: Int32) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        if let validity = column.validity {
            for row in 0..<rowCount {
                groups[row] = Bitmap.isSet(validity.pointer, row) ? find(Int64(truncatingIfNeeded: values[row])) : nullResult
            }
        } else {
            for row in 0..<rowCount { groups[row] = find(Int64(truncatingIfNeeded: values[row])) }
        }
    }
}
