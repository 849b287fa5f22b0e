import Columnar
import LogicalPlan

/// Simplifies boolean logic and removes no-op casts in every expression of the plan, then drops filters that
/// became constant.
///
/// Before:
///
///     Filter: TRUE AND (a > 1 AND (b OR FALSE)) AND NOT NOT c
///       Projection: CAST(x AS BIGINT) AS a, ...        -- x is already BIGINT
///
/// After:
///
///     Filter: a > 1 AND b AND c
///       Projection: x AS a, ...
///
/// A filter whose predicate is `TRUE` disappears; one whose predicate is `FALSE` or `NULL` becomes an empty
/// `Values` with the filter's columns. Rewrites, all valid under SQL's three-valued logic:
/// - `AND`: nested ANDs are flattened, `TRUE` operands and duplicates dropped; any `FALSE` operand makes it `FALSE`.
/// - `OR`: nested ORs are flattened, `FALSE` operands and duplicates dropped; any `TRUE` operand makes it `TRUE`.
/// - `NOT NOT x` is `x`; `NOT TRUE` is `FALSE`, `NOT FALSE` is `TRUE`, `NOT NULL` is `NULL`.
/// - `CAST(x AS T)` where x already has type T is `x`.
/// No other constant folding happens here: evaluating functions needs the execution kernels.
public struct SimplifyExpressions: OptimizerRule {
    public var name: String { "simplify_expressions" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        plan.transformedUp { node in
            let simplified = node.mappingOwnExpressions(Self.simplify)
            return Self.simplifyNode(simplified)
        }
    }

    /// The expression with the rewrites above applied everywhere in it.
    public static func simplify(_ expression: Expression) -> Expression {
        expression.transformed(simplifyOne)
    }

    /// Rewrites one node whose operands are already simplified.
    private static func simplifyOne(_ expression: Expression) -> Expression {
        switch expression {
        case .and(let operands):
            var kept: [Expression] = []
            for operand in operands.flatMap(\.conjuncts) {
                switch operand.booleanLiteral {
                case .some(false?): return .falseLiteral
                case .some(true?): continue
                default: if !kept.contains(operand) { kept.append(operand) }
                }
            }
            return Expression.conjunction(kept) ?? .trueLiteral
        case .or(let operands):
            var kept: [Expression] = []
            for operand in operands.flatMap(disjuncts) {
                switch operand.booleanLiteral {
                case .some(true?): return .trueLiteral
                case .some(false?): continue
                default: if !kept.contains(operand) { kept.append(operand) }
                }
            }
            switch kept.count {
            case 0: return .falseLiteral
            case 1: return kept[0]
            default: return .or(kept)
            }
        case .not(let operand):
            if case .not(let inner) = operand { return inner }
            switch operand.booleanLiteral {
            case .some(let flag?): return flag ? .falseLiteral : .trueLiteral
            case .some(nil): return .literal(.null, .boolean)
            case .none: return expression
            }
        case .cast(let operand, let type) where operand.dataType == type:
            return operand
        default:
            return expression
        }
    }

    private static func disjuncts(_ expression: Expression) -> [Expression] {
        if case .or(let operands) = expression { return operands.flatMap(disjuncts) }
        return [expression]
    }

    /// Removes filters (and scan filters, join conditions) that became constant.
    private static func simplifyNode(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .filter(let node):
            switch node.predicate.booleanLiteral {
            case .some(true?): return node.input
            case .some(false?), .some(nil): return .values(Values(columns: node.input.columns, rows: []))
            case .none: return plan
            }
        case .scan(var node):
            var kept: [Expression] = []
            for filter in node.filters.flatMap(\.conjuncts) {
                switch filter.booleanLiteral {
                case .some(true?): continue
                case .some(false?), .some(nil): return .values(Values(columns: node.columns, rows: []))
                case .none: if !kept.contains(filter) { kept.append(filter) }
                }
            }
            node.filters = kept
            return .scan(node)
        case .join(var node):
            if let condition = node.condition, condition.booleanLiteral == .some(true) {
                switch node.kind {
                case .inner, .cross: node.condition = nil; node.kind = .cross
                case .left, .right, .full, .semi, .anti, .mark: node.condition = nil
                }
            }
            return .join(node)
        default:
            return plan
        }
    }
}
