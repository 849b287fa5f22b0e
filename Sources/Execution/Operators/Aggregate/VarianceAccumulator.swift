import Columnar

/// `stddev_samp`, `stddev_pop`, `var_samp` and `var_pop` in double precision, with Welford's online update
/// per group and Chan's formula to merge partial states. Sample variants are NULL below two values,
/// population variants NULL without values.
final class VarianceAccumulator: AggregateAccumulator {
    enum Kind {
        case standardDeviationSample, standardDeviationPopulation, varianceSample, variancePopulation
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
                            let value = values[row]
                            counts[index] += 1
                            let delta = value - means[index]
                            means[index] += delta / Double(counts[index])
                            squares[index] += delta * (value - means[index])
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
            let count = counts[group]
            let isSample = kind == .standardDeviationSample || kind == .varianceSample
            if count == 0 || (isSample && count < 2) { continue }
            var variance = squaredDeviations[group] / Double(isSample ? count - 1 : count)
            if variance < 0 { variance = 0 }
            valid[group] = true
            results[group] = (kind == .standardDeviationSample || kind == .standardDeviationPopulation) ? variance.squareRoot() : variance
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
