/// An error raised while executing a query: a run-time SQL error such as `division by zero`,
/// `integer out of range` or an invalid cast.
public struct ExecutionError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The message users see, PostgreSQL-style (lower case, no trailing period).
    public var message: String

    /// Creates an error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
