import Columnar
import LogicalPlan

/// Aggregates over window frames without revisiting rows: frames only move forward within a partition (both
/// ends are non-decreasing), so
/// - `count`, exact `sum` and `avg` (integers, decimals) use prefix sums restarted at each partition: O(1) a row;
/// - floating-point `sum` and `avg` keep a running sum when every frame starts at the partition's start, else
///   query a segment tree of pairwise sums (O(log n) a row, and no cancellation from subtracting prefixes);
/// - `min`, `max`, `bool_and`, `bool_or` keep a monotonic deque of candidate rows: amortized O(1) a row;
/// - the standard deviations and variances: see `WindowVariance`; `string_agg`: see `WindowStringAggregation`.
/// With `EXCLUDE`, a frame is up to two ranges and the current row (`WindowFrameBounds.Segments`): prefix sums
/// stay O(1) a row, floating-point sums use the segment tree, and `min` / `max` a segment tree of the best row
/// (O(log n) a row).
/// Rows whose argument is NULL, or whose FILTER is not true, are skipped. Results are in input row order.
enum WindowAggregation {
    /// The aggregate of every frame, in input row order. `separator` is `string_agg`'s second argument.
    static func compute(_ function: AggregateFunction, argument: Column?, separator: Column? = nil, filter: Column?,
                        ordering: WindowOrdering, frame: WindowFrameBounds, outputType: DataType) throws -> Column {
        let included = includedPositions(function == .countStar ? nil : argument, filter: filter, ordering: ordering)
        switch function {
        case .count, .countStar:
            let counts = frameCounts(included, ordering: ordering, frame: frame)
            return counts.withUnsafeBufferPointer { BatchSupport.fixedColumn(.int64, values: $0, valid: nil) }
        case .sum, .average:
            guard let argument, argument.dataType != .null else { return nullColumn(outputType, count: ordering.count) }
            if argument.dataType.isFloatingPoint {
                return try floatingSums(argument, included: included, isAverage: function == .average,
                                        ordering: ordering, frame: frame, outputType: outputType)
            }
            return try exactSums(argument, included: included, isAverage: function == .average,
                                 ordering: ordering, frame: frame, outputType: outputType)
        case .minimum, .maximum, .boolAnd, .boolOr:
            guard let argument, argument.dataType != .null else { return nullColumn(outputType, count: ordering.count) }
            let isMaximum = function == .maximum || function == .boolOr
            let sources = try WindowExtremes.sources(argument, isMaximum: isMaximum, included: included,
                                                     ordering: ordering, frame: frame)
            let value = try BatchSupport.conform(argument, to: outputType)
            return WindowNavigation.gather(from: value, extra: nullColumn(outputType, count: 1), sources: sources,
                                           type: outputType)
        case .standardDeviationSample, .standardDeviationPopulation, .varianceSample, .variancePopulation:
            guard let argument, argument.dataType != .null else { return nullColumn(outputType, count: ordering.count) }
            guard argument.dataType.isNumeric else {
                throw ExecutionError("function \(function.sqlName)(\(argument.dataType)) does not exist")
            }
            return WindowVariance.compute(function, argument: argument, included: included, ordering: ordering,
                                          frame: frame)
        case .stringAgg:
            guard let argument, argument.dataType != .null else { return nullColumn(outputType, count: ordering.count) }
            return try WindowStringAggregation.compute(value: argument, separator: separator, included: included,
                                                       ordering: ordering, frame: frame)
        case .singleValue:
            throw ExecutionError("\(function.sqlName) is not supported as a window function")
        }
    }

    /// Sorted position → whether the row takes part: its argument is not NULL and its FILTER is true.
    static func includedPositions(_ argument: Column?, filter: Column?, ordering: WindowOrdering) -> [Bool] {
        var included = [Bool](repeating: true, count: ordering.count)
        included.withUnsafeMutableBufferPointer { included in
            for (position, row) in ordering.order.enumerated() {
                let row = Int(row)
                if let argument, argument.isNull(row) { included[position] = false }
                if let filter, filter.isNull(row) || !filter.boolean(at: row) { included[position] = false }
            }
        }
        return included
    }

