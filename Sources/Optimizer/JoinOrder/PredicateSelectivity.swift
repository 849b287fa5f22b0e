import LogicalPlan

/// Guesses the fraction of rows that pass a predicate, from its shape alone (and a column's distinct count
/// when the catalog's statistics know it). The guesses are the classic System R style constants:
///
/// | predicate                                   | selectivity                                 |
/// |---------------------------------------------|---------------------------------------------|
/// | `x = constant`                              | 1 / distinct(x) when known, else 0.1        |
/// | `x = y` (one relation), `IS NOT DISTINCT`   | 0.1                                         |
/// | `x <> constant`, `IS DISTINCT FROM`         | 0.9                                         |
/// | `x < c`, `<=`, `>`, `>=`                    | 0.33                                        |
/// | a lower and an upper bound on the same `x`  | 0.25 for the pair (`BETWEEN`)               |
/// | `LIKE`, `starts_with`                       | 0.25                                        |
/// | `x IN (a, b, ...)`                          | min(0.5, n × selectivity of `x = a`)        |
/// | `IS NULL` / `IS NOT NULL`                   | 0.1 / 0.9                                   |
/// | `NOT p`                                     | 1 − selectivity(p)                          |
/// | `p AND q` / `p OR q`                        | product / 1 − (1 − s(p))(1 − s(q))          |
/// | `TRUE` / `FALSE`, `NULL`                    | 1 / 0                                       |
/// | anything else (boolean columns, functions)  | 0.5                                         |
///
/// Conjuncts are assumed independent.
public enum PredicateSelectivity {
    public static let equality = 0.1
    public static let inequality = 0.9
    public static let range = 0.33
    public static let boundedRange = 0.25
    public static let like = 0.25
    public static let isNull = 0.1
    public static let unknown = 0.5

    /// The fraction of rows passing all `conjuncts`. `distinctCount` gives the number of distinct values of
    /// an expression when statistics know it.
    public static func of(_ conjuncts: [Expression], distinctCount: (Expression) -> Double? = { _ in nil }) -> Double {
        clamped(factors(of: conjuncts, distinctCount: distinctCount).reduce(1, *))
    }

    /// One factor per conjunct, whose product is the selectivity of them all: a lower and an upper bound on
    /// the same expression count `boundedRange` for the first of the two and 1 for the second.
    public static func factors(of conjuncts: [Expression], distinctCount: (Expression) -> Double? = { _ in nil }) -> [Double] {
        var result = conjuncts.map { of($0, distinctCount: distinctCount) }
        // Unpaired bounds per bounded expression and direction, by position.
        var open: [Expression: (lower: [Int], upper: [Int])] = [:]
        for (index, conjunct) in conjuncts.enumerated() {
            guard let (bounded, isLower) = rangeBound(conjunct) else { continue }
            var entry = open[bounded] ?? ([], [])
            if isLower, let partner = entry.upper.first {
                entry.upper.removeFirst()
                result[partner] = boundedRange
                result[index] = 1
            } else if !isLower, let partner = entry.lower.first {
                entry.lower.removeFirst()
                result[partner] = boundedRange
                result[index] = 1
            } else if isLower {
                entry.lower.append(index)
            } else {
                entry.upper.append(index)
            }
            open[bounded] = entry
        }
        return result
    }

    /// The fraction of rows passing `predicate`.
    public static func of(_ predicate: Expression, distinctCount: (Expression) -> Double? = { _ in nil }) -> Double {
        switch predicate {
        case .and(let operands):
            return of(operands, distinctCount: distinctCount)
        case .or(let operands):
            let missed = operands.reduce(1.0) { $0 * (1 - of($1, distinctCount: distinctCount)) }
            return clamped(1 - missed)
        case .not(let operand):
            return clamped(1 - of(operand, distinctCount: distinctCount))
        case .literal(let value, _):
            if case .boolean(true) = value { return 1 }
            return 0
        case .inList(let operand, let list, let isNegated):
            let each = equalitySelectivity(operand, distinctCount: distinctCount)
            let matched = min(unknown, Double(list.count) * each)
            return clamped(isNegated ? 1 - matched : matched)
        case .function(let function, let arguments, _):
            return functionSelectivity(function, arguments, distinctCount: distinctCount)
        default:
            return unknown
        }
    }

    private static func functionSelectivity(_ function: ScalarFunction, _ arguments: [Expression],
                                            distinctCount: (Expression) -> Double?) -> Double {
        switch function {
        case .equal, .isNotDistinctFrom:
            guard arguments.count == 2 else { return unknown }
            if arguments[1].isConstant { return equalitySelectivity(arguments[0], distinctCount: distinctCount) }
            if arguments[0].isConstant { return equalitySelectivity(arguments[1], distinctCount: distinctCount) }
            return equality
        case .notEqual, .isDistinctFrom:
            return inequality
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return range
        case .like, .startsWith:
            return like
        case .isNull:
            return isNull
        case .isNotNull:
            return 1 - isNull
        default:
            return unknown
        }
    }

    /// `1 / distinct(x)` for `x = constant` when statistics know the distinct count, else `equality`.
    private static func equalitySelectivity(_ expression: Expression, distinctCount: (Expression) -> Double?) -> Double {
        if let distinct = distinctCount(expression), distinct >= 1 { return 1 / distinct }
        return equality
    }

    /// `(x, true)` for a lower bound `x > c` (`x >= c`, `c < x`, `c <= x`), `(x, false)` for an upper bound.
    private static func rangeBound(_ predicate: Expression) -> (Expression, Bool)? {
        guard case .function(let function, let arguments, _) = predicate, arguments.count == 2 else { return nil }
        let isLowerWhenConstantOnRight: Bool
        switch function {
        case .greater, .greaterOrEqual: isLowerWhenConstantOnRight = true
        case .less, .lessOrEqual: isLowerWhenConstantOnRight = false
        default: return nil
        }
        if arguments[1].isConstant, !arguments[0].isConstant { return (arguments[0], isLowerWhenConstantOnRight) }
        if arguments[0].isConstant, !arguments[1].isConstant { return (arguments[1], !isLowerWhenConstantOnRight) }
        return nil
    }

    private static func clamped(_ value: Double) -> Double {
        guard value.isFinite else { return unknown }
        return min(1, max(0, value))
    }
}
