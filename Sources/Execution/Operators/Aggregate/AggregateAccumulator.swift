import Columnar
import LogicalPlan

/// The running state of one aggregate function over many groups, updated batch by batch.
///
/// Groups are dense numbers assigned by the hash table. `update` receives, for each input row, its group
/// and the argument values (rows already filtered by FILTER and DISTINCT). `merge` folds in a thread-local
/// partial state whose group `i` is this state's group `groupMapping[i]`, so aggregation can run on morsels
/// in parallel and combine at the end. Implementations dispatch on the argument type once per batch.
protocol AggregateAccumulator: AnyObject {
    /// Makes room for groups `0..<groupCount`; new groups start empty.
    func resize(groupCount: Int)
    /// Adds rows: `groups[i]` is the group of row `i` of every argument column.
    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws
    /// Adds a partial state of the same kind; its group `i` maps to group `groupMapping[i]` here.
    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws
    /// The result per group, `groupCount` rows, in the accumulator's natural result type.
    func finish(groupCount: Int) throws -> Column
}

/// Grows a group-indexed state array to `count` entries filled with `value`.
@inline(__always)
func growGroupState<T>(_ array: inout [T], to count: Int, with value: T) {
    if array.count < count { array.append(contentsOf: repeatElement(value, count: count - array.count)) }
}

/// Chooses the accumulator for an aggregate call from its function, argument types and result type.
enum AggregateAccumulatorFactory {
    static func make(for call: AggregateCall) throws -> any AggregateAccumulator {
        let outputType = call.output.dataType
        let argumentType = call.arguments.first?.dataType ?? .null
        switch call.function {
        case .countStar:
            return CountAccumulator(countsEveryRow: true)
        case .count:
            return CountAccumulator(countsEveryRow: call.arguments.isEmpty)
        case .sum, .average:
            let isAverage = call.function == .average
            switch argumentType {
            case .null:
                return NullResultAccumulator(type: outputType)
            case .int8, .int16, .int32, .int64:
                return ExactSumAccumulator(inputScale: 0, outputType: outputType, isAverage: isAverage)
            case .decimal128(_, let scale):
                return ExactSumAccumulator(inputScale: scale, outputType: outputType, isAverage: isAverage)
            case .float32, .float64:
                return FloatSumAccumulator(outputType: outputType, isAverage: isAverage)
            default:
                throw ExecutionError("function \(isAverage ? "avg" : "sum")(\(argumentType)) does not exist")
            }
        case .minimum, .maximum:
            let isMaximum = call.function == .maximum
            switch argumentType {
            case .null: return NullResultAccumulator(type: outputType)
            case .boolean: return BooleanAccumulator(isAnd: !isMaximum)
            case .int8: return FixedMinMaxAccumulator<Int8>(type: argumentType, isMaximum: isMaximum)
            case .int16: return FixedMinMaxAccumulator<Int16>(type: argumentType, isMaximum: isMaximum)
            case .int32, .date32: return FixedMinMaxAccumulator<Int32>(type: argumentType, isMaximum: isMaximum)
            case .int64: return FixedMinMaxAccumulator<Int64>(type: argumentType, isMaximum: isMaximum)
            case .float32: return FixedMinMaxAccumulator<Float>(type: argumentType, isMaximum: isMaximum)
            case .float64: return FixedMinMaxAccumulator<Double>(type: argumentType, isMaximum: isMaximum)
            case .decimal128: return FixedMinMaxAccumulator<Int128>(type: argumentType, isMaximum: isMaximum)
            case .interval: return FixedMinMaxAccumulator<IntervalValue>(type: argumentType, isMaximum: isMaximum)
            case .utf8: return StringMinMaxAccumulator(isMaximum: isMaximum)
            }
        case .standardDeviationSample, .standardDeviationPopulation, .varianceSample, .variancePopulation:
            guard argumentType.isNumeric || argumentType == .null else {
                throw ExecutionError("function \(call.function)(\(argumentType)) does not exist")
            }
            guard let kind = VarianceAccumulator.Kind(call.function) else {
                throw ExecutionError("internal error: \(call.function) is not a variance")
            }
            return VarianceAccumulator(kind: kind)
        case .boolAnd, .boolOr:
            guard argumentType == .boolean || argumentType == .null else {
                throw ExecutionError("function \(call.function == .boolAnd ? "bool_and" : "bool_or")(\(argumentType)) does not exist")
            }
            return BooleanAccumulator(isAnd: call.function == .boolAnd)
        case .stringAgg:
            return StringAggregateAccumulator(orderBy: call.orderBy, argumentCount: call.arguments.count)
        case .singleValue:
            return SingleValueAccumulator(type: argumentType == .null ? outputType : argumentType)
        }
    }
}

