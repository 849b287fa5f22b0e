import Catalog
import Columnar
import LogicalPlan

/// Decides from a segment's per-column min/max whether pushed filters can be true for any of its rows.
///
/// Understood filters: `column op constant` (either order) for `=`, `<>`, `<`, `<=`, `>`, `>=`,
/// `column IN (constants)`, and ORs of these (a segment is skipped when every alternative rules it out).
/// A comparison with a NULL constant is never true, so it rules out every segment.
struct SegmentPruning {
    private enum Test {
        case compare(ScalarFunction, Value)
        case inList([Value])
        case never
    }

    private struct Condition {
        /// The index of the column in the table (and in `columnStatistics`).
        var tableColumn: Int
        var test: Test
    }

    private var conditions: [Condition] = []
    /// ORs of conditions: a segment is skipped when every condition of one of them rules it out.
    private var disjunctions: [[Condition]] = []

    init(predicates: [Expression], columns: [PlanColumn], columnIndices: [Int]) {
        func tableColumn(of expression: Expression) -> Int? {
            guard case .column(let column) = expression,
                  let position = columns.firstIndex(where: { $0.id == column.id }),
                  position < columnIndices.count else { return nil }
            return columnIndices[position]
        }
        func constant(_ expression: Expression) -> Value? {
            if case .literal(let value, _) = expression { return value }
            return nil
        }
        func condition(_ predicate: Expression) -> Condition? {
            switch predicate {
            case .function(let function, let arguments, _) where arguments.count == 2:
                guard let flipped = SegmentPruning.flipped(function) else { return nil }
                if let index = tableColumn(of: arguments[0]), let value = constant(arguments[1]) {
                    return Condition(tableColumn: index, test: value.isNull ? .never : .compare(function, value))
                } else if let index = tableColumn(of: arguments[1]), let value = constant(arguments[0]) {
                    return Condition(tableColumn: index, test: value.isNull ? .never : .compare(flipped, value))
                }
                return nil
            case .inList(let operand, let list, let isNegated) where !isNegated:
                guard let index = tableColumn(of: operand) else { return nil }
                let values = list.compactMap(constant)
                guard values.count == list.count else { return nil }
                return Condition(tableColumn: index, test: .inList(values.filter { !$0.isNull }))
            default:
                return nil
            }
        }
        for predicate in predicates {
            if case .or(let operands) = predicate {
                let alternatives = operands.compactMap(condition)
                if alternatives.count == operands.count, !alternatives.isEmpty { disjunctions.append(alternatives) }
            } else if let understood = condition(predicate) {
                conditions.append(understood)
            }
        }
    }

    /// The comparison with its operands swapped; nil for functions that are not comparisons.
    private static func flipped(_ function: ScalarFunction) -> ScalarFunction? {
        switch function {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return nil
        }
    }

    /// Whether no row of `segment` can pass the filters.
    func canSkip(_ segment: any TableSegment) -> Bool {
        if conditions.isEmpty && disjunctions.isEmpty { return false }
        let statistics = segment.columnStatistics
        for condition in conditions where SegmentPruning.rulesOut(condition, statistics) { return true }
        for alternatives in disjunctions where alternatives.allSatisfy({ SegmentPruning.rulesOut($0, statistics) }) {
            return true
        }
        return false
    }

    /// Whether no row with values inside the segment's min/max can satisfy `condition`.
    private static func rulesOut(_ condition: Condition, _ statistics: [ColumnStatistics?]) -> Bool {
        if case .never = condition.test { return true }
        guard condition.tableColumn < statistics.count, let columnStatistics = statistics[condition.tableColumn],
              let minimum = columnStatistics.minimum, let maximum = columnStatistics.maximum,
              !minimum.isNull, !maximum.isNull else { return false }
        return rulesOut(condition.test, minimum: minimum, maximum: maximum)
    }

    private static func rulesOut(_ test: Test, minimum: Value, maximum: Value) -> Bool {
        switch test {
        case .never:
            return true
        case .inList(let values):
            for value in values {
                guard let low = ValueOrdering.compare(value, minimum), let high = ValueOrdering.compare(value, maximum) else {
                    return false
                }
                if low >= 0 && high <= 0 { return false }
            }
            return true
        case .compare(let function, let value):
            guard let toMinimum = ValueOrdering.compare(minimum, value),
                  let toMaximum = ValueOrdering.compare(maximum, value) else { return false }
            switch function {
            case .equal: return toMinimum > 0 || toMaximum < 0
            case .notEqual: return toMinimum == 0 && toMaximum == 0
            case .less: return toMinimum >= 0
            case .lessOrEqual: return toMinimum > 0
            case .greater: return toMaximum <= 0
            case .greaterOrEqual: return toMaximum < 0
            default: return false
            }
        }
    }
}

/// Compares scalar values of compatible types (numbers of any kind with each other, dates, strings by bytes,
/// booleans). Slow; for planning decisions, never per row.
enum ValueOrdering {
    /// -1, 0 or 1; nil when the values cannot be compared (NULL, NaN, or incompatible types).
    static func compare(_ left: Value, _ right: Value) -> Int? {
        switch (left, right) {
        case (.string(let a), .string(let b)):
            let leftBytes = Array(a.utf8), rightBytes = Array(b.utf8)
            if leftBytes == rightBytes { return 0 }
            return leftBytes.lexicographicallyPrecedes(rightBytes) ? -1 : 1
        case (.boolean(let a), .boolean(let b)):
            return a == b ? 0 : (a ? 1 : -1)
        case (.date(let a), .date(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        default:
            break
        }
        if let a = exact(left), let b = exact(right) {
            let scale = max(a.scale, b.scale)
            guard let x = rescale(a.value, from: a.scale, to: scale), let y = rescale(b.value, from: b.scale, to: scale) else {
                return nil
            }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        if let a = approximate(left), let b = approximate(right) {
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
        return nil
    }

    private static func exact(_ value: Value) -> (value: Int128, scale: Int)? {
        switch value {
        case .int8(let v): return (Int128(v), 0)
        case .int16(let v): return (Int128(v), 0)
        case .int32(let v): return (Int128(v), 0)
        case .int64(let v): return (Int128(v), 0)
        case .decimal(let v, _, let scale): return (v, scale)
        default: return nil
        }
    }

    private static func approximate(_ value: Value) -> Double? {
        switch value {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default:
            guard let (unscaled, scale) = exact(value), scale >= 0, scale < DecimalFormat.powersOfTen.count else { return nil }
            return Double(unscaled) / Double(DecimalFormat.powersOfTen[scale])
        }
    }

    private static func rescale(_ value: Int128, from scale: Int, to target: Int) -> Int128? {
        let difference = target - scale
        guard difference >= 0, difference < DecimalFormat.powersOfTen.count else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: DecimalFormat.powersOfTen[difference])
        return overflow ? nil : result
    }
}
