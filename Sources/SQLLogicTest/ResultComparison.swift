import Columnar
import Foundation
import Quiver

/// Formats result values the way sqllogictest prints them and compares them with expected lines.
enum ResultComparison {
    /// One value as sqllogictest prints it for a column of the given type letter.
    ///
    /// Follows SQLite's sqllogictest: `NULL` for null, `(empty)` for the empty string, control characters as `@`,
    /// `R` columns as `%.3f`, `I` columns holding a non-integer number truncated toward zero. Booleans print as
    /// `1`/`0` in `I` and `R` columns (SQLite has no booleans) and as `true`/`false` elsewhere.
    static func format(_ value: Value, type: Character) -> String {
        if value.isNull { return "NULL" }
        if case .boolean(let flag) = value {
            return type == "I" || type == "R" ? (flag ? "1" : "0") : (flag ? "true" : "false")
        }
        switch type {
        case "R":
            guard let number = numericValue(value), number.isFinite else { return text(value) }
            return String(format: "%.3f", number)
        case "I":
            switch value {
            case .float32, .float64, .decimal:
                guard let number = numericValue(value), number.isFinite,
                      let integer = Int64(exactly: number.rounded(.towardZero)) else { return text(value) }
                return String(integer)
            default: return text(value)
            }
        default:
            return text(value)
        }
    }

    private static func text(_ value: Value) -> String {
        let text = value.description
        if text.isEmpty { return "(empty)" }
        return text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "@" : String($0) }.joined()
    }

    static func numericValue(_ value: Value) -> Double? {
        switch value {
        case .int8(let v): return Double(v)
        case .int16(let v): return Double(v)
        case .int32(let v): return Double(v)
        case .int64(let v): return Double(v)
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .decimal(let v, _, let scale): return Double(v) / pow(10, Double(scale))
        default: return nil
        }
    }

    /// A formatted value together with the value it came from, for lenient comparison.
    struct Cell {
        var text: String
        var value: Value
    }

    /// The result's cells, row by row.
    static func cells(_ result: QueryResult, types: [Character]) -> [[Cell]] {
        result.rows.map { row in
            row.enumerated().map { index, value in
                Cell(text: format(value, type: index < types.count ? types[index] : "T"), value: value)
            }
        }
    }

    /// Orders rows (rowsort) or single values (valuesort) by their printed text; returns the flat value list.
    static func ordered(_ rows: [[Cell]], mode: Record.SortMode) -> [Cell] {
        switch mode {
        case .noSort: return rows.flatMap { $0 }
        case .rowSort: return rows.sorted { $0.map(\.text).lexicographicallyPrecedes($1.map(\.text)) }.flatMap { $0 }
        case .valueSort: return rows.flatMap { $0 }.sorted { $0.text < $1.text }
        }
    }

    /// Orders expected values the same way as `ordered(_:mode:)`.
    static func ordered(expected values: [String], columnCount: Int, mode: Record.SortMode) -> [String] {
        switch mode {
        case .noSort: return values
        case .valueSort: return values.sorted()
        case .rowSort:
            guard columnCount > 0, values.count % columnCount == 0 else { return values }
            let rows = stride(from: 0, to: values.count, by: columnCount).map { Array(values[$0..<($0 + columnCount)]) }
            return rows.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
        }
    }

    /// The expected values: rows split on tabs (DuckDB), one value per line (SQLite), or rows of
    /// space-separated values (sqllogictest-rs) when that is the only reading that fits.
    static func expectedValues(_ lines: [String], columnCount: Int, valueCount: Int) -> [String] {
        if lines.contains(where: { $0.contains("\t") }) || columnCount <= 1 {
            return lines.flatMap { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        }
        if lines.count == valueCount { return lines }
        let bySpaces = lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        if bySpaces.allSatisfy({ $0.count == columnCount }) { return bySpaces.flatMap { $0 } }
        return lines
    }

    /// Whether the expected lines are a single "N values hashing to <md5>" line.
    static func isHashLine(_ lines: [String]) -> Bool {
        lines.count == 1 && lines[0].contains(" values hashing to ")
    }

    /// SQLite's result hash: the MD5 of every value followed by a newline.
    static func hash(_ values: [String]) -> String {
        var md5 = MD5()
        for value in values {
            md5.update(Array(value.utf8))
            md5.update([10])
        }
        return "\(values.count) values hashing to \(md5.finalize())"
    }

    /// Whether an actual value matches its expected text.
    ///
    /// Besides the exact printed form this accepts `true`/`t`/`1` and `false`/`f`/`0` for booleans, and for numbers an
    /// expected decimal that equals the value rounded to the expected's number of decimals (DuckDB prints doubles with
    /// six decimals, PostgreSQL-style files with their own precision).
    static func matches(_ cell: Cell, expected: String) -> Bool {
        if cell.text == expected { return true }
        if case .boolean(let flag) = cell.value {
            let lowered = expected.lowercased()
            return flag ? ["true", "t", "1"].contains(lowered) : ["false", "f", "0"].contains(lowered)
        }
        guard let actual = numericValue(cell.value), let wanted = Double(expected), expected.contains(".") || expected.lowercased().contains("e") else {
            return false
        }
        if expected.lowercased().contains("e") {
            return abs(actual - wanted) <= 1e-9 * max(abs(wanted), 1)
        }
        let decimals = expected.split(separator: ".", maxSplits: 1).last.map { $0.count } ?? 0
        let tolerance = 0.5 * pow(10, -Double(decimals)) + 1e-9 * abs(wanted)
        return abs(actual - wanted) <= tolerance
    }

    /// Whether an error message satisfies an expected message: a substring (case-insensitively), a regular
    /// expression, DuckDB's `<REGEX>:pattern` / `<!REGEX>:pattern`, or the expected text without DuckDB's
    /// error class prefix (`Binder Error: `, `Parser Error: `, ...).
    static func errorMatches(_ message: String, expected: String?) -> Bool {
        guard let expected = expected?.trimmingCharacters(in: .whitespacesAndNewlines), !expected.isEmpty else { return true }
        if expected.hasPrefix("<REGEX>:") { return regexMatches(message, pattern: String(expected.dropFirst(8))) }
        if expected.hasPrefix("<!REGEX>:") { return !regexMatches(message, pattern: String(expected.dropFirst(9))) }
        let lowered = message.lowercased()
        if lowered.contains(expected.lowercased()) || regexMatches(message, pattern: expected) { return true }
        var candidates = [expected]
        if let firstLine = expected.split(separator: "\n").first { candidates.append(String(firstLine)) }
        for candidate in candidates {
            if let range = candidate.range(of: #"^[A-Za-z ]*Error: "#, options: .regularExpression) {
                let rest = candidate[range.upperBound...].lowercased()
                if !rest.isEmpty, lowered.contains(rest) { return true }
            }
        }
        return false
    }

    private static func regexMatches(_ message: String, pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return false }
        return expression.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)) != nil
    }

    /// Rows of `columnCount` values joined by tabs, for failure reports.
    static func renderRows(_ values: [String], columnCount: Int) -> String {
        let width = max(columnCount, 1)
        return stride(from: 0, to: values.count, by: width).map { start in
            values[start..<min(start + width, values.count)].joined(separator: "\t")
        }.joined(separator: "\n")
    }
}
