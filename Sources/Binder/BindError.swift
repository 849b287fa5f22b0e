import SQLSyntax

/// An error found while binding a statement: an unknown name, a type mismatch, a misplaced aggregate, ...
public struct BindError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The message, PostgreSQL style, e.g. `column "x" does not exist`.
    public var message: String
    /// Where the offending token starts, when known.
    public var location: SourceLocation?
    /// An optional hint, e.g. `did you mean "y"?`.
    public var hint: String?

    /// Creates a bind error.
    public init(_ message: String, location: SourceLocation? = nil, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// `message at line L, column C`, followed by the hint in parentheses.
    public var description: String {
        var result = message
        if let location {
            result += " at line \(location.line), column \(location.column)"
        }
        if let hint {
            result += " (\(hint))"
        }
        return result
    }

    /// Renders the error against its source text, with the offending line and a caret.
    public func rendered(source: String, fileName: String? = nil) -> String {
        renderDiagnostic(message: message, location: location, hint: hint, source: source, fileName: fileName)
    }
}
