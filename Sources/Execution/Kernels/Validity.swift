import Columnar

/// Word-at-a-time operations on validity and boolean bitmaps.
enum BitmapKernels {
    /// The number of 64-bit words holding `count` bits.
    @inline(__always)
    static func wordCount(_ count: Int) -> Int { (count + 63) >> 6 }

    /// A zeroed buffer holding at least `count` bits as whole words.
    @inline(__always)
    static func allocate(bits count: Int) -> Buffer { Buffer(capacity: Swift.max(wordCount(count) * 8, 8)) }

    /// A buffer whose words can be read for `count` bits: `buffer` itself when large enough, otherwise a copy.
    static func readable(_ buffer: Buffer, count: Int) -> Buffer {
        if buffer.capacity >= wordCount(count) * 8 { return buffer }
        let copy = allocate(bits: count)
        copy.pointer.copyMemory(from: buffer.pointer, byteCount: Bitmap.byteCount(forBits: count))
        return copy
    }

    /// The number of set bits among the first `count`.
    @inline(__always)
    static func countSet(_ words: UnsafePointer<UInt64>, count: Int) -> Int {
        let full = count >> 6
        var total = 0
        for index in 0..<full { total += words[index].nonzeroBitCount }
        let rest = count & 63
        if rest > 0 { total += (words[full] & ((1 &<< UInt64(rest)) &- 1)).nonzeroBitCount }
        return total
    }

    /// The AND of two optional validity bitmaps (nil meaning all valid) and its null count.
    static func intersect(_ first: Buffer?, _ second: Buffer?, count: Int) -> (validity: Buffer?, nullCount: Int) {
        switch (first, second) {
        case (nil, nil): return (nil, 0)
        case (let only?, nil), (nil, let only?):
            let readable = readable(only, count: count)
            let valid = withExtendedLifetime(readable) { countSet(UnsafePointer(readable.typed(UInt64.self)), count: count) }
            return (readable, count - valid)
        case (let a?, let b?):
            let result = allocate(bits: count)
            let out = result.typed(UInt64.self)
            let left = readable(a, count: count), right = readable(b, count: count)
            defer { withExtendedLifetime((left, right)) {} }
            let l = left.typed(UInt64.self), r = right.typed(UInt64.self)
            for index in 0..<wordCount(count) { out[index] = l[index] & r[index] }
            return (result, count - countSet(UnsafePointer(out), count: count))
        }
    }

    /// The AND of any number of optional validity bitmaps.
    static func intersect(_ bitmaps: [Buffer?], count: Int) -> (validity: Buffer?, nullCount: Int) {
        var result: (validity: Buffer?, nullCount: Int) = (nil, 0)
        for bitmap in bitmaps { result = intersect(result.validity, bitmap, count: count) }
        return result
    }

    /// The indices of the set bits among the first `count` bits.
    static func setPositions(_ words: UnsafePointer<UInt64>, count: Int) -> [Int32] {
        let total = countSet(words, count: count)
        return [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            var written = 0
            let wordTotal = wordCount(count)
            for index in 0..<wordTotal {
                var word = words[index]
                if index == wordTotal &- 1, count & 63 != 0 { word &= (1 &<< UInt64(count & 63)) &- 1 }
                let base = Int32(truncatingIfNeeded: index &<< 6)
                while word != 0 {
                    out[written] = base &+ Int32(truncatingIfNeeded: word.trailingZeroBitCount)
                    written &+= 1
                    word &= word &- 1
                }
            }
            initialized = written
        }
    }

    /// The indices of the null rows of a validity bitmap.
    static func nullPositions(_ validity: Buffer, count: Int) -> [Int32] {
        let inverted = allocate(bits: count)
        let source = readable(validity, count: count)
        defer { withExtendedLifetime((source, inverted)) {} }
        let bits = source.typed(UInt64.self), out = inverted.typed(UInt64.self)
        for index in 0..<wordCount(count) { out[index] = ~bits[index] }
        return setPositions(UnsafePointer(out), count: count)
    }

    /// A validity buffer with every one of `count` bits set.
    static func allSet(count: Int) -> Buffer {
        let result = allocate(bits: count)
        let out = result.typed(UInt64.self)
        for index in 0..<wordCount(count) { out[index] = ~0 }
        return result
    }
}
