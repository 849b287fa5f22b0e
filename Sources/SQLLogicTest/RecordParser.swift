import Foundation

/// Splits a sqllogictest file into records.
///
/// Accepts the SQLite format (`statement ok|error`, `query <types> [nosort|rowsort|valuesort] [label]`,
/// `skipif`/`onlyif`, `hash-threshold`, `halt`), DuckDB's additions (`statement error` / `query error` with the
/// expected message after `----`, `require`, `mode skip|unskip`, `loop`/`foreach`/`endloop` with `${var}`
/// substitution) and sqllogictest-rs's `statement count N`.
public enum RecordParser {
    /// A source line with its 1-based line number in the file.
    struct Line {
        var number: Int
        var text: String
    }

    public static func parse(_ text: String, path: String) throws -> [Record] {
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            Line(number: index + 1, text: line.hasSuffix("\r") ? String(line.dropLast()) : String(line))
        }
        let lines = try expandLoops(rawLines, path: path)
        return try parseRecords(lines, path: path)
    }

    // MARK: Loops

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    private static func isLoopStart(_ word: String?) -> Bool {
        ["loop", "foreach", "concurrentloop", "concurrentforeach"].contains(word ?? "")
    }

    /// Expands `loop var start end` (end exclusive) and `foreach var value...` blocks up to their `endloop`,
    /// substituting `${var}` in the body.
    static func expandLoops(_ lines: [Line], path: String) throws -> [Line] {
        var result: [Line] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let lineWords = words(line.text)
            guard isLoopStart(lineWords.first) else {
                if lineWords.first == "endloop" {
                    throw TestFileError(path: path, line: line.number, message: "endloop without loop or foreach")
                }
                result.append(line)
                index += 1
                continue
            }
            // Find the matching endloop.
            var depth = 0
            var end = index + 1
            while end < lines.count {
                let first = words(lines[end].text).first
                if isLoopStart(first) { depth += 1 }
                if first == "endloop" {
                    if depth == 0 { break }
                    depth -= 1
                }
                end += 1
            }
            guard end < lines.count else {
                throw TestFileError(path: path, line: line.number, message: "\(lineWords[0]) without endloop")
            }
            guard lineWords.count >= 3 else {
                throw TestFileError(path: path, line: line.number, message: "\(lineWords[0]) needs a variable name and values")
            }
            let variable = lineWords[1]
            let values: [String]
            if lineWords[0].hasSuffix("loop") {
                guard lineWords.count >= 4, let start = Int(lineWords[2]), let stop = Int(lineWords[3]) else {
                    throw TestFileError(path: path, line: line.number, message: "loop needs a variable, a start and an end: loop i 0 10")
                }
                let (span, overflow) = stop.subtractingReportingOverflow(start)
                guard !overflow, span <= 1_000_000 else {
                    throw TestFileError(path: path, line: line.number, message: "loop of more than 1,000,000 iterations")
                }
                values = start < stop ? (start..<stop).map(String.init) : []
            } else {
                values = Array(lineWords[2...])
            }
            let body = Array(lines[(index + 1)..<end])
            for value in values {
                let substituted = body.map { Line(number: $0.number, text: $0.text.replacingOccurrences(of: "${\(variable)}", with: value)) }
                result += try expandLoops(substituted, path: path)
            }
            index = end + 1
        }
        return result
    }

    // MARK: Records

    private static func parseRecords(_ lines: [Line], path: String) throws -> [Record] {
        var records: [Record] = []
        var conditions: [Condition] = []
        var index = 0

        func isBlank(_ text: String) -> Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }

        /// Reads SQL lines until a blank line or `----`; returns the SQL and whether `----` ended it.
        func readSQL() -> (String, Bool) {
            var sqlLines: [String] = []
            while index < lines.count, !isBlank(lines[index].text) {
                if lines[index].text == "----" { index += 1; return (sqlLines.joined(separator: "\n"), true) }
                sqlLines.append(lines[index].text)
                index += 1
            }
            return (sqlLines.joined(separator: "\n"), false)
        }

        /// Reads result lines up to the next empty line.
        func readResults() -> [String] {
            var results: [String] = []
            while index < lines.count, !lines[index].text.isEmpty {
                results.append(lines[index].text)
                index += 1
            }
            return results
        }

        func append(_ kind: Record.Kind, sql: String = "", line: Int) {
            records.append(Record(kind: kind, sql: sql, line: line, conditions: conditions))
            conditions = []
        }

        while index < lines.count {
            let line = lines[index]
            let start = line.number
            let trimmed = line.text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { index += 1; continue }
            let lineWords = words(trimmed)
            index += 1
            switch lineWords[0] {
            case "skipif", "onlyif":
                guard lineWords.count >= 2 else {
                    throw TestFileError(path: path, line: start, message: "\(lineWords[0]) needs an engine name")
                }
                conditions.append(Condition(isOnlyIf: lineWords[0] == "onlyif", engine: lineWords[1]))
            case "statement":
                let (expectation, sql) = try parseStatement(lineWords, line: start, path: path, readSQL: readSQL, readResults: readResults)
                append(.statement(expectation), sql: sql, line: start)
            case "query":
                let (query, sql) = try parseQuery(lineWords, line: start, path: path, readSQL: readSQL, readResults: readResults)
                append(.query(query), sql: sql, line: start)
            case "hash-threshold":
                guard lineWords.count >= 2, let threshold = Int(lineWords[1]), threshold >= 0 else {
                    throw TestFileError(path: path, line: start, message: "hash-threshold needs a number")
                }
                append(.hashThreshold(threshold), line: start)
            case "halt":
                append(.halt, line: start)
            case "require":
                guard lineWords.count >= 2 else {
                    throw TestFileError(path: path, line: start, message: "require needs a feature name")
                }
                append(.require(lineWords[1...].joined(separator: " ")), line: start)
            case "mode":
                guard lineWords.count >= 2 else {
                    throw TestFileError(path: path, line: start, message: "mode needs 'skip' or 'unskip'")
                }
                switch lineWords[1] {
                case "skip": append(.skipMode(true), line: start)
                case "unskip": append(.skipMode(false), line: start)
                default: append(.unsupportedDirective("mode \(lineWords[1])"), line: start)
                }
            case "load", "restart", "reconnect", "connection", "sleep", "unzip", "copy_to_storage_file":
                append(.unsupportedDirective(trimmed), line: start)
                _ = readSQL()
            default:
                throw TestFileError(path: path, line: start, message: "unknown record type '\(lineWords[0])'")
            }
        }
        return records
    }

    private static func parseStatement(
        _ lineWords: [String], line: Int, path: String,
        readSQL: () -> (String, Bool), readResults: () -> [String]
    ) throws -> (Record.StatementExpectation, String) {
        guard lineWords.count >= 2 else {
            throw TestFileError(path: path, line: line, message: "expected 'statement ok', 'statement error' or 'statement count N'")
        }
        let (sql, hasSeparator) = readSQL()
        switch lineWords[1] {
        case "ok":
            if hasSeparator { _ = readResults() }
            return (.success, sql)
        case "error":
            var message: String? = lineWords.count > 2 ? lineWords[2...].joined(separator: " ") : nil
            if hasSeparator {
                let block = readResults().joined(separator: "\n")
                if !block.isEmpty { message = block }
            }
            return (.error(message), sql)
        case "count":
            guard lineWords.count >= 3, let count = Int(lineWords[2]) else {
                throw TestFileError(path: path, line: line, message: "statement count needs a number")
            }
            if hasSeparator { _ = readResults() }
            return (.count(count), sql)
        default:
            throw TestFileError(path: path, line: line, message: "expected 'statement ok', 'statement error' or 'statement count N'")
        }
    }

    /// Column type letters: SQLite's I, T, R; DuckDB/DataFusion also use B (boolean), D (date), P (timestamp), ? (any).
    static let typeLetters: Set<Character> = ["I", "T", "R", "B", "D", "P", "?"]

    private static func parseQuery(
        _ lineWords: [String], line: Int, path: String,
        readSQL: () -> (String, Bool), readResults: () -> [String]
    ) throws -> (Record.Query, String) {
        guard lineWords.count >= 2 else {
            throw TestFileError(path: path, line: line, message: "query needs a type string such as 'I' or 'ITR'")
        }
        if lineWords[1] == "error" {
            var message: String? = lineWords.count > 2 ? lineWords[2...].joined(separator: " ") : nil
            let (sql, hasSeparator) = readSQL()
            if hasSeparator {
                let block = readResults().joined(separator: "\n")
                if !block.isEmpty { message = block }
            }
            return (Record.Query(types: [], sortMode: .noSort, label: nil, expected: nil, expectsError: true, expectedError: message), sql)
        }
        let types = Array(lineWords[1])
        guard types.allSatisfy({ typeLetters.contains($0) }) else {
            throw TestFileError(path: path, line: line, message: "unknown column type in '\(lineWords[1])' (expected I, T, R, B, D, P or ?)")
        }
        var sortMode = Record.SortMode.noSort
        var label: String?
        for word in lineWords.dropFirst(2) {
            switch word {
            case "nosort": sortMode = .noSort
            case "rowsort": sortMode = .rowSort
            case "valuesort": sortMode = .valueSort
            default: if label == nil { label = word }
            }
        }
        let (sql, hasSeparator) = readSQL()
        let expected = hasSeparator ? readResults() : nil
        return (Record.Query(types: types, sortMode: sortMode, label: label, expected: expected, expectsError: false, expectedError: nil), sql)
    }
}
