import LogicalPlan
import SQLSyntax

/// Collects the aggregate calls of one SELECT (from its select list, HAVING and ORDER BY), deduplicated.
final class AggregateCollector {
    /// The distinct aggregate calls, in order of first appearance.
    var calls: [AggregateCall] = []
}

/// The first place each column was referenced in a clause, for GROUP BY error messages.
final class ReferenceLog {
    /// Column id → (name as qualified in the message, where it was first referenced).
    var entries: [ColumnID: (name: String, location: SourceLocation)] = [:]

    func record(_ column: ScopeColumn, at location: SourceLocation) {
        if entries[column.column.id] == nil {
            entries[column.column.id] = (column.displayName, location)
        }
    }
}

/// What an expression may refer to and contain where it is being bound.
struct ExpressionContext {
    /// The names visible.
    var scope: NameScope
    /// The clause, as error messages name it: "WHERE", "JOIN conditions", "GROUP BY", ...
    var clause: String
    /// Where aggregate calls go; nil where aggregates are not allowed.
    var aggregates: AggregateCollector?
    /// Where column references are logged, for GROUP BY validation.
    var references: ReferenceLog?
    /// Whether the expression is an argument of an aggregate call (aggregates may not nest).
    var isInsideAggregate = false
    /// Where window calls go; nil where window functions are not allowed (everywhere but SELECT and ORDER BY).
    var windows: WindowCollector?
    /// Whether the expression is inside a window call (window calls may not nest).
    var isInsideWindow = false

    init(scope: NameScope, clause: String, aggregates: AggregateCollector? = nil, references: ReferenceLog? = nil) {
        self.scope = scope
        self.clause = clause
        self.aggregates = aggregates
        self.references = references
    }
}