    /// The number of included rows in every frame, in input row order.
    private static func frameCounts(_ included: [Bool], ordering: WindowOrdering, frame: WindowFrameBounds) -> [Int64] {
        let count = ordering.count
        var prefix = [Int64](repeating: 0, count: count + 1)
        for position in 0..<count { prefix[position + 1] = prefix[position] &+ (included[position] ? 1 : 0) }
        var counts = [Int64](repeating: 0, count: count)
        for (position, row) in ordering.order.enumerated() {
            let segments = frame.segments(position, ordering)
            var total = prefix[segments.before.upperBound] &- prefix[segments.before.lowerBound]
            total &+= prefix[segments.after.upperBound] &- prefix[segments.after.lowerBound]
            if let current = segments.current, included[current] { total &+= 1 }
            counts[Int(row)] = total
        }
        return counts
    }

    /// `sum` / `avg` of integers and decimals: exact 128-bit prefix sums per partition.
    private static func exactSums(_ argument: Column, included: [Bool], isAverage: Bool, ordering: WindowOrdering,
                                  frame: WindowFrameBounds, outputType: DataType) throws -> Column {
        let count = ordering.count
        let inputScale: Int
        var values = [Int128](repeating: 0, count: count)
        switch argument.dataType {
        case .int8: inputScale = 0; gather(argument, Int8.self, ordering, included, into: &values)
        case .int16: inputScale = 0; gather(argument, Int16.self, ordering, included, into: &values)
        case .int32: inputScale = 0; gather(argument, Int32.self, ordering, included, into: &values)
        case .int64: inputScale = 0; gather(argument, Int64.self, ordering, included, into: &values)
        case .decimal128(_, let scale): inputScale = scale; gather(argument, Int128.self, ordering, included, into: &values)
        default: throw ExecutionError("function sum(\(argument.dataType)) does not exist")
        }
        // prefix[p + 1]: the sum of the partition's included values up to position p.
        var prefix = [Int128](repeating: 0, count: count + 1)
        var countPrefix = [Int64](repeating: 0, count: count + 1)
        for index in 0..<ordering.partitionCount {
            let partition = ordering.partition(index)
            var sum: Int128 = 0
            var rows: Int64 = 0
            for position in partition {
                let (next, overflow) = sum.addingReportingOverflow(values[position])
                if overflow { throw ExecutionError("numeric field overflow") }
                sum = next
                rows &+= included[position] ? 1 : 0
                prefix[position + 1] = sum
                countPrefix[position + 1] = rows
            }
        }
        var sums = [Int128](repeating: 0, count: count)
        var counts = [Int64](repeating: 0, count: count)
        for index in 0..<ordering.partitionCount {
            let partition = ordering.partition(index)
            // prefix[partition start] belongs to the previous partition: a range starting there subtracts nothing.
            func rangeSum(_ range: Range<Int>) -> (sum: Int128, count: Int64) {
                guard !range.isEmpty else { return (0, 0) }
                let atStart = range.lowerBound == partition.lowerBound
                return (prefix[range.upperBound] &- (atStart ? 0 : prefix[range.lowerBound]),
                        countPrefix[range.upperBound] &- (atStart ? 0 : countPrefix[range.lowerBound]))
            }
            for position in partition {
                let row = Int(ordering.order[position])
                let segments = frame.segments(position, ordering)
                var (sum, rows) = rangeSum(segments.before)
                if let current = segments.current, included[current] {
                    let (next, overflow) = sum.addingReportingOverflow(values[current])
                    if overflow { throw ExecutionError("numeric field overflow") }
                    (sum, rows) = (next, rows &+ 1)
                }
                if !segments.after.isEmpty {
                    let after = rangeSum(segments.after)
                    let (next, overflow) = sum.addingReportingOverflow(after.sum)
                    if overflow { throw ExecutionError("numeric field overflow") }
                    (sum, rows) = (next, rows &+ after.count)
                }
                sums[row] = sum
                counts[row] = rows
            }
        }
        let valid = counts.map { $0 > 0 }
        guard isAverage else {
            return try ExactArithmetic.column(sums, scale: inputScale, valid: valid, type: outputType)
        }
        if case .decimal128(_, let scale) = outputType {
            var quotients = [Int128](repeating: 0, count: count)
            for row in 0..<count where counts[row] > 0 {
                var numerator = sums[row], denominator = Int128(counts[row])
                if scale >= inputScale {
                    numerator = try ExactArithmetic.multiply(numerator, byPowerOfTen: scale - inputScale)
                } else {
                    denominator = try ExactArithmetic.multiply(denominator, byPowerOfTen: inputScale - scale)
                }
                quotients[row] = ExactArithmetic.roundedDivide(numerator, by: denominator)
            }
            return try ExactArithmetic.column(quotients, scale: scale, valid: valid, type: outputType)
        }
        let averages = (0..<count).map { row in counts[row] > 0 ? average(sums[row], scale: inputScale, count: counts[row]) : 0 }
        return try FloatSumAccumulator.column(averages, valid: valid, type: outputType)
    }

