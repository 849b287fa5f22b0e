import Columnar
import LogicalPlan

/// `sum` and `avg` of integers and decimals, summed exactly in 128 bits at the input's scale.
///
/// The result follows the call's output type: an integer (`bigint out of range` when it does not fit), a
/// decimal (rescaled; `numeric field overflow` beyond its precision) or a float. Averages divide the exact
/// sum by the count, rounding half away from zero for decimal results.
final class ExactSumAccumulator: AggregateAccumulator {
    private let inputScale: Int
    private let outputType: DataType
    private let isAverage: Bool
    private var sums: [Int128] = []
    private var counts: [Int64] = []

    init(inputScale: Int, outputType: DataType, isAverage: Bool) {
        self.inputScale = inputScale
        self.outputType = outputType
        self.isAverage = isAverage
    }

    func resize(groupCount: Int) {
        growGroupState(&sums, to: groupCount, with: 0)
        growGroupState(&counts, to: groupCount, with: 0)
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard let column = arguments.first else { return }
        var overflow = false
        let groupCount = sums.count
        sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                guard let sums = sums.baseAddress, let counts = counts.baseAddress else { return }
                if let fewGroupOverflow = ExactSumAccumulator.addFewGroups(column, groups, groupCount: groupCount,
                                                                           sums, counts) {
                    overflow = fewGroupOverflow
                    return
                }
                switch column.dataType {
                case .int8: ExactSumAccumulator.addIntegers(column, Int8.self, groups, sums, counts)
                case .int16: ExactSumAccumulator.addIntegers(column, Int16.self, groups, sums, counts)
                case .int32: ExactSumAccumulator.addIntegers(column, Int32.self, groups, sums, counts)
                case .int64: ExactSumAccumulator.addIntegers(column, Int64.self, groups, sums, counts)
                case .decimal128: overflow = ExactSumAccumulator.addDecimals(column, groups, sums, counts)
                default: break
                }
            }
        }
        if overflow { throw ExecutionError("numeric field overflow") }
    }

    /// Adds the rows with `FewGroupSums` when there are few groups and the batch's values sum exactly in 128
    /// bits; returns whether a total overflowed, or nil when the kernel does not apply (nothing was added).
    private static func addFewGroups(_ column: Column, _ groups: UnsafeBufferPointer<Int32>, groupCount: Int,
                                     _ sums: UnsafeMutablePointer<Int128>, _ counts: UnsafeMutablePointer<Int64>) -> Bool? {
        guard groupCount <= FewGroupSums.maximumGroupCount, let buffer = column.values else { return nil }
        let validity = column.validity.map { UnsafeRawPointer($0.pointer) }
        @inline(__always)
        func add<T: FixedWidthInteger>(_ type: T.Type) -> Bool? {
            FewGroupSums.add(UnsafePointer(buffer.typed(T.self)), validity: validity, groups: groups, groupCount: groupCount,
                             sums: sums, counts: counts)
        }
        switch column.dataType {
        case .int8: return add(Int8.self)
        case .int16: return add(Int16.self)
        case .int32: return add(Int32.self)
        case .int64: return add(Int64.self)
        case .decimal128:
            return add(Int128.self)
        default:
            return nil
        }
    }

    @inline(__always)
    private static func addIntegers<T: FixedWidthInteger>(_ column: Column, _ type: T.Type, _ groups: UnsafeBufferPointer<Int32>,
                                                           _ sums: UnsafeMutablePointer<Int128>, _ counts: UnsafeMutablePointer<Int64>) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        // Integer inputs cannot overflow 128 bits: each value is below 2^63 and there are fewer than 2^63 rows.
        if let validity = column.validity {
            for (row, group) in groups.enumerated() where Bitmap.isSet(validity.pointer, row) {
                let index = Int(group)
                sums[index] &+= Int128(truncatingIfNeeded: values[row])
                counts[index] &+= 1
            }
        } else {
            for (row, group) in groups.enumerated() {
                let index = Int(group)
                sums[index] &+= Int128(truncatingIfNeeded: values[row])
                counts[index] &+= 1
            }
        }
    }

    /// Adds decimal values; returns whether a sum overflowed 128 bits.
    @inline(__always)
    private static func addDecimals(_ column: Column, _ groups: UnsafeBufferPointer<Int32>,
                                    _ sums: UnsafeMutablePointer<Int128>, _ counts: UnsafeMutablePointer<Int64>) -> Bool {
        guard let buffer = column.values else { return false }
        let values = buffer.typed(Int128.self)
        if case .decimal128(let precision, _) = column.dataType, precision <= 19 {
            // Values below 10^19 < 2^64 cannot overflow 128 bits in fewer than 2^63 rows.
            if let validity = column.validity {
                for (row, group) in groups.enumerated() where Bitmap.isSet(validity.pointer, row) {
                    sums[Int(group)] &+= values[row]
                    counts[Int(group)] &+= 1
                }
            } else {
                for (row, group) in groups.enumerated() {
                    sums[Int(group)] &+= values[row]
                    counts[Int(group)] &+= 1
                }
            }
            return false
        }
        var overflow = false
        let validity = column.validity
        for (row, group) in groups.enumerated() {
            if let validity, !Bitmap.isSet(validity.pointer, row) { continue }
            let index = Int(group)
            let (sum, overflowed) = sums[index].addingReportingOverflow(values[row])
            sums[index] = sum
            overflow = overflow || overflowed
            counts[index] &+= 1
        }
        return overflow
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? ExactSumAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.sums.count {
            let index = Int(target)
            let (sum, overflow) = sums[index].addingReportingOverflow(other.sums[group])
            if overflow { throw ExecutionError("numeric field overflow") }
            sums[index] = sum
            counts[index] &+= other.counts[group]
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        let valid = counts.prefix(groupCount).map { $0 > 0 }
        if !isAverage {
            return try ExactArithmetic.column(Array(sums.prefix(groupCount)), scale: inputScale, valid: valid, type: outputType)
        }
        switch outputType {
        case .decimal128(_, let scale):
            var quotients = [Int128](repeating: 0, count: groupCount)
            for group in 0..<groupCount where counts[group] > 0 {
                let shift = scale - inputScale
                var numerator = sums[group]
                var denominator = Int128(counts[group])
                if shift >= 0 {
                    numerator = try ExactArithmetic.multiply(numerator, byPowerOfTen: shift)
                } else {
                    denominator = try ExactArithmetic.multiply(denominator, byPowerOfTen: -shift)
                }
                quotients[group] = ExactArithmetic.roundedDivide(numerator, by: denominator)
            }
            return try ExactArithmetic.column(quotients, scale: scale, valid: valid, type: outputType)
        case .int8, .int16, .int32, .int64:
            var quotients = [Int128](repeating: 0, count: groupCount)
            for group in 0..<groupCount where counts[group] > 0 {
                let denominator = try ExactArithmetic.multiply(Int128(counts[group]), byPowerOfTen: inputScale)
                quotients[group] = ExactArithmetic.roundedDivide(sums[group], by: denominator)
            }
            return try ExactArithmetic.column(quotients, scale: 0, valid: valid, type: outputType)
        default:
            let divisor = ExactArithmetic.powerOfTen(inputScale)
            let averages = (0..<groupCount).map { group in
                counts[group] > 0 ? Double(sums[group]) / divisor / Double(counts[group]) : 0
            }
            return try FloatSumAccumulator.column(averages, valid: valid, type: outputType)
        }
    }
}

