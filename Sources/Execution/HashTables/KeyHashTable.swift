#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table (linear probing) mapping encoded keys to dense group numbers 0, 1, 2, ...
/// in order of first insertion.
///
/// Each slot packs the upper 32 bits of the key's hash with `group + 1` (0 marks an empty slot), so most
/// mismatches are rejected without touching the key bytes. Keys are copied into an arena; the table is
/// safe to share read-only between threads once built (for example as a hash join's build side).
final class KeyHashTable {
    /// The number of distinct keys.
    private(set) var count = 0
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private var arena: ByteArena
    private var keyStarts: [Int] = [0]
    private var keyHashes: [UInt64] = []
    /// The length of every key when all keys have the same length (keys then need no start offsets).
    private let keyLength: Int?

    /// Creates a table sized for about `expectedCount` keys; `keyLength` is the length of every key when the
    /// caller knows they all have one length (see `KeyEncoder.fixedLength`).
    init(expectedCount: Int = 256, keyLength: Int? = nil) {
        self.keyLength = keyLength
        var capacity = 16
        while capacity < expectedCount * 2 { capacity *= 2 }
        self.capacity = capacity
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        arena = ByteArena(capacity: 1024)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    /// The group of a key, or -1 when the table does not hold it.
    @inline(__always)
    func find(_ key: UnsafeRawPointer, length: Int, hash: UInt64) -> Int32 {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        let tag = KeyHashTable.tag(hash)
        while true {
            let slot = slots[index]
            if slot == 0 { return -1 }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let group = Int(slot & 0xFFFF_FFFF) - 1
                if matches(group, key, length) { return Int32(group) }
            }
            index = (index + 1) & mask
        }
    }

    /// The group of a key, inserting it as a new group when absent; `inserted` tells which happened.
    @inline(__always)
    func findOrInsert(_ key: UnsafeRawPointer, length: Int, hash: UInt64) -> (group: Int32, inserted: Bool) {
        if (count + 1) * 2 > capacity { grow() }
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        let tag = KeyHashTable.tag(hash)
        while true {
            let slot = slots[index]
            if slot == 0 {
                let group = count
                let start = arena.append(key, length: length)
                if keyLength == nil { keyStarts.append(start + length) }
                keyHashes.append(hash)
                slots[index] = tag | UInt64(group + 1)
                count += 1
                return (Int32(group), true)
            }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let group = Int(slot & 0xFFFF_FFFF) - 1
                if matches(group, key, length) { return (Int32(group), false) }
            }
            index = (index + 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ group: Int, _ key: UnsafeRawPointer, _ length: Int) -> Bool {
        if let keyLength {
            return keyLength == length && KeyHashTable.equal(arena.pointer + group &* keyLength, key, length)
        }
        let start = keyStarts[group]
        guard keyStarts[group + 1] - start == length else { return false }
        return KeyHashTable.equal(arena.pointer + start, key, length)
    }

    /// Whether `length` bytes at `a` and `b` are equal; keys up to 32 bytes are compared with (overlapping) word
    /// loads that stay within both keys, longer ones with `memcmp`.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ length: Int) -> Bool {
        if length >= 8 {
            if length > 16 {
                if length > 32 { return memcmp(a, b, length) == 0 }
                // 17 to 32 bytes: the first 16 and the (overlapping) last 16, as four word compares.
                let tail = length - 16
                return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                    && a.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    && a.loadUnaligned(fromByteOffset: tail, as: UInt64.self) == b.loadUnaligned(fromByteOffset: tail, as: UInt64.self)
                    && a.loadUnaligned(fromByteOffset: tail + 8, as: UInt64.self)
                        == b.loadUnaligned(fromByteOffset: tail + 8, as: UInt64.self)
            }
            let tail = length - 8
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: tail, as: UInt64.self) == b.loadUnaligned(fromByteOffset: tail, as: UInt64.self)
        }
        if length >= 4 {
            let tail = length - 4
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: tail, as: UInt32.self) == b.loadUnaligned(fromByteOffset: tail, as: UInt32.self)
        }
        var index = 0
        while index < length {
            if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
            index += 1
        }
        return true
    }



    /// Looks up every row of `keys`, setting `groups` to each row's group, or -1 when absent (and, with
    /// `skippingNullKeys`, for rows with a NULL key).
    func find(_ keys: EncodedKeys, groups: inout [Int32], skippingNullKeys: Bool) {
        if groups.count != keys.count { groups = [Int32](repeating: -1, count: keys.count) }
        keys.bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            keys.starts.withUnsafeBufferPointer { starts in
                keys.hashes.withUnsafeBufferPointer { hashes in
                    keys.hasNull.withUnsafeBufferPointer { hasNull in
                        groups.withUnsafeMutableBufferPointer { groups in
                            let skipNulls = skippingNullKeys && keys.anyNull
                            for row in 0..<keys.count {
                                if skipNulls && hasNull[row] {
                                    groups[row] = -1
                                    continue
                                }
                                groups[row] = find(base + starts[row], length: starts[row + 1] - starts[row], hash: hashes[row])
                            }
                        }
                    }
                }
            }
        }
    }

    /// Finds or inserts every row of `keys`, setting `groups` to each row's group and appending the rows that
    /// created a new group to `newRows`.
    func findOrInsert(_ keys: EncodedKeys, groups: inout [Int32], newRows: inout [Int32]) {
        if groups.count != keys.count { groups = [Int32](repeating: 0, count: keys.count) }
        keys.bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            keys.starts.withUnsafeBufferPointer { starts in
                keys.hashes.withUnsafeBufferPointer { hashes in
                    groups.withUnsafeMutableBufferPointer { groups in
                        for row in 0..<keys.count {
                            let (group, inserted) = findOrInsert(base + starts[row], length: starts[row + 1] - starts[row],
                                                                 hash: hashes[row])
                            groups[row] = group
                            if inserted { newRows.append(Int32(truncatingIfNeeded: row)) }
                        }
                    }
                }
            }
        }
    }

    private func grow() {
        let newCapacity = capacity * 2
        let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        newSlots.initialize(repeating: 0, count: newCapacity)
        let mask = newCapacity - 1
        for index in 0..<capacity {
            let slot = slots[index]
            if slot == 0 { continue }
            let group = Int(slot & 0xFFFF_FFFF) - 1
            var target = Int(truncatingIfNeeded: keyHashes[group]) & mask
            while newSlots[target] != 0 { target = (target + 1) & mask }
            newSlots[target] = slot
        }
        slots.deallocate()
        slots = newSlots
        capacity = newCapacity
    }
}
