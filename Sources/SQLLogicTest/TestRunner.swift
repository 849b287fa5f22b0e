import Columnar
import Foundation
import Quiver

/// Runs sqllogictest files against a fresh in-memory Quiver database per file.
public enum TestRunner {
    /// The engine name that `skipif` / `onlyif` compare with.
    public static let engineName = "quiver"

    /// One failed record.
    public struct Failure: Sendable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var sql: String
        public var expected: String
        public var got: String

        public var description: String {
            "\(path):\(line): failed\n  SQL:      \(sql.replacingOccurrences(of: "\n", with: "\n            "))\n"
                + "  expected: \(expected.replacingOccurrences(of: "\n", with: "\n            "))\n"
                + "  got:      \(got.replacingOccurrences(of: "\n", with: "\n            "))"
        }
    }

    /// The outcome of running one or more files.
    public struct Summary: Sendable {
        public var passed = 0
        public var failed = 0
        public var failures: [Failure] = []

        public init() {}

        public mutating func merge(_ other: Summary) {
            passed += other.passed
            failed += other.failed
            failures += other.failures
        }
    }

    /// Runs one file. Problems with the file itself count as one failure.
    public static func run(path: String, threadCount: Int? = nil) -> Summary {
        var summary = Summary()
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            summary.failed = 1
            summary.failures.append(Failure(path: path, line: 0, sql: "", expected: "a readable file", got: "\(error)"))
            return summary
        }
        let records: [Record]
        do {
            records = try RecordParser.parse(text, path: path)
        } catch {
            summary.failed = 1
            summary.failures.append(Failure(path: path, line: (error as? TestFileError)?.line ?? 0, sql: "", expected: "a valid test file", got: "\(error)"))
            return summary
        }
        let connection = Database.inMemory(threadCount: threadCount).connect()
        var hashThreshold = 0
        var labels: [String: String] = [:]
        recordLoop: for record in records {
            guard record.conditions.allSatisfy({ $0.allows(engineName) }) else { continue }
            switch record.kind {
            case .halt:
                break recordLoop
            case .hashThreshold(let threshold):
                hashThreshold = threshold
            case .statement(let expectsError, let expectedError):
                let outcome = Result { try connection.execute(record.sql) }
                switch (outcome, expectsError) {
                case (.success, false):
                    summary.passed += 1
                case (.failure(let error), true):
                    let message = QuiverError(error).message
                    if let expectedError, !message.contains(expectedError), !matches(message, pattern: expectedError) {
                        summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: "error containing \(expectedError)", got: "error: \(message)"))
                    } else {
                        summary.passed += 1
                    }
                case (.success, true):
                    summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: "an error", got: "success"))
                case (.failure(let error), false):
                    summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: "success", got: "error: \(QuiverError(error).message)"))
                }
            case .query(let types, let sortMode, let label, let expected):
                let result: QueryResult
                do {
                    result = try connection.execute(record.sql)
                } catch {
                    summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: expected.joined(separator: "\n"), got: "error: \(QuiverError(error).message)"))
                    continue
                }
                let actual = formattedValues(result, types: types, sortMode: sortMode)
                let columnCount = max(result.fields.count, 1)
                let hashed = isHashLine(expected) || (hashThreshold > 0 && actual.count > hashThreshold)
                let got: [String]
                if hashed {
                    var md5 = MD5()
                    for value in actual { md5.update(Array(value.utf8)); md5.update([10]) }
                    got = ["\(actual.count) values hashing to \(md5.finalize())"]
                } else {
                    got = actual
                }
                let wanted = hashed ? expected.map { $0.trimmingCharacters(in: .whitespaces) } : expectedValues(expected, columnCount: columnCount, valueCount: actual.count)
                if let label {
                    let signature = got.joined(separator: "\n")
                    if let previous = labels[label], previous != signature {
                        summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: "the same result as label \(label)", got: signature))
                        continue
                    }
                    labels[label] = signature
                }
                if types.count != result.fields.count {
                    summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: "\(types.count) columns", got: "\(result.fields.count) columns"))
                } else if got == wanted || (expected.isEmpty && label != nil) {
                    summary.passed += 1
                } else {
                    summary.record(Failure(path: path, line: record.line, sql: record.sql, expected: expected.joined(separator: "\n"), got: renderRows(got, columnCount: hashed ? 1 : columnCount)))
                }
            }
        }
        return summary
    }

    private static func isHashLine(_ lines: [String]) -> Bool {
        lines.count == 1 && lines[0].contains(" values hashing to ")
    }

    private static func matches(_ message: String, pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)) != nil
    }

    /// The expected values: lines split on tabs (DuckDB style rows), one value per line (SQLite style),
    /// or rows split on single spaces when that is the only reading that fits.
    private static func expectedValues(_ lines: [String], columnCount: Int, valueCount: Int) -> [String] {
        let byTabs = lines.flatMap { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        if byTabs.count == valueCount || columnCount == 1 { return byTabs }
        let bySpaces = lines.flatMap { $0.split(separator: " ", omittingEmptySubsequences: false).map(String.init) }
        if bySpaces.count == valueCount, lines.count * columnCount == valueCount { return bySpaces }
        return byTabs
    }

    private static func renderRows(_ values: [String], columnCount: Int) -> String {
        stride(from: 0, to: values.count, by: columnCount).map { start in
            values[start..<min(start + columnCount, values.count)].joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// Formats the result's values as sqllogictest prints them, in the requested order.
    static func formattedValues(_ result: QueryResult, types: [Character], sortMode: Record.SortMode) -> [String] {
        var rows: [[String]] = result.rows.map { row in
            row.enumerated().map { index, value in format(value, type: index < types.count ? types[index] : "T") }
        }
        switch sortMode {
        case .noSort: return rows.flatMap { $0 }
        case .rowSort:
            rows.sort { $0.lexicographicallyPrecedes($1) }
            return rows.flatMap { $0 }
        case .valueSort:
            return rows.flatMap { $0 }.sorted()
        }
    }

    /// One value as sqllogictest prints it for a column of type `I`, `R`, `T` or `B`.
    static func format(_ value: Value, type: Character) -> String {
        if value.isNull { return "NULL" }
        switch type {
        case "R":
            guard let number = numericValue(value) else { return text(value) }
            return String(format: "%.3f", number)
        case "I":
            switch value {
            case .float32, .float64, .decimal:
                guard let number = numericValue(value) else { return text(value) }
                return String(Int64(number.rounded(.towardZero)))
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

    private static func numericValue(_ value: Value) -> Double? {
        switch value {
        case .int8(let v): return Double(v)
        case .int16(let v): return Double(v)
        case .int32(let v): return Double(v)
        case .int64(let v): return Double(v)
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .decimal(let v, _, let scale): return Double(v) / pow(10, Double(scale))
        case .boolean(let v): return v ? 1 : 0
        default: return nil
        }
    }
}

extension TestRunner.Summary {
    mutating func record(_ failure: TestRunner.Failure) {
        failed += 1
        failures.append(failure)
    }
}
