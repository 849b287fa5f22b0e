/// A fast non-cryptographic hash of byte strings, used for hash tables over encoded keys.
enum KeyHashing {
    @usableFromInline static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The final avalanche of MurmurHash3.
    @inlinable @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    /// Hashes `length` bytes at `pointer`.
    @inlinable @inline(__always)
    static func hash(_ pointer: UnsafeRawPointer, length: Int) -> UInt64 {
        var state = multiplier ^ UInt64(truncatingIfNeeded: length)
        var offset = 0
        while offset + 8 <= length {
            let word = pointer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            state = (state ^ word) &* multiplier
            state ^= state >> 29
            offset += 8
        }
        if offset < length {
            // The tail, read without a byte loop: the (overlapping) last 8 bytes when the key has that many,
            // else two (overlapping) 4-byte loads, else the 1 to 3 bytes one by one.
            var word: UInt64 = 0
            if length >= 8 {
                word = pointer.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            } else if length >= 4 {
                let low = pointer.loadUnaligned(as: UInt32.self)
                let high = pointer.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self)
                word = UInt64(low) | UInt64(high) << 32
            } else {
                var shift: UInt64 = 0
                while offset < length {
                    word |= UInt64(pointer.load(fromByteOffset: offset, as: UInt8.self)) << shift
                    shift += 8
                    offset += 1
                }
            }
            state = (state ^ word) &* multiplier
            state ^= state >> 29
        }
        return mix(state)
    }
}

/// A growable block of raw bytes with manual memory management, for key arenas.
struct ByteArena {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    /// Frees the memory; the arena must not be used afterwards.
    func deallocate() { pointer.deallocate() }

    /// Appends `length` bytes and returns the offset where they start.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawPointer, length: Int) -> Int {
        if count + length > capacity { grow(minimum: count + length) }
        let start = count
        if length > 0 { (pointer + start).copyMemory(from: bytes, byteCount: length) }
        count += length
        return start
    }

    private mutating func grow(minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newPointer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newPointer.copyMemory(from: pointer, byteCount: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }
}
