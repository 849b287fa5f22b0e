import Foundation

/// One record of a sqllogictest file.
public struct Record: Sendable {
    public enum Kind: Sendable {
        /// `statement ok`, `statement error [message]` or `statement count N`.
        case statement(StatementExpectation)
        /// `query <types> [sort mode] [label]` with its expected output lines, or `query error [message]`.
        case query(Query)
        /// `hash-threshold N`: results with more than N values are compared by their MD5 hash.
        case hashThreshold(Int)
        /// `halt`: stop running this file.
        case halt
        /// `require <feature>` (DuckDB): the rest of the file is skipped unless the feature is available.
        case require(String)
        /// `mode skip` / `mode unskip` (DuckDB): skip the records in between.
        case skipMode(Bool)
        /// A directive this runner does not implement (`load`, `restart`, ...): the rest of the file is skipped.
        case unsupportedDirective(String)
    }

    /// What a `statement` record expects.
    public enum StatementExpectation: Sendable, Equatable {
        /// `statement ok`.
        case success
        /// `statement error [message]`; the message (if any) must be contained in, or match as a regular
        /// expression, the error message.
        case error(String?)
        /// `statement count N`: success, affecting N rows.
        case count(Int)
    }

    /// A `query` record.
    public struct Query: Sendable {
        /// The column types, one letter per column (`I`, `T`, `R`, ...).
        public var types: [Character]
        public var sortMode: SortMode
        /// The label: queries with the same label must give the same result.
        public var label: String?
        /// The expected output lines, or nil when the record has no `----` section (results are not compared).
        public var expected: [String]?
        /// `query error [message]`: the query must fail (with a message containing `expectedError` if given).
        public var expectsError: Bool
        public var expectedError: String?
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

    /// Whether the record runs on `engine` (compared case-insensitively).
    public func allows(_ current: String) -> Bool {
        let matches = engine.lowercased() == current.lowercased()
        return isOnlyIf ? matches : !matches
    }
}

/// A problem in the test file itself (not in the engine).
public struct TestFileError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
}