/// `count(*)` (every row) and `count(x)` (non-null values).
final class CountAccumulator: AggregateAccumulator {
    private let countsEveryRow: Bool
    private var counts: [Int64] = []

    init(countsEveryRow: Bool) { self.countsEveryRow = countsEveryRow }

    func resize(groupCount: Int) { growGroupState(&counts, to: groupCount, with: 0) }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        counts.withUnsafeMutableBufferPointer { counts in
            if countsEveryRow || arguments.isEmpty {
                for group in groups { counts[Int(group)] &+= 1 }
                return
            }
            let column = arguments[0]
            if column.dataType == .null { return }
            if let validity = column.validity {
                for (row, group) in groups.enumerated() where Bitmap.isSet(validity.pointer, row) { counts[Int(group)] &+= 1 }
            } else {
                for group in groups { counts[Int(group)] &+= 1 }
            }
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? CountAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.counts.count { counts[Int(target)] &+= other.counts[group] }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        return counts.withUnsafeBufferPointer { BatchSupport.fixedColumn(.int64, values: UnsafeBufferPointer(rebasing: $0[0..<groupCount]), valid: nil) }
    }
}

/// An aggregate whose result is NULL for every group (for example `sum(NULL)`).
final class NullResultAccumulator: AggregateAccumulator {
    private let type: DataType
    init(type: DataType) { self.type = type }
    func resize(groupCount: Int) {}
    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {}
    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {}
    func finish(groupCount: Int) throws -> Column { nullColumn(type, count: groupCount) }
}

/// `bool_and` / `bool_or`, and `min` / `max` of booleans (AND / OR).
final class BooleanAccumulator: AggregateAccumulator {
    private let isAnd: Bool
    private var values: [Bool] = []
    private var seen: [Bool] = []

    init(isAnd: Bool) { self.isAnd = isAnd }

    func resize(groupCount: Int) {
        growGroupState(&values, to: groupCount, with: isAnd)
        growGroupState(&seen, to: groupCount, with: false)
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard let column = arguments.first, column.dataType == .boolean, let bits = column.values else { return }
        let validity = column.validity
        let isAnd = self.isAnd
        values.withUnsafeMutableBufferPointer { values in
            seen.withUnsafeMutableBufferPointer { seen in
                for (row, group) in groups.enumerated() {
                    if let validity, !Bitmap.isSet(validity.pointer, row) { continue }
                    let value = Bitmap.isSet(bits.pointer, row)
                    let index = Int(group)
                    seen[index] = true
                    values[index] = isAnd ? (values[index] && value) : (values[index] || value)
                }
            }
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? BooleanAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.seen.count && other.seen[group] {
            let index = Int(target)
            values[index] = seen[index] ? (isAnd ? values[index] && other.values[group] : values[index] || other.values[group])
                : other.values[group]
            seen[index] = true
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        return values.withUnsafeBufferPointer { values in
            seen.withUnsafeBufferPointer { seen in
                BatchSupport.booleanColumn(values: UnsafeBufferPointer(rebasing: values[0..<groupCount]),
                                           valid: UnsafeBufferPointer(rebasing: seen[0..<groupCount]))
            }
        }
    }
}

/// The value of a group's only row (for scalar subqueries): NULL without rows, an error on a second row.
final class SingleValueAccumulator: AggregateAccumulator {
    private let type: DataType
    /// Per group: the position of its value in `values`, or -1 before its first row.
    private var positions: [Int32] = []
    private var values: ColumnBuilder

    init(type: DataType) {
        self.type = type
        values = ColumnBuilder(type, capacity: 16)
    }

    func resize(groupCount: Int) { growGroupState(&positions, to: groupCount, with: -1) }

    private static var tooManyRows: ExecutionError {
        ExecutionError("more than one row returned by a subquery used as an expression")
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        let column = try arguments.first.map { try BatchSupport.conform($0, to: type) } ?? nullColumn(type, count: groups.count)
        for (row, group) in groups.enumerated() {
            let index = Int(group)
            if positions[index] >= 0 { throw SingleValueAccumulator.tooManyRows }
            positions[index] = Int32(truncatingIfNeeded: values.count)
            values.append(from: column, index: row)
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? SingleValueAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        let otherValues = other.values.finish()
        for (group, target) in groupMapping.enumerated() where group < other.positions.count && other.positions[group] >= 0 {
            let index = Int(target)
            if positions[index] >= 0 { throw SingleValueAccumulator.tooManyRows }
            positions[index] = Int32(truncatingIfNeeded: values.count)
            values.append(from: otherValues, index: Int(other.positions[group]))
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        let column = values.finish()
        var builder = ColumnBuilder(type, capacity: groupCount)
        for group in 0..<groupCount {
            let position = Int(positions[group])
            if position >= 0 { builder.append(from: column, index: position) } else { builder.appendNull() }
        }
        return builder.finish()
    }
}
