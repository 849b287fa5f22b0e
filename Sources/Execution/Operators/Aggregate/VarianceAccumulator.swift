import Columnar
import LogicalPlan

/// `stddev_samp`, `stddev_pop`, `var_samp` and `var_pop` in double precision, with Welford's online update
/// per group and Chan's formula to merge partial states. Sample variants are NULL below two values,
/// population variants NULL without values.
final class VarianceAccumulator: AggregateAccumulator {
    enum Kind {
        case standardDeviationSample, standardDeviationPopulation, varianceSample, variancePopulation

        /// The kind computing `function`; nil for other aggregates.
        init?(_ function: AggregateFunction) {
            switch function {
            case .standardDeviationSample: self = .standardDeviationSample
            case .standardDeviationPopulation: self = .standardDeviationPopulation
            case .varianceSample: self = .varianceSample
            case .variancePopulation: self = .variancePopulation
            default: return nil
            }
        }

        /// Whether the sample (n - 1) rather than the population (n) statistic.
        var isSample: Bool { self == .standardDeviationSample || self == .varianceSample }
        /// Whether the square root of the variance.
        var isDeviation: Bool { self == .standardDeviationSample || self == .standardDeviationPopulation }
    }

    /// Welford's update of the state `(count, mean, squaredDeviations)` with one value. The window versions of
    /// these aggregates use it too, so that both round the same.
    @inline(__always)
    static func add(_ value: Double, count: inout Int64, mean: inout Double, squaredDeviations: inout Double) {
        count &+= 1
        let delta = value - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (value - mean)
    }

    /// The statistic of a state: NULL (nil) below two values for sample variants and without values for
    /// population ones; a variance rounded below zero counts as zero.
    @inline(__always)
    static func statistic(count: Int64, squaredDeviations: Double, kind: Kind) -> Double? {
        if count == 0 || (kind.isSample && count < 2) { return nil }
        var variance = squaredDeviations / Double(kind.isSample ? count - 1 : count)
        if variance < 0 { variance = 0 }
        return kind.isDeviation ? variance.squareRoot() : variance
    }

    private let kind: Kind
    private var counts: [Int64] = []
    private var means: [Double] = []
    private var squaredDeviations: [Double] = []

    init(kind: Kind) { self.kind = kind }

    func resize(groupCount: Int) {
        growGroupState(&counts, to: groupCount, with: 0)
        growGroupState(&means, to: groupCount, with: 0)
        growGroupState(&squaredDeviations, to: groupCount, with: 0)
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard let column = arguments.first, column.dataType != .null else { return }
        let values = NumericInput.doubles(column)
        let validity = column.validity
        values.withUnsafeBufferPointer { values in
            counts.withUnsafeMutableBufferPointer { counts in
                means.withUnsafeMutableBufferPointer { means in
                    squaredDeviations.withUnsafeMutableBufferPointer { squares in
                        for (row, group) in groups.enumerated() {
                            if let validity, !Bitmap.isSet(validity.pointer, row) { continue }
                            let index = Int(group)
                            Self.add(values[row], count: &counts[index], mean: &means[index],
                                     squaredDeviations: &squares[index])
                        }
                    }
                }
            }
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? VarianceAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.counts.count && other.counts[group] > 0 {
            let index = Int(target)
            let leftCount = Double(counts[index]), rightCount = Double(other.counts[group])
            let total = leftCount + rightCount
            let delta = other.means[group] - means[index]
            means[index] += delta * rightCount / total
            squaredDeviations[index] += other.squaredDeviations[group] + delta * delta * leftCount * rightCount / total
            counts[index] += other.counts[group]
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        var results = [Double](repeating: 0, count: groupCount)
        var valid = [Bool](repeating: false, count: groupCount)
        for group in 0..<groupCount {
            guard let value = Self.statistic(count: counts[group], squaredDeviations: squaredDeviations[group],
                                             kind: kind) else { continue }
            valid[group] = true
            results[group] = value
        }
        return results.withUnsafeBufferPointer { results in
            valid.withUnsafeBufferPointer { BatchSupport.fixedColumn(.float64, values: results, valid: $0) }
        }
    }
}

/// Conversion of numeric columns to doubles, once per batch.
enum NumericInput {
    /// The column's values as doubles (decimals divided by their scale); NULL rows hold 0.
    static func doubles(_ column: Column) -> [Double] {
        let count = column.count
        guard let buffer = column.values else { return [Double](repeating: 0, count: count) }
        func convert<T>(_ type: T.Type, _ transform: (T) -> Double) -> [Double] {
            let values = buffer.typed(T.self)
            return (0..<count).map { transform(values[$0]) }
        }
        switch column.dataType {
        case .int8: return convert(Int8.self) { Double($0) }
        case .int16: return convert(Int16.self) { Double($0) }
        case .int32: return convert(Int32.self) { Double($0) }
        case .int64: return convert(Int64.self) { Double($0) }
        case .float32: return convert(Float.self) { Double($0) }
        case .float64: return convert(Double.self) { $0 }
        case .decimal128(_, let scale):
            let divisor = ExactArithmetic.powerOfTen(scale)
            return convert(Int128.self) { Double($0) / divisor }
        default: return [Double](repeating: 0, count: count)
        }
    }
}
