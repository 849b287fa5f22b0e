import Columnar
import Testing
@testable import Execution

@Suite struct KernelsLikeTests {
    /// The obvious backtracking matcher over characters.
    static func referenceMatch(_ text: [Character], _ pattern: [Character]) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        switch head {
        case "%":
            for start in 0...text.count where referenceMatch(Array(text[start...]), Array(pattern.dropFirst())) { return true }
            return false
        case "_":
            return !text.isEmpty && referenceMatch(Array(text.dropFirst()), Array(pattern.dropFirst()))
        default:
            return text.first == head && referenceMatch(Array(text.dropFirst()), Array(pattern.dropFirst()))
        }
    }

    @Test func randomPatternsAgreeWithBacktracking() throws {
        var generator = ExpressionDifferentialTests.Generator(state: 42)
        let alphabet: [Character] = ["a", "b", "é", "日"]
        let patternAlphabet: [Character] = alphabet + ["%", "_", "%", "_"]
        for _ in 0..<3000 {
            let text = (0..<generator.below(8)).map { _ in alphabet[generator.below(alphabet.count)] }
            let pattern = (0..<generator.below(7)).map { _ in patternAlphabet[generator.below(patternAlphabet.count)] }
            let expected = Self.referenceMatch(text, pattern)
            let compiled = try Array(String(pattern).utf8).withUnsafeBytes { try LikePattern($0, escape: [], caseInsensitive: false) }
            let actual = Array(String(text).utf8).withUnsafeBytes { compiled.matches($0) }
            #expect(actual == expected, "'\(String(text))' LIKE '\(String(pattern))'")
            // The column kernel (shape-specialized loops) agrees too.
            var builder = ColumnBuilder(.utf8, capacity: 1)
            builder.append(string: String(text))
            let column = builder.finish()
            let words = BitmapKernels.allocate(bits: 1)
            compiled.matchWords(StringOperand(Vector(column)), into: words.typed(UInt64.self), count: 1)
            #expect(Bitmap.isSet(words.pointer, 0) == expected, "kernel: '\(String(text))' LIKE '\(String(pattern))'")
        }
    }
}
