#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Bytes kept at a stable address for the lifetime of a pattern (no array access in the matching loops).
final class PinnedBytes: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { if $0.count > 0 { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
    }

    deinit { pointer.deallocate() }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }
}

/// A compiled LIKE pattern: `%` matches any run of characters, `_` exactly one, the escape character makes the
/// next character literal. Common shapes (exact, prefix, suffix, contains) get byte-level fast paths.
struct LikePattern: Sendable {
    /// One element of a segment between `%`s.
    enum Element: Sendable, Equatable {
        case byte(UInt8)
        case anyCharacter
    }

    /// A segment between `%`s: its elements, and its bytes when it has no `_`.
    struct Segment: Sendable {
        let elements: [Element]
        let literal: PinnedBytes?
    }

    enum Shape: Sendable {
        case exact
        case prefix
        case suffix
        case contains
        case prefixAndSuffix
        case anything
        case general
    }

    let segments: [Segment]
    let shape: Shape
    let caseInsensitive: Bool
    /// For the fast shapes: the literal (or the prefix), and the suffix of `prefixAndSuffix`.
    private let first: PinnedBytes
    private let second: PinnedBytes

    /// Compiles `pattern`. `escape` is the escape character's bytes (empty for none).
    init(_ pattern: UnsafeRawBufferPointer, escape: [UInt8], caseInsensitive: Bool) throws {
        self.caseInsensitive = caseInsensitive
        var bytes = Array(pattern)
        if caseInsensitive { bytes = Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8) }
        var parts: [[Element]] = [[]]
        var index = 0
        while index < bytes.count {
            if !escape.isEmpty, index + escape.count <= bytes.count, Array(bytes[index..<(index + escape.count)]) == escape {
                index += escape.count
                guard index < bytes.count else { throw ExecutionError("LIKE pattern must not end with escape character") }
                // The escaped character, whole.
                let lead = bytes[index]
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
                for offset in 0..<Swift.min(length, bytes.count - index) { parts[parts.count - 1].append(.byte(bytes[index + offset])) }
                index += length
                continue
            }
            switch bytes[index] {
            case UInt8(ascii: "%"):
                if !(parts[parts.count - 1].isEmpty && parts.count > 1) { parts.append([]) }
            case UInt8(ascii: "_"): parts[parts.count - 1].append(.anyCharacter)
            default: parts[parts.count - 1].append(.byte(bytes[index]))
            }
            index += 1
        }
        func literal(_ segment: [Element]) -> [UInt8]? {
            var result: [UInt8] = []
            for element in segment {
                guard case .byte(let byte) = element else { return nil }
                result.append(byte)
            }
            return result
        }
        segments = parts.map { Segment(elements: $0, literal: literal($0).map(PinnedBytes.init)) }
        var first: [UInt8] = [], second: [UInt8] = []
        let literals = parts.map(literal)
        if parts.allSatisfy(\.isEmpty) {
            shape = parts.count == 1 ? .exact : .anything
        } else if parts.count == 1, let text = literals[0] {
            shape = .exact
            first = text
        } else if parts.count == 2, parts[1].isEmpty, let text = literals[0] {
            shape = .prefix
            first = text
        } else if parts.count == 2, parts[0].isEmpty, let text = literals[1] {
            shape = .suffix
            first = text
        } else if parts.count == 2, let head = literals[0], let tail = literals[1] {
            shape = .prefixAndSuffix
            first = head
            second = tail
        } else if parts.count == 3, parts[0].isEmpty, parts[2].isEmpty, let text = literals[1] {
            shape = .contains
            first = text
        } else {
            shape = .general
        }
        self.first = PinnedBytes(first)
        self.second = PinnedBytes(second)
    }

    /// Whether `text` matches (after lowering it for ILIKE).
    @inline(__always)
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        switch shape {
        case .exact:
            return equalBytes(text, first.buffer)
        case .prefix:
            return hasPrefix(text, first)
        case .suffix:
            return hasSuffix(text, first)
        case .prefixAndSuffix:
            return text.count >= first.count + second.count && hasPrefix(text, first) && hasSuffix(text, second)
        case .contains:
            return findBytes(first.buffer, in: text) != nil
        case .anything:
            return true
        case .general:
            return matchesGeneral(text)
        }
    }

    /// Writes the match bits of every row, with one loop per pattern shape.
    func matchWords(_ texts: StringOperand, into out: UnsafeMutablePointer<UInt64>, count: Int) {
        let none = StringOperand.scalar(UnsafeRawBufferPointer(start: nil, count: 0))
        let first = self.first, second = self.second
        switch shape {
        case .prefix:
            let literal = first.pointer, length = first.count
            predicateStrings(texts, none, into: out, count: count) { text, _ in
                text.count >= length && memcmp(text.baseAddress!, literal, length) == 0
            }
        case .suffix:
            let literal = first.pointer, length = first.count
            predicateStrings(texts, none, into: out, count: count) { text, _ in
                text.count >= length && memcmp(text.baseAddress! + (text.count - length), literal, length) == 0
            }
        case .contains:
            let needle = first.buffer
            predicateStrings(texts, none, into: out, count: count) { text, _ in findBytes(needle, in: text) != nil }
        case .exact:
            let needle = first.buffer
            predicateStrings(texts, none, into: out, count: count) { text, _ in equalBytes(text, needle) }
        case .anything:
            predicateStrings(texts, none, into: out, count: count) { _, _ in true }
        case .prefixAndSuffix:
            predicateStrings(texts, none, into: out, count: count) { text, _ in
                text.count >= first.count + second.count && hasPrefix(text, first) && hasSuffix(text, second)
            }
        case .general:
            predicateStrings(texts, none, into: out, count: count) { text, _ in matchesGeneral(text) }
        }
        withExtendedLifetime((first, second)) {}
    }

    @inline(__always)
    private func hasPrefix(_ text: UnsafeRawBufferPointer, _ literal: PinnedBytes) -> Bool {
        let count = literal.count
        return text.count >= count && (count == 0 || memcmp(text.baseAddress!, literal.pointer, count) == 0)
    }

    @inline(__always)
    private func hasSuffix(_ text: UnsafeRawBufferPointer, _ literal: PinnedBytes) -> Bool {
        let count = literal.count
        return text.count >= count && (count == 0 || memcmp(text.baseAddress! + (text.count - count), literal.pointer, count) == 0)
    }

    /// The end of `segment` matched at byte `position`, or nil.
    private func match(_ segment: Segment, _ text: UnsafeRawBufferPointer, at position: Int) -> Int? {
        if let literal = segment.literal {
            let count = literal.count
            guard text.count - position >= count else { return nil }
            return count == 0 || memcmp(text.baseAddress! + position, literal.pointer, count) == 0 ? position + count : nil
        }
        var position = position
        for element in segment.elements {
            guard position < text.count else { return nil }
            switch element {
            case .byte(let byte):
                guard text[position] == byte else { return nil }
                position += 1
            case .anyCharacter:
                position += 1
                while position < text.count && !startsCharacter(text[position]) { position += 1 }
            }
        }
        return position
    }

    private func matchesGeneral(_ text: UnsafeRawBufferPointer) -> Bool {
        let last = segments.count - 1
        if last == 0 { return match(segments[0], text, at: 0) == text.count }
        guard var position = match(segments[0], text, at: 0) else { return false }
        // Middle segments: leftmost match at or after `position` (greedy leftmost is optimal for fixed-length segments).
        var index = 1
        while index < last {
            let segment = segments[index]
            index += 1
            if segment.elements.isEmpty { continue }
            var found: Int? = nil
            if let literal = segment.literal {
                if let start = findBytes(literal.buffer, in: text, from: position) { found = start + literal.count }
            } else {
                var start = position
                while start <= text.count {
                    if let end = match(segment, text, at: start) { found = end; break }
                    start += 1
                    while start < text.count && !startsCharacter(text[start]) { start += 1 }
                }
            }
            guard let end = found else { return false }
            position = end
        }
        // The last segment must end exactly at the end of the text.
        let segment = segments[last]
        if segment.elements.isEmpty { return true }
        var start = text.count
        if let literal = segment.literal {
            start -= literal.count
        } else {
            for element in segment.elements.reversed() {
                switch element {
                case .byte: start -= 1
                case .anyCharacter:
                    start -= 1
                    while start > 0 && !startsCharacter(text[start]) { start -= 1 }
                }
                if start < position { return false }
            }
        }
        if start < position { return false }
        return match(segment, text, at: start) == text.count
    }
}

