import Columnar
import Foundation
import Quiver

/// Runs sqllogictest files against a fresh in-memory Quiver database per file.
public enum TestRunner {
    /// The engine name that `skipif` / `onlyif` compare with.
    public static let engineName = "quiver"

    /// `require` arguments that hold for Quiver: DuckDB test-harness switches that do not change results here
    /// (we never reload the database, and we do not run on Windows).
    public static let satisfiedRequirements: Set<String> = ["skip_reload", "notwindows", "notmingw", "no_alternative_verify"]

    /// DuckDB harness statements that switch DuckDB's internal result verification on or off. They are not SQL the
    /// test is about; the runner counts them as skipped instead of sending them to Quiver.
    static let harnessStatements: Set<String> = [
        "pragma enable_verification", "pragma disable_verification", "pragma verify_external",
        "pragma verify_parallelism", "pragma disable_verify_parallelism", "pragma enable_profiling",
        "pragma disable_profiling",
    ]

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
        /// Records not run: excluded by `skipif`/`onlyif`, inside `mode skip`, after `halt`, or after a `require`
        /// or directive this runner cannot satisfy.
        public var skipped = 0
        public var failures: [Failure] = []
        /// Why parts of files were skipped (`path:line: require parquet: rest of file skipped`).
        public var notes: [String] = []

        public init() {}

        public mutating func merge(_ other: Summary) {
            passed += other.passed
            failed += other.failed
            skipped += other.skipped
            failures += other.failures
            notes += other.notes
        }

        /// "P passed, F failed, S skipped".
        public var counts: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
    }

    /// Runs one file. Problems with the file itself count as one failure.
    public static func run(path: String, threadCount: Int? = nil) -> Summary {
        var summary = Summary()
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            summary.record(Failure(path: path, line: 0, sql: "", expected: "a readable file", got: "\(error)"))
            return summary
        }
        let records: [Record]
        do {
            records = try RecordParser.parse(text, path: path)
        } catch {
            summary.record(Failure(path: path, line: (error as? TestFileError)?.line ?? 0, sql: "", expected: "a valid test file", got: "\(error)"))
            return summary
        }
        var state = FileState(path: path, connection: Database.inMemory(threadCount: threadCount).connect())
        for (index, record) in records.enumerated() {
            guard record.conditions.allSatisfy({ $0.allows(engineName) }) else {
                if record.isTest { summary.skipped += 1 }
                continue
            }
            if state.isSkipping {
                let endsSkipping: Bool
                if case .skipMode(false) = record.kind { endsSkipping = true } else { endsSkipping = false }
                if !endsSkipping {
                    if record.isTest { summary.skipped += 1 }
                    continue
                }
            }
            var stopReason: String?
            switch record.kind {
            case .halt:
                stopReason = "halt"
            case .require(let feature):
                if !satisfiedRequirements.contains(feature) { stopReason = "require \(feature): not available in Quiver" }
            case .unsupportedDirective(let directive):
                stopReason = "'\(directive)' is not supported by quiver slt"
            case .hashThreshold(let threshold):
                state.hashThreshold = threshold
            case .skipMode(let skipping):
                state.isSkipping = skipping
            case .statement(let expectation):
                state.runStatement(record, expectation: expectation, summary: &summary)
            case .query(let query):
                state.runQuery(record, query: query, summary: &summary)
            }
            if let stopReason {
                let remaining = records[(index + 1)...].filter(\.isTest).count
                summary.skipped += remaining
                if remaining > 0 || stopReason != "halt" {
                    summary.notes.append("\(path):\(record.line): \(stopReason); \(remaining) remaining records skipped")
                }
                break
            }
        }
        return summary
    }
}

extension Record {
    /// Whether the record is a test (statement or query), as opposed to a directive.
    var isTest: Bool {
        switch kind {
        case .statement, .query: return true
        default: return false
        }
    }
}

/// The mutable state of one file's run.
private struct FileState {
    let path: String
    let connection: Connection
    var hashThreshold = 0
    var isSkipping = false
    var labels: [String: String] = [:]

    init(path: String, connection: Connection) {
        self.path = path
        self.connection = connection
    }