/// `sum` and `avg` of floating-point numbers, in double precision.
final class FloatSumAccumulator: AggregateAccumulator {
    private let outputType: DataType
    private let isAverage: Bool
    private var sums: [Double] = []
    private var counts: [Int64] = []

    init(outputType: DataType, isAverage: Bool) {
        self.outputType = outputType
        self.isAverage = isAverage
    }

    func resize(groupCount: Int) {
        growGroupState(&sums, to: groupCount, with: 0)
        growGroupState(&counts, to: groupCount, with: 0)
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard let column = arguments.first else { return }
        sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                guard let sums = sums.baseAddress, let counts = counts.baseAddress else { return }
                switch column.dataType {
                case .float32: FloatSumAccumulator.add(column, Float.self, groups, sums, counts)
                case .float64: FloatSumAccumulator.add(column, Double.self, groups, sums, counts)
                default: break
                }
            }
        }
    }

    @inline(__always)
    private static func add<T: BinaryFloatingPoint>(_ column: Column, _ type: T.Type, _ groups: UnsafeBufferPointer<Int32>,
                                                     _ sums: UnsafeMutablePointer<Double>, _ counts: UnsafeMutablePointer<Int64>) {
        guard let buffer = column.values else { return }
        let values = buffer.typed(T.self)
        let validity = column.validity
        for (row, group) in groups.enumerated() {
            if let validity, !Bitmap.isSet(validity.pointer, row) { continue }
            let index = Int(group)
            sums[index] += Double(values[row])
            counts[index] &+= 1
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? FloatSumAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.sums.count {
            sums[Int(target)] += other.sums[group]
            counts[Int(target)] &+= other.counts[group]
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        let valid = counts.prefix(groupCount).map { $0 > 0 }
        let results = (0..<groupCount).map { group in
            isAverage ? (counts[group] > 0 ? sums[group] / Double(counts[group]) : 0) : sums[group]
        }
        return try FloatSumAccumulator.column(results, valid: valid, type: outputType)
    }

    /// A column of doubles converted to `type` (float64 unless the result type says otherwise).
    static func column(_ values: [Double], valid: [Bool], type: DataType) throws -> Column {
        let doubles = values.withUnsafeBufferPointer { values in
            valid.withUnsafeBufferPointer { BatchSupport.fixedColumn(.float64, values: values, valid: $0) }
        }
        return try BatchSupport.conform(doubles, to: type)
    }
}

/// Exact arithmetic on scaled 128-bit integers, with SQL overflow errors.
enum ExactArithmetic {
    /// 10^exponent as a double.
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= 10 }
        return result
    }

    /// `value * 10^exponent`, or `numeric field overflow`.
    static func multiply(_ value: Int128, byPowerOfTen exponent: Int) throws -> Int128 {
        guard exponent >= 0 else { return roundedDivide(value, by: try multiply(1, byPowerOfTen: -exponent)) }
        guard exponent < DecimalFormat.powersOfTen.count else {
            if value == 0 { return 0 }
            throw ExecutionError("numeric field overflow")
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: DecimalFormat.powersOfTen[exponent])
        if overflow { throw ExecutionError("numeric field overflow") }
        return result
    }

    /// `numerator / denominator` rounded half away from zero (`denominator` > 0).
    static func roundedDivide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude >= (denominator.magnitude - remainder.magnitude) {
            return numerator < 0 ? quotient - 1 : quotient + 1
        }
        return quotient
    }

    /// A column of `type` from exact values at `scale` (NULL where `valid` is false).
    static func column(_ values: [Int128], scale: Int, valid: [Bool], type: DataType) throws -> Column {
        let count = values.count
        switch type {
        case .int8, .int16, .int32, .int64:
            var results = [Int64](repeating: 0, count: count)
            for index in 0..<count where valid[index] {
                let whole = try multiply(values[index], byPowerOfTen: -scale)
                guard let result = Int64(exactly: whole) else { throw ExecutionError("bigint out of range") }
                results[index] = result
            }
            let column = results.withUnsafeBufferPointer { results in
                valid.withUnsafeBufferPointer { BatchSupport.fixedColumn(.int64, values: results, valid: $0) }
            }
            return try BatchSupport.conform(column, to: type)
        case .decimal128(let precision, let targetScale):
            var results = [Int128](repeating: 0, count: count)
            let limit = precision < DecimalFormat.powersOfTen.count ? DecimalFormat.powersOfTen[precision] : Int128.max
            for index in 0..<count where valid[index] {
                let result = try multiply(values[index], byPowerOfTen: targetScale - scale)
                if result.magnitude >= limit.magnitude { throw ExecutionError("numeric field overflow") }
                results[index] = result
            }
            return results.withUnsafeBufferPointer { results in
                valid.withUnsafeBufferPointer { BatchSupport.fixedColumn(type, values: results, valid: $0) }
            }
        default:
            let divisor = powerOfTen(scale)
            return try FloatSumAccumulator.column(values.map { Double($0) / divisor }, valid: valid, type: type)
        }
    }
}
