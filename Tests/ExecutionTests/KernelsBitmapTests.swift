import Columnar
import Testing
@testable import Execution

@Suite struct KernelsBitmapTests {
    @Test func intersectCombinesWordsAndCountsNulls() {
        let count = 130
        let a = BitmapKernels.allSet(count: count), b = BitmapKernels.allSet(count: count)
        Bitmap.clear(a.pointer, 3)
        Bitmap.clear(b.pointer, 3)
        Bitmap.clear(b.pointer, 129)
        Bitmap.clear(a.pointer, 64)
        let (validity, nullCount) = BitmapKernels.intersect(a, b, count: count)
        #expect(nullCount == 3)
        #expect(validity.map { Bitmap.isSet($0.pointer, 64) } == false)
        #expect(validity.map { Bitmap.isSet($0.pointer, 65) } == true)
        #expect(BitmapKernels.intersect(nil, nil, count: count).validity == nil)
    }

    @Test func positionsOfSetBits() {
        let bits = BitmapKernels.allocate(bits: 200)
        for index in [0, 63, 64, 130, 199] { Bitmap.set(bits.pointer, index) }
        Bitmap.set(bits.pointer, 200) // beyond the count: ignored
        #expect(BitmapKernels.setPositions(UnsafePointer(bits.typed(UInt64.self)), count: 200) == [0, 63, 64, 130, 199])
        #expect(BitmapKernels.nullPositions(bits, count: 5) == [1, 2, 3, 4])
        #expect(complementPositions([1, 3], count: 5) == [0, 2, 4])
        #expect(mergePositions([1, 5, 9], [2, 3, 10]) == [1, 2, 3, 5, 9, 10])
        #expect(removingPositions([2, 7], from: [1, 2, 5, 7], count: 10) == [1, 5])
    }

    @Test func asciiCaseMappingWordAtATime() {
        let text = Array("Hello, World! az AZ @[`{".utf8)
        var upper = text, lower = text
        for index in 0..<text.count {
            upper[index] = UInt8(truncatingIfNeeded: mapASCIICase(UInt64(text[index]), upper: true))
            lower[index] = UInt8(truncatingIfNeeded: mapASCIICase(UInt64(text[index]), upper: false))
        }
        #expect(String(decoding: upper, as: UTF8.self) == "HELLO, WORLD! AZ AZ @[`{")
        #expect(String(decoding: lower, as: UTF8.self) == "hello, world! az az @[`{")
        let word = text.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        let mapped = withUnsafeBytes(of: mapASCIICase(word, upper: true)) { Array($0) }
        #expect(String(decoding: mapped, as: UTF8.self) == "HELLO, W")
    }

    @Test func integerSetMembership() {
        let set = IntegerSet<Int64>([5, -3, Int64.min, 1 << 40, 5])
        for member in [Int64(5), -3, Int64.min, 1 << 40] { #expect(set.contains(member)) }
        for other in [Int64(0), 4, Int64.max, -(1 << 40)] { #expect(!set.contains(other)) }
        let strings = ByteStringSet(["MAIL", "SHIP", "", "a longer string than eight bytes"].map { Array($0.utf8) })
        for member in ["MAIL", "SHIP", "", "a longer string than eight bytes"] {
            #expect(Array(member.utf8).withUnsafeBytes { strings.contains($0) })
        }
        #expect(!Array("MAIl".utf8).withUnsafeBytes { strings.contains($0) })
    }
}
