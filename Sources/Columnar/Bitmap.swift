/// Helpers for Arrow bitmaps: bit `i` is `(byte[i >> 3] >> (i & 7)) & 1`, least significant bit first.
/// In a validity bitmap 1 means valid (not null).
public enum Bitmap {
    /// The number of bytes holding `bitCount` bits.
    @inlinable
    public static func byteCount(forBits bitCount: Int) -> Int { (bitCount + 7) >> 3 }

    @inlinable
    public static func isSet(_ bits: UnsafeRawPointer, _ index: Int) -> Bool {
        (bits.load(fromByteOffset: index >> 3, as: UInt8.self) >> UInt8(index & 7)) & 1 == 1
    }

    @inlinable
    public static func set(_ bits: UnsafeMutableRawPointer, _ index: Int) {
        let byte = bits.advanced(by: index >> 3).assumingMemoryBound(to: UInt8.self)
        byte.pointee |= UInt8(1) << UInt8(index & 7)
    }

    @inlinable
    public static func clear(_ bits: UnsafeMutableRawPointer, _ index: Int) {
        let byte = bits.advanced(by: index >> 3).assumingMemoryBound(to: UInt8.self)
        byte.pointee &= ~(UInt8(1) << UInt8(index & 7))
    }

    @inlinable
    public static func set(_ bits: UnsafeMutableRawPointer, _ index: Int, to value: Bool) {
        if value { set(bits, index) } else { clear(bits, index) }
    }

    /// Counts the set bits among the first `bitCount` bits.
    public static func countSet(_ bits: UnsafeRawPointer, bitCount: Int) -> Int {
        var count = 0
        let words = bitCount >> 6
        for word in 0..<words {
            count += bits.loadUnaligned(fromByteOffset: word << 3, as: UInt64.self).nonzeroBitCount
        }
        var index = words << 6
        while index < bitCount {
            if isSet(bits, index) { count += 1 }
            index += 1
        }
        return count
    }
}
