import Columnar
import LogicalPlan

/// Pulls the conjuncts that every branch of an OR shares out in front of it, so that they can become join
/// keys or move below joins.
///
/// Before (TPC-H q19's shape: the join key hides inside each branch, so the join runs as a nested loop):
///
///     Filter: (p_partkey = l_partkey AND p_brand = 'Brand#12' AND l_quantity >= 1)
///          OR (p_partkey = l_partkey AND p_brand = 'Brand#23' AND l_quantity >= 10)
///       Join(cross)
///         Scan: lineitem
///         Scan: part
///
/// After:
///
///     Filter: p_partkey = l_partkey
///         AND ((p_brand = 'Brand#12' AND l_quantity >= 1) OR (p_brand = 'Brand#23' AND l_quantity >= 10))
///       Join(cross)
///         ...
///
/// `(c AND a) OR (c AND b)` equals `c AND (a OR b)` under three-valued logic, so the rewrite is exact. When a
/// branch consists of the common conjuncts alone, the OR is implied by them and drops out:
/// `(c) OR (c AND b)` is `c`. Applies to filter predicates and join conditions.
public struct FactorDisjunctions: OptimizerRule {
    public var name: String { "factor_disjunctions" }

    public init() {}

    public func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        plan.transformedUp { node in
            switch node {
            case .filter(var filter):
                filter.predicate = Self.factor(filter.predicate)
                return .filter(filter)
            case .join(var join):
                join.condition = join.condition.map(Self.factor)
                return .join(join)
            default:
                return node
            }
        }
    }

    /// The expression with common conjuncts factored out of every OR in it.
    public static func factor(_ expression: Expression) -> Expression {
        expression.transformed { node in
            guard case .or(let operands) = node, operands.count > 1 else { return node }
            let branches = operands.map(\.conjuncts)
            let common = branches[0].filter { candidate in branches.dropFirst().allSatisfy { $0.contains(candidate) } }
            guard !common.isEmpty else { return node }
            let remainders = branches.map { branch in branch.filter { !common.contains($0) } }
            if remainders.contains(where: \.isEmpty) {
                return Expression.conjunction(common) ?? node
            }
            let rest = Expression.or(remainders.map { Expression.conjunction($0)! })
            return .and(common + [rest])
        }
    }
}
