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

    public init(message: String, location: SourceLocation? = nil, hint: String? = nil) {
        self.message = message
        self.location = location
        self.hint = hint
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

    /// The error as users see it: position, the source line with a caret, and the hint.
    public func rendered(source: String, fileName: String? = nil) -> String {
        renderDiagnostic(message: message, location: location, hint: hint, source: source, fileName: fileName)
    }
}