/// Lowers text for ILIKE into `scratch`: ASCII directly, other text through Unicode lowercasing.
@inline(__always)
func loweredBytes<R>(_ text: UnsafeRawBufferPointer, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
    scratch.removeAll(keepingCapacity: true)
    var ascii = true
    for byte in text {
        if byte >= 0x80 { ascii = false; break }
        scratch.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte)
    }
    if !ascii {
        scratch = Array(String(decoding: text, as: UTF8.self).lowercased().utf8)
    }
    return scratch.withUnsafeBytes(body)
}

/// `value LIKE pattern [ESCAPE e]`; `compiled` is the pattern when it is a constant. PostgreSQL's default escape
/// character is the backslash.
func likeKernel(caseInsensitive: Bool, compiled: LikePattern?) -> VectorKernel {
    return { arguments, count in
        let rows = RowValidity(arguments, count: count)
        let texts = StringOperand(arguments[0]), patterns = StringOperand(arguments[1])
        let escapes = arguments.count > 2 ? StringOperand(arguments[2]) : nil
        let values = BitmapKernels.allocate(bits: count)
        let out = values.pointer
        var scratch: [UInt8] = []
        if let compiled, !caseInsensitive {
            compiled.matchWords(texts, into: values.typed(UInt64.self), count: count)
        } else {
            var cachedPattern: [UInt8]? = nil, cachedEscape: [UInt8] = []
            var pattern = compiled
            for index in 0..<count where rows.isValid(index) {
                if compiled == nil {
                    let patternBytes = Array(patterns[index])
                    let escape = escapes.map { Array($0[index]) } ?? [UInt8(ascii: "\\")]
                    if patternBytes != cachedPattern || escape != cachedEscape {
                        pattern = try patternBytes.withUnsafeBytes {
                            try LikePattern($0, escape: escape, caseInsensitive: caseInsensitive)
                        }
                        cachedPattern = patternBytes
                        cachedEscape = escape
                    }
                }
                guard let pattern else { continue }
                let matched = caseInsensitive
                    ? loweredBytes(texts[index], scratch: &scratch) { pattern.matches($0) }
                    : pattern.matches(texts[index])
                if matched { Bitmap.set(out, index) }
            }
        }
        return Vector(booleanColumn(values: values, validity: rows.validity, nullCount: rows.nullCount, count: count))
    }
}
