import Foundation

/// One record of a sqllogictest file.
public struct Record: Sendable {
    public enum Kind: Sendable {
        /// `statement ok`, or `statement error [expected message]`.
        case statement(expectsError: Bool, expectedError: String?)
        /// `query <types> [sort mode] [label]` with its expected output lines.
        case query(types: [Character], sortMode: SortMode, label: String?, expected: [String])
        /// `hash-threshold N`.
        case hashThreshold(Int)
        /// `halt`: stop running this file.
        case halt
    }

    /// How a query's output is ordered before comparison.
    public enum SortMode: Sendable {
        case noSort, rowSort, valueSort
    }

    public var kind: Kind
    public var sql: String
    /// The 1-based line where the record starts.
    public var line: Int
    /// `skipif` / `onlyif` conditions preceding the record.
    public var conditions: [Condition]
}

/// A `skipif ENGINE` or `onlyif ENGINE` line.
public struct Condition: Sendable {
    public var isOnlyIf: Bool
    public var engine: String

    /// Whether the record runs on `engine`.
    public func allows(_ current: String) -> Bool {
        isOnlyIf ? engine == current : engine != current
    }
}

/// A problem in the test file itself (not in the engine).
public struct TestFileError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}

/// Splits a sqllogictest file into records.
public enum RecordParser {
    public static func parse(_ text: String, path: String) throws -> [Record] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        var records: [Record] = []
        var conditions: [Condition] = []
        var index = 0

        func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

        /// Reads SQL lines until a blank line or `----`; returns the SQL and whether `----` ended it.
        func readSQL() -> (String, Bool) {
            var sqlLines: [String] = []
            while index < lines.count, !isBlank(lines[index]) {
                if lines[index] == "----" { index += 1; return (sqlLines.joined(separator: "\n"), true) }
                sqlLines.append(lines[index])
                index += 1
            }
            return (sqlLines.joined(separator: "\n"), false)
        }

        func readResults() -> [String] {
            var results: [String] = []
            while index < lines.count, !lines[index].isEmpty {
                results.append(lines[index])
                index += 1
            }
            return results
        }

        while index < lines.count {
            let line = lines[index]
            let start = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { index += 1; continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            index += 1
            switch words[0] {
            case "skipif", "onlyif":
                guard words.count >= 2 else { throw TestFileError(path: path, line: start, message: "\(words[0]) needs an engine name") }
                conditions.append(Condition(isOnlyIf: words[0] == "onlyif", engine: words[1]))
            case "statement":
                guard words.count >= 2, words[1] == "ok" || words[1] == "error" || words[1] == "count" else {
                    throw TestFileError(path: path, line: start, message: "expected 'statement ok' or 'statement error'")
                }
                let expectsError = words[1] == "error"
                var expected: String? = words.count > 2 && expectsError ? words[2...].joined(separator: " ") : nil
                let (sql, hasSeparator) = readSQL()
                if hasSeparator {
                    let message = readResults().joined(separator: "\n")
                    if !message.isEmpty { expected = message }
                }
                records.append(Record(kind: .statement(expectsError: expectsError, expectedError: expected), sql: sql, line: start, conditions: conditions))
                conditions = []
            case "query":
                guard words.count >= 2 else { throw TestFileError(path: path, line: start, message: "query needs a type string such as 'I' or 'ITR'") }
                let types = Array(words[1])
                guard types.allSatisfy({ "ITRB".contains($0) }) else {
                    throw TestFileError(path: path, line: start, message: "unknown column type in '\(words[1])' (expected I, T, R or B)")
                }
                var sortMode = Record.SortMode.noSort
                var label: String?
                for word in words.dropFirst(2) {
                    switch word {
                    case "nosort": sortMode = .noSort
                    case "rowsort": sortMode = .rowSort
                    case "valuesort": sortMode = .valueSort
                    default: label = word
                    }
                }
                let (sql, hasSeparator) = readSQL()
                let expected = hasSeparator ? readResults() : []
                records.append(Record(kind: .query(types: types, sortMode: sortMode, label: label, expected: expected), sql: sql, line: start, conditions: conditions))
                conditions = []
            case "hash-threshold":
                guard words.count >= 2, let threshold = Int(words[1]) else {
                    throw TestFileError(path: path, line: start, message: "hash-threshold needs a number")
                }
                records.append(Record(kind: .hashThreshold(threshold), sql: "", line: start, conditions: conditions))
                conditions = []
            case "halt":
                records.append(Record(kind: .halt, sql: "", line: start, conditions: conditions))
                conditions = []
            case "require", "load", "mode", "loop", "endloop", "foreach", "endforeach", "restart":
                throw TestFileError(path: path, line: start, message: "'\(words[0])' is not supported by quiver slt")
            default:
                throw TestFileError(path: path, line: start, message: "unknown record type '\(words[0])'")
            }
        }
        return records
    }
}
