/// An error found while lexing or parsing SQL.
public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, e.g. `syntax error at or near "FORM"`.
    public var message: String
    /// Where the offending token starts.
    public var location: SourceLocation
    /// An optional hint, e.g. `did you mean FROM?`.
    public var hint: String?

    /// Creates a syntax error.
    public init(message: String, location: SourceLocation, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// `message at line L, column C` followed by the hint, on one line.
    public var description: String {
        var result = "\(message) at line \(location.line), column \(location.column)"
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
