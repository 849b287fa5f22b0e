import Columnar
import LogicalPlan

/// A join condition split into hash-join keys and a residual predicate.
struct JoinConditionAnalysis {
    /// `leftKeys[i] = rightKeys[i]` for every i, each side over one input's columns, with equal types.
    var leftKeys: [Expression] = []
    var rightKeys: [Expression] = []
    /// The conjuncts that are not equi-join keys, over both inputs' columns.
    var residual: Expression?

    /// The analysis of `join`'s condition between its inputs, treating a mark join as one.
    init(of join: Join) {
        var isMarkJoin = false
        if case .mark = join.kind { isMarkJoin = true }
        self.init(condition: join.condition, leftColumns: join.left.columns, rightColumns: join.right.columns,
                  isMarkJoin: isMarkJoin)
    }

    /// Splits `condition` into equalities between an expression over the left input and one over the right
    /// input (either order) and everything else.
    ///
    /// `a IS NOT DISTINCT FROM b` (as the optimizer joins outer values to their bindings when decorrelating
    /// subqueries) becomes two keys that are never NULL: `a IS NULL = b IS NULL` and
    /// `coalesce(a, z) = coalesce(b, z)` for a constant `z` of their type, so NULL matches NULL.
    ///
    /// A mark join hashes on its `=` conjuncts only when they are its whole condition (`x IN (SELECT y ...)`,
    /// whose marker is NULL when x is NULL or y has a NULL anywhere). With other conjuncts too, as decorrelated
    /// subqueries have, the `=` conjuncts stay in the residual: they are the subquery's comparison, whose NULLs
    /// count only among the candidates the other conjuncts (the NULL-safe keys, if any) select.
    init(condition: Expression?, leftColumns: [PlanColumn], rightColumns: [PlanColumn], isMarkJoin: Bool = false) {
        guard let condition else { return }
        let leftIDs = Set(leftColumns.map(\.id))
        let rightIDs = Set(rightColumns.map(\.id))
        var pairs: [(index: Int, left: Expression, right: Expression, isNullSafe: Bool)] = []
        let conjuncts = condition.conjuncts
        for (index, conjunct) in conjuncts.enumerated() {
            guard case .function(let function, let arguments, _) = conjunct, function == .equal || function == .isNotDistinctFrom,
                  arguments.count == 2, arguments[0].dataType == arguments[1].dataType, arguments[0].dataType != .null
            else { continue }
            let first = arguments[0].referencedColumns, second = arguments[1].referencedColumns
            guard !first.isEmpty, !second.isEmpty, !arguments[0].containsSubquery,
                  !arguments[1].containsSubquery else { continue }
            if first.isSubset(of: leftIDs) && second.isSubset(of: rightIDs) {
                pairs.append((index, arguments[0], arguments[1], function == .isNotDistinctFrom))
            } else if first.isSubset(of: rightIDs) && second.isSubset(of: leftIDs) {
                pairs.append((index, arguments[1], arguments[0], function == .isNotDistinctFrom))
            }
        }
        let hashesComparisons = !isMarkJoin || pairs.count == conjuncts.count && !pairs.contains { $0.isNullSafe }
        var keyConjuncts = Set<Int>()
        for pair in pairs {
            if pair.isNullSafe {
                guard let placeholder = JoinConditionAnalysis.placeholder(for: pair.left.dataType) else { continue }
                leftKeys.append(.function(.isNull, [pair.left], .boolean))
                rightKeys.append(.function(.isNull, [pair.right], .boolean))
                leftKeys.append(.function(.coalesce, [pair.left, placeholder], pair.left.dataType))
                rightKeys.append(.function(.coalesce, [pair.right, placeholder], pair.right.dataType))
            } else if !hashesComparisons {
                continue
            } else {
                leftKeys.append(pair.left)
                rightKeys.append(pair.right)
            }
            keyConjuncts.insert(pair.index)
        }
        residual = Expression.conjunction(conjuncts.indices.filter { !keyConjuncts.contains($0) }.map { conjuncts[$0] })
    }

    /// A constant of the type, to stand for NULL in a NULL-safe key (next to the key's IS NULL flag).
    private static func placeholder(for type: DataType) -> Expression? {
        switch type {
        case .null: return nil
        case .boolean: return .literal(.boolean(false), type)
        case .int8: return .literal(.int8(0), type)
        case .int16: return .literal(.int16(0), type)
        case .int32: return .literal(.int32(0), type)
        case .int64: return .literal(.int64(0), type)
        case .float32: return .literal(.float32(0), type)
        case .float64: return .literal(.float64(0), type)
        case .decimal128(let precision, let scale): return .literal(.decimal(0, precision: precision, scale: scale), type)
        case .date32: return .literal(.date(0), type)
        case .interval: return .literal(.interval(IntervalValue()), type)
        case .utf8: return .literal(.string(""), type)
        }
    }
}
