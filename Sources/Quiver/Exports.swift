import SQLSyntax
/// A parsed statement, as `Connection.parse` returns it.
public typealias SQLStatement = Statement