    func failure(_ record: Record, expected: String, got: String) -> TestRunner.Failure {
        TestRunner.Failure(path: path, line: record.line, sql: record.sql, expected: expected, got: got)
    }

    func runStatement(_ record: Record, expectation: Record.StatementExpectation, summary: inout TestRunner.Summary) {
        let normalized = record.sql.trimmingCharacters(in: CharacterSet(charactersIn: "; \n\t")).lowercased()
        if TestRunner.harnessStatements.contains(normalized) {
            summary.skipped += 1
            return
        }
        let outcome = Result { try connection.execute(record.sql) }
        switch (outcome, expectation) {
        case (.success, .success):
            summary.passed += 1
        case (.success(let result), .count(let count)):
            let affected = result.status?.split(separator: " ").last.flatMap { Int($0) }
            if affected == count {
                summary.passed += 1
            } else {
                summary.record(failure(record, expected: "\(count) rows affected", got: result.status ?? "no row count"))
            }
        case (.failure(let error), .error(let expectedError)):
            let message = QuiverError(error).message
            if ResultComparison.errorMatches(message, expected: expectedError) {
                summary.passed += 1
            } else {
                summary.record(failure(record, expected: "error containing \(expectedError ?? "")", got: "error: \(message)"))
            }
        case (.success, .error):
            summary.record(failure(record, expected: "an error", got: "success"))
        case (.failure(let error), _):
            summary.record(failure(record, expected: "success", got: "error: \(QuiverError(error).message)"))
        }
    }

    mutating func runQuery(_ record: Record, query: Record.Query, summary: inout TestRunner.Summary) {
        let result: QueryResult
        do {
            result = try connection.execute(record.sql)
        } catch {
            let message = QuiverError(error).message
            if query.expectsError {
                if ResultComparison.errorMatches(message, expected: query.expectedError) {
                    summary.passed += 1
                } else {
                    summary.record(failure(record, expected: "error containing \(query.expectedError ?? "")", got: "error: \(message)"))
                }
            } else {
                summary.record(failure(record, expected: (query.expected ?? []).joined(separator: "\n"), got: "error: \(message)"))
            }
            return
        }
        if query.expectsError {
            summary.record(failure(record, expected: "an error", got: "success"))
            return
        }
        guard query.types.count == result.fields.count else {
            summary.record(failure(record, expected: "\(query.types.count) columns", got: "\(result.fields.count) columns"))
            return
        }
        let columnCount = max(result.fields.count, 1)
        let actual = ResultComparison.ordered(ResultComparison.cells(result, types: query.types), mode: query.sortMode)
        let actualTexts = actual.map(\.text)
        // Only labels, hashed expectations and the failure text of long results need the hash.
        lazy var signature = ResultComparison.hash(actualTexts)
        if let label = query.label {
            if let previous = labels[label], previous != signature {
                summary.record(failure(record, expected: "the same result as the earlier query labelled \(label) (\(previous))", got: signature))
                return
            }
            labels[label] = signature
        }
        guard let expected = query.expected else {
            summary.passed += 1
            return
        }
        if ResultComparison.isHashLine(expected) {
            if signature == expected[0].trimmingCharacters(in: .whitespaces) {
                summary.passed += 1
            } else {
                summary.record(failure(record, expected: expected[0], got: signature))
            }
            return
        }
        let wanted = ResultComparison.ordered(
            expected: ResultComparison.expectedValues(expected, columnCount: columnCount, valueCount: actual.count),
            columnCount: columnCount, mode: query.sortMode)
        let isMatch = wanted.count == actual.count && zip(actual, wanted).allSatisfy { ResultComparison.matches($0, expected: $1) }
        if isMatch {
            summary.passed += 1
        } else {
            let got = hashThreshold > 0 && actual.count > hashThreshold
                ? signature + "\n" + ResultComparison.renderRows(actualTexts, columnCount: columnCount)
                : ResultComparison.renderRows(actualTexts, columnCount: columnCount)
            summary.record(failure(record, expected: expected.joined(separator: "\n"), got: got))
        }
    }
}

extension TestRunner.Summary {
    mutating func record(_ failure: TestRunner.Failure) {
        failed += 1
        failures.append(failure)
    }
}
