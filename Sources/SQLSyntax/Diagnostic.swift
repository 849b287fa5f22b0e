// Rendering of errors against their source text, and "did you mean" suggestions.

/// Renders an error message against the source text it refers to, PostgreSQL style:
///
///     Error: syntax error at or near "SELEC" at line 1, column 1
///     LINE 1: SELEC 1
///             ^
///     HINT: did you mean SELECT?
///
/// With a `fileName`, the first line is `file.sql:1:1: syntax error at or near "SELEC"`.
/// Without a location only the message (and hint) are rendered. The caret is placed
/// under `location.column` (counted in characters); tabs before it are preserved so the
/// caret lines up in a terminal.
///
/// - Parameters:
///   - message: The error message.
///   - location: Where the error is, or nil when unknown.
///   - hint: An optional hint, rendered on a `HINT:` line.
///   - source: The full source text the location refers to.
///   - fileName: The name of the source file, if any.
/// - Returns: The rendered diagnostic, without a trailing newline.
public func renderDiagnostic(
    message: String, location: SourceLocation?, hint: String?, source: String, fileName: String?
) -> String {
    var lines: [String] = []
    if let location {
        if let fileName {
            lines.append("\(fileName):\(location.line):\(location.column): \(message)")
        } else {
            lines.append("Error: \(message) at line \(location.line), column \(location.column)")
        }
        let sourceLine = sourceLineText(source, line: location.line)
        let prefix = "LINE \(location.line): "
        lines.append(prefix + sourceLine)
        var caret = String(repeating: " ", count: prefix.count)
        var remaining = max(0, location.column - 1)
        for scalar in sourceLine.unicodeScalars where remaining > 0 {
            caret.append(scalar == "\t" ? "\t" : " ")
            remaining -= 1
        }
        caret += String(repeating: " ", count: remaining)
        caret += "^"
        lines.append(caret)
    } else {
        if let fileName {
            lines.append("\(fileName): \(message)")
        } else {
            lines.append("Error: \(message)")
        }
    }
    if let hint {
        lines.append("HINT: \(hint)")
    }
    return lines.joined(separator: "\n")
}

/// The text of the 1-based `line` of `source`, without its line terminator;
/// empty when the line does not exist.
func sourceLineText(_ source: String, line: Int) -> String {
    guard line >= 1 else { return "" }
    var currentLine = 1
    var lineStart = source.utf8.startIndex
    var index = source.utf8.startIndex
    while index < source.utf8.endIndex {
        if source.utf8[index] == UInt8(ascii: "\n") {
            if currentLine == line { break }
            currentLine += 1
            lineStart = source.utf8.index(after: index)
        }
        index = source.utf8.index(after: index)
    }
    guard currentLine == line else { return "" }
    var text = String(decoding: source.utf8[lineStart..<index], as: UTF8.self)
    if text.hasSuffix("\r") {
        text.removeLast()
    }
    return text
}

/// The candidate closest to `name` by Damerau–Levenshtein distance, compared
/// case-insensitively, or nil when none is close enough.
///
/// A candidate is close enough when the distance is at most 1 for names of up to
/// 5 characters and at most 2 for longer ones (names of 1–2 characters only match
/// case-insensitively equal candidates). Ties go to the earliest candidate.
///
/// - Parameters:
///   - name: The misspelled name.
///   - candidates: The valid names, e.g. keywords, columns or tables.
/// - Returns: The best candidate, spelled as in `candidates`.
public func nearestName(to name: String, among candidates: [String]) -> String? {
    let target = Array(name.lowercased().unicodeScalars)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let scalars = Array(candidate.lowercased().unicodeScalars)
        let longest = max(target.count, scalars.count)
        let limit = longest <= 2 ? 0 : (longest <= 5 ? 1 : 2)
        if abs(target.count - scalars.count) > limit { continue }
        let distance = damerauLevenshteinDistance(target, scalars)
        guard distance <= limit else { continue }
        if best == nil || distance < best?.distance ?? Int.max {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}

/// The optimal-string-alignment Damerau–Levenshtein distance between two sequences:
/// insertions, deletions, substitutions and transpositions of adjacent elements each cost 1.
func damerauLevenshteinDistance<Element: Equatable>(_ first: [Element], _ second: [Element]) -> Int {
    if first.isEmpty { return second.count }
    if second.isEmpty { return first.count }
    let width = second.count + 1
    var previousPrevious = [Int](repeating: 0, count: width)
    var previous = Array(0...second.count)
    var current = [Int](repeating: 0, count: width)
    for i in 1...first.count {
        current[0] = i
        for j in 1...second.count {
            let cost = first[i - 1] == second[j - 1] ? 0 : 1
            var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, first[i - 1] == second[j - 2], first[i - 2] == second[j - 1] {
                value = min(value, previousPrevious[j - 2] + 1)
            }
            current[j] = value
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[second.count]
}
