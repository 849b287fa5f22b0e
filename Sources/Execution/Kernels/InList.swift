import Columnar

/// A hash of raw bytes (FNV-1a over 8-byte words, then mixed).
@inline(__always)
func hashBytes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    var index = 0
    while index + 8 <= bytes.count {
        hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01B3
        index += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.count {
        tail |= UInt64(bytes[index]) << shift
        shift += 8
        index += 1
    }
    hash = (hash ^ tail) &* 0x0000_0100_0000_01B3
    hash ^= hash >> 29
    hash = hash &* 0xbf58_476d_1ce4_e5b9
    return hash ^ (hash >> 32)
}

/// An immutable open-addressing set of byte strings, probed without allocating.
struct ByteStringSet: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var storage: [UInt8] = []
    private let mask: Int

    init(_ strings: [[UInt8]]) {
        var capacity = 8
        while capacity < strings.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        for string in strings {
            let contained = string.withUnsafeBytes { contains($0) }
            if contained { continue }
            let hash = string.withUnsafeBytes { hashBytes($0) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(hashes.count)
            hashes.append(hash)
            starts.append(storage.count)
            lengths.append(string.count)
            storage.append(contentsOf: string)
        }
    }

    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let hash = hashBytes(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return false }
            if hashes[entry] == hash && lengths[entry] == bytes.count {
                let equal = storage.withUnsafeBytes {
                    equalBytes(UnsafeRawBufferPointer(rebasing: $0[starts[entry]..<(starts[entry] + lengths[entry])]), bytes)
                }
                if equal { return true }
            }
            slot = (slot + 1) & mask
        }
    }
}

/// An immutable open-addressing hash set of integers (linear probing, load factor at most one half).
struct IntegerSet<Key: FixedWidthInteger & Sendable>: Sendable {
    private var slots: [Key]
    private let mask: Int
    private let shift: UInt64
    /// The value marking empty slots, and whether it is itself a member.
    private let empty: Key
    private let containsEmpty: Bool

    init<S: Sequence>(_ keys: S) where S.Element == Key {
        let unique = Array(Set(keys))
        var capacity = 16
        while capacity < unique.count * 2 { capacity *= 2 }
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        empty = Key.min
        containsEmpty = unique.contains(Key.min)
        slots = [Key](repeating: Key.min, count: capacity)
        for key in unique where key != Key.min {
            var slot = slotIndex(key)
            while slots[slot] != empty { slot = (slot + 1) & mask }
            slots[slot] = key
        }
    }

    @inline(__always)
    private func slotIndex(_ key: Key) -> Int {
        var folded = UInt64(truncatingIfNeeded: key)
        if Key.bitWidth > 64 { folded ^= UInt64(truncatingIfNeeded: key >> 64) }
        return Int(truncatingIfNeeded: (folded &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func contains(_ key: Key) -> Bool {
        if key == empty { return containsEmpty }
        return slots.withUnsafeBufferPointer { slots in
            var slot = slotIndex(key)
            while true {
                let value = slots[slot]
                if value == key { return true }
                if value == empty { return false }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// The constant values of an IN list, ready for membership tests of one storage type.
enum MembershipSet: Sendable {
    case integers(IntegerSet<Int64>)
    case wide(IntegerSet<Int128>)
    case doubles(Set<Double>)
    case strings(ByteStringSet)
    case booleans(hasTrue: Bool, hasFalse: Bool)

    /// Builds the set from a column of the (non-null) list values, of the operand's type.
    init(_ column: Column) throws {
        let count = column.count
        switch column.dataType {
        case .int8: self = .integers(IntegerSet((0..<count).map { Int64(column.value(at: $0, as: Int8.self)) }))
        case .int16: self = .integers(IntegerSet((0..<count).map { Int64(column.value(at: $0, as: Int16.self)) }))
        case .int32, .date32: self = .integers(IntegerSet((0..<count).map { Int64(column.value(at: $0, as: Int32.self)) }))
        case .int64: self = .integers(IntegerSet((0..<count).map { column.value(at: $0, as: Int64.self) }))
        case .decimal128: self = .wide(IntegerSet((0..<count).map { column.value(at: $0, as: Int128.self) }))
        case .interval: self = .wide(IntegerSet((0..<count).map { intervalKey(column.value(at: $0, as: IntervalValue.self)) }))
        case .float32: self = .doubles(Set((0..<count).map { Double(column.value(at: $0, as: Float.self)) }))
        case .float64: self = .doubles(Set((0..<count).map { column.value(at: $0, as: Double.self) }))
        case .utf8: self = .strings(ByteStringSet((0..<count).map { Array(column.stringBytes(at: $0)) }))
        case .boolean:
            let values = (0..<count).map { column.boolean(at: $0) }
            self = .booleans(hasTrue: values.contains(true), hasFalse: values.contains(false))
        case .null: throw ExecutionError("IN list of type NULL")
        }
    }

    /// Writes into `out` the words of "row is in the set" for a vector of the set's type.
    func membershipWords(_ vector: Vector, into out: UnsafeMutablePointer<UInt64>, count: Int) {
        func run<T>(_ type: T.Type, _ test: (T) -> Bool) {
            predicateUnary(vector.operand(T.self), into: out, count: count, test)
        }
        switch (self, vector.dataType) {
        case (.integers(let set), .int8): run(Int8.self) { set.contains(Int64($0)) }
        case (.integers(let set), .int16): run(Int16.self) { set.contains(Int64($0)) }
        case (.integers(let set), .int32), (.integers(let set), .date32): run(Int32.self) { set.contains(Int64($0)) }
        case (.integers(let set), _): run(Int64.self) { set.contains($0) }
        case (.wide(let set), .interval): run(IntervalValue.self) { set.contains(intervalKey($0)) }
        case (.wide(let set), _): run(Int128.self) { set.contains($0) }
        case (.doubles(let set), .float32): run(Float.self) { set.contains(Double($0)) }
        case (.doubles(let set), _): run(Double.self) { set.contains($0) }
        case (.strings(let set), _):
            predicateStrings(StringOperand(vector), .scalar(UnsafeRawBufferPointer(start: nil, count: 0)), into: out,
                             count: count) { text, _ in set.contains(text) }
        case (.booleans(let hasTrue, let hasFalse), _):
            let values = BitmapKernels.readable(vector.column.values!, count: vector.isConstant ? 1 : count)
            let bits = values.typed(UInt64.self)
            defer { withExtendedLifetime(values) {} }
            if vector.isConstant {
                let member = vector.column.boolean(at: 0) ? hasTrue : hasFalse
                for index in 0..<BitmapKernels.wordCount(count) { out[index] = member ? ~0 : 0 }
            } else {
                for index in 0..<BitmapKernels.wordCount(count) {
                    out[index] = (hasTrue ? bits[index] : 0) | (hasFalse ? ~bits[index] : 0)
                }
            }
        }
    }
}
