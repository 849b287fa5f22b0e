import Binder
import Catalog
import Execution
import Optimizer
import SQLSyntax

/// An error from any stage of running a statement, with the source position when the stage knows it.
public struct QuiverError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    public var hint: String?
    /// More about the error, PostgreSQL's DETAIL line, e.g. `Key (a)=(1) already exists.`
    public var detail: String?

    public init(message: String, location: SourceLocation? = nil, hint: String? = nil, detail: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
        self.detail = detail
    }

    /// Wraps an error thrown by the parser, binder, optimizer, executor or catalog.
    public init(_ error: any Error) {
        switch error {
        case let error as QuiverError: self = error
        case let error as SyntaxError: self.init(message: error.message, location: error.location, hint: error.hint)
        case let error as BindError: self.init(message: error.message, location: error.location, hint: error.hint)
        case let error as ExecutionError: self.init(message: error.message)
        case let error as CatalogError: self.init(message: error.message)
        case let error as OptimizerError: self.init(message: error.message)
        default: self.init(message: String(describing: error))
        }
    }

    public var description: String { message }

    /// The error as users see it: position, the source line with a caret, the detail and the hint.
    public func rendered(source: String, fileName: String? = nil) -> String {
        var text = renderDiagnostic(message: message, location: location, hint: nil, source: source, fileName: fileName)
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }
}