    /// `sum / 10^scale / count` as a double: one correctly rounded division when both sides are exact doubles.
    static func average(_ sum: Int128, scale: Int, count: Int64) -> Double {
        let exactLimit: Int128 = 1 << 53
        if scale < DecimalFormat.powersOfTen.count {
            let (denominator, overflow) = Int128(count).multipliedReportingOverflow(by: DecimalFormat.powersOfTen[scale])
            if !overflow, denominator <= exactLimit, sum.magnitude <= exactLimit.magnitude {
                return Double(sum) / Double(denominator)
            }
        }
        return Double(sum) / ExactArithmetic.powerOfTen(scale) / Double(count)
    }

    /// Copies included values into sorted-position order as 128-bit integers (zero elsewhere).
    private static func gather<T: FixedWidthInteger>(_ column: Column, _ type: T.Type, _ ordering: WindowOrdering,
                                                     _ included: [Bool], into values: inout [Int128]) {
        guard let buffer = column.values else { return }
        let source = buffer.typed(T.self)
        for (position, row) in ordering.order.enumerated() where included[position] {
            values[position] = Int128(truncatingIfNeeded: source[Int(row)])
        }
    }

    /// `sum` / `avg` of floats in double precision.
    private static func floatingSums(_ argument: Column, included: [Bool], isAverage: Bool, ordering: WindowOrdering,
                                     frame: WindowFrameBounds, outputType: DataType) throws -> Column {
        let count = ordering.count
        var values = [Double](repeating: 0, count: count)
        for (position, row) in ordering.order.enumerated() where included[position] {
            values[position] = argument.dataType == .float32
                ? Double(argument.value(at: Int(row), as: Float.self)) : argument.value(at: Int(row), as: Double.self)
        }
        let counts = frameCounts(included, ordering: ordering, frame: frame)
        var sums = [Double](repeating: 0, count: count)
        if frame.startsAtPartitionStart && !frame.hasExclusion {
            // Every frame is a prefix of its partition: one running sum, added in order.
            for index in 0..<ordering.partitionCount {
                let partition = ordering.partition(index)
                var running = 0.0
                var next = partition.lowerBound
                for position in partition {
                    let end = Int(frame.ends[position])
                    while next < end {
                        running += values[next]
                        next += 1
                    }
                    sums[Int(ordering.order[position])] = running
                }
            }
        } else {
            let tree = SumSegmentTree(values)
            for (position, row) in ordering.order.enumerated() {
                let segments = frame.segments(position, ordering)
                var sum = tree.sum(segments.before)
                if let current = segments.current { sum += values[current] }
                if !segments.after.isEmpty { sum += tree.sum(segments.after) }
                sums[Int(row)] = sum
            }
        }
        let valid = counts.map { $0 > 0 }
        let results = isAverage ? (0..<count).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 } : sums
        return try FloatSumAccumulator.column(results, valid: valid, type: outputType)
    }
}

/// Sums of ranges of doubles in O(log n): an implicit binary tree whose leaves are the values.
struct SumSegmentTree {
    private let leafCount: Int
    private var nodes: [Double]

    init(_ values: [Double]) {
        leafCount = values.count
        nodes = [Double](repeating: 0, count: 2 * max(values.count, 1))
        for (index, value) in values.enumerated() { nodes[leafCount + index] = value }
        if leafCount > 1 {
            for index in stride(from: leafCount - 1, through: 1, by: -1) { nodes[index] = nodes[2 * index] + nodes[2 * index + 1] }
        }
    }

    /// The sum of the values in `range`.
    func sum(_ range: Range<Int>) -> Double {
        var left = range.lowerBound + leafCount, right = range.upperBound + leafCount
        var leftSum = 0.0, rightSum = 0.0
        while left < right {
            if left & 1 == 1 {
                leftSum += nodes[left]
                left += 1
            }
            if right & 1 == 1 {
                right -= 1
                rightSum = nodes[right] + rightSum
            }
            left >>= 1
            right >>= 1
        }
        return leftSum + rightSum
    }
}
