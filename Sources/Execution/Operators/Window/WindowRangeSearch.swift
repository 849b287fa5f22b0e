import Columnar
import LogicalPlan

/// Finds RANGE frame bounds with offsets (`RANGE BETWEEN 5 PRECEDING AND 2.5 FOLLOWING`) by binary search
/// over the sorted ORDER BY key of each partition.
///
/// Keys are mapped to a domain that increases along the sorted order: exact 128-bit integers at a common
/// scale (integers, decimals, dates in days or, with INTERVAL offsets, in nanoseconds) or doubles (when the key
/// or the offset is a float; NaN sorts above infinity). Descending keys are negated, so "n PRECEDING" is
/// always "key - n" in the domain. A NULL key's offset bounds are its peers (the other NULLs); a non-NULL
/// key's frames never include NULL keys.
struct WindowRangeSearch {
    private enum Keys {
        case exact([Int128])
        case floating([Double])
    }

    /// How an offset moves a key in the domain.
    private enum Offset {
        /// Add or subtract an exact amount.
        case exact(Int128)
        /// Add or subtract a double.
        case floating(Double)
        /// Shift a date (key in nanoseconds) by an interval, calendar-aware.
        case interval(IntervalValue)
    }

    private let ordering: WindowOrdering
    /// Position → the key in the domain (meaningless where `isNull`).
    private let keys: Keys
    /// Position → whether the key is NULL.
    private let isNull: [Bool]
    /// Partition index → its positions with non-NULL keys (NULLs sort all first or all last).
    private let nonNullPositions: [Range<Int>]
    private let isAscending: Bool
    /// The offsets of the frame's start and end, when they have one.
    private let startOffset: Offset?
    private let endOffset: Offset?

    init(frame: WindowFrame, ordering: WindowOrdering, key: Column, sortKey: SortKey) throws {
        self.ordering = ordering
        isAscending = sortKey.isAscending
        let count = ordering.count
        var nulls = [Bool](repeating: false, count: count)
        if key.nullCount > 0 || key.dataType == .null {
            for position in 0..<count where key.isNull(Int(ordering.order[position])) { nulls[position] = true }
        }
        isNull = nulls
        nonNullPositions = (0..<ordering.partitionCount).map { index in
            let partition = ordering.partition(index)
            var low = partition.lowerBound, high = partition.upperBound
            while low < high && nulls[low] { low += 1 }
            while high > low && nulls[high - 1] { high -= 1 }
            return low..<high
        }

        func offsetValue(_ bound: WindowFrame.Bound, isStart: Bool) throws -> Value? {
            switch bound {
            case .preceding(let expression), .following(let expression):
                let value = try WindowFrameBounds.frameOffsetValue(expression, isStart: isStart)
                if Self.isNegative(value) {
                    throw ExecutionError("invalid preceding or following size in window function")
                }
                return value
            case .unboundedPreceding, .currentRow, .unboundedFollowing:
                return nil
            }
        }
        let startValue = try offsetValue(frame.start, isStart: true)
        let endValue = try offsetValue(frame.end, isStart: false)
        let offsetValues = [startValue, endValue].compactMap { $0 }

        let keyType = key.dataType
        let usesFloats = keyType.isFloatingPoint || offsetValues.contains { $0.dataType.isFloatingPoint }
        let usesIntervals = offsetValues.contains { if case .interval = $0 { true } else { false } }
        let sign: Int128 = isAscending ? 1 : -1
        let order = ordering.order
        if usesFloats {
            let negate = !isAscending
            func convert<T: BinaryFloatingPoint>(_ value: T) -> Double {
                let number = value.isNaN ? Double.infinity : Double(value)
                return negate ? -number : number
            }
            func convertExact(_ unscaled: Int128, scale: Int) -> Double {
                convert(Double(unscaled) / ExactArithmetic.powerOfTen(scale))
            }
            let doubles: [Double]
            switch keyType {
            case .float32: doubles = Self.gather(key, Float.self, order, nulls, convert)
            case .float64: doubles = Self.gather(key, Double.self, order, nulls, convert)
            case .int8: doubles = Self.gather(key, Int8.self, order, nulls) { convertExact(Int128($0), scale: 0) }
            case .int16: doubles = Self.gather(key, Int16.self, order, nulls) { convertExact(Int128($0), scale: 0) }
            case .int32: doubles = Self.gather(key, Int32.self, order, nulls) { convertExact(Int128($0), scale: 0) }
            case .int64: doubles = Self.gather(key, Int64.self, order, nulls) { convertExact(Int128($0), scale: 0) }
            case .decimal128(_, let scale):
                doubles = Self.gather(key, Int128.self, order, nulls) { convertExact($0, scale: scale) }
            default:
                throw ExecutionError("RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(keyType)")
            }
            keys = .floating(doubles)
            startOffset = startValue.map { .floating(Self.double($0) ?? 0) }
            endOffset = endValue.map { .floating(Self.double($0) ?? 0) }
        } else if usesIntervals {
            guard keyType == .date32 else {
                throw ExecutionError("RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(keyType)")
            }
            let day = Int128(nanosecondsPerDay)
            keys = .exact(Self.gather(key, Int32.self, order, nulls) { sign * Int128($0) * day })
            func intervalOffset(_ value: Value?) -> Offset? {
                guard let value else { return nil }
                if case .interval(let interval) = value { return .interval(interval) }
                // Whole days next to an interval offset.
                return .exact((Self.scaled(value)?.unscaled ?? 0) * day)
            }
            startOffset = intervalOffset(startValue)
            endOffset = intervalOffset(endValue)
        } else {
            // Exact: integers, decimals and dates (in days) at the largest scale of key and offsets.
            let keyScale: Int
            switch keyType {
            case .decimal128(_, let scale): keyScale = scale
            case .int8, .int16, .int32, .int64, .date32: keyScale = 0
            default:
                throw ExecutionError("RANGE with offset PRECEDING/FOLLOWING is not supported for column type \(keyType)")
            }
            let scale = max(keyScale, offsetValues.compactMap { Self.scaled($0)?.scale }.max() ?? 0)
            let factor = try ExactArithmetic.multiply(1, byPowerOfTen: scale - keyScale)
            var overflow = false
            func convert(_ value: Int128) -> Int128 {
                let (result, overflowed) = value.multipliedReportingOverflow(by: sign * factor)
                if overflowed { overflow = true }
                return result
            }
            switch keyType {
            case .int8: keys = .exact(Self.gather(key, Int8.self, order, nulls) { convert(Int128($0)) })
            case .int16: keys = .exact(Self.gather(key, Int16.self, order, nulls) { convert(Int128($0)) })
            case .int32, .date32: keys = .exact(Self.gather(key, Int32.self, order, nulls) { convert(Int128($0)) })
            case .int64: keys = .exact(Self.gather(key, Int64.self, order, nulls) { convert(Int128($0)) })
            default: keys = .exact(Self.gather(key, Int128.self, order, nulls, convert))
            }
            if overflow { throw ExecutionError("numeric field overflow") }
            func exactOffset(_ value: Value?) throws -> Offset? {
                guard let value, let parts = Self.scaled(value) else { return nil }
                return .exact(try ExactArithmetic.multiply(parts.unscaled, byPowerOfTen: scale - parts.scale))
            }
            startOffset = try exactOffset(startValue)
            endOffset = try exactOffset(endValue)
        }
    }

    /// The key of every sorted position converted by `transform` (zero where the key is NULL).
    private static func gather<T, R: Numeric>(_ column: Column, _ type: T.Type, _ order: [Int32], _ nulls: [Bool],
                                              _ transform: (T) -> R) -> [R] {
        var result = [R](repeating: 0, count: order.count)
        guard let buffer = column.values else { return result }
        let values = buffer.typed(T.self)
        result.withUnsafeMutableBufferPointer { result in
            for (position, row) in order.enumerated() where !nulls[position] {
                result[position] = transform(values[Int(row)])
            }
        }
        return result
    }

    /// The start (or exclusive end) of `position`'s frame for `bound`.
    func bound(_ bound: WindowFrame.Bound, position: Int, partition index: Int, isStart: Bool) -> Int {
        let partition = ordering.partition(index)
        let isPreceding: Bool
        switch bound {
        case .unboundedPreceding: return partition.lowerBound
        case .unboundedFollowing: return partition.upperBound
        case .currentRow: return isStart ? ordering.peerStart(position) : ordering.peerEnd(position)
        case .preceding: isPreceding = true
        case .following: isPreceding = false
        }
        if isNull[position] { return isStart ? ordering.peerStart(position) : ordering.peerEnd(position) }
        guard let offset = isStart ? startOffset : endOffset else { return position }
        let low = nonNullPositions[index].lowerBound, high = nonNullPositions[index].upperBound
        switch (keys, offset) {
        case (.floating(let values), .floating(let amount)):
            let current = values[position]
            let target = isPreceding ? current - amount : current + amount
            return Self.search(values, low, high, target, strictlyGreater: !isStart)
        case (.exact(let values), .exact(let amount)):
            let current = values[position]
            let (target, overflow) = isPreceding ? current.subtractingReportingOverflow(amount)
                : current.addingReportingOverflow(amount)
            let saturated = overflow ? (isPreceding ? Int128.min : Int128.max) : target
            return Self.search(values, low, high, saturated, strictlyGreater: !isStart)
        case (.exact(let values), .interval(let interval)):
            let target = shiftedDate(values[position], by: interval, isPreceding: isPreceding)
            return Self.search(values, low, high, target, strictlyGreater: !isStart)
        default:
            return position
        }
    }

    /// The domain value `key ± interval` for a date key held in nanoseconds (negated when descending).
    private func shiftedDate(_ key: Int128, by interval: IntervalValue, isPreceding: Bool) -> Int128 {
        let nanosecondsPerDay = Int128(nanosecondsPerDay)
        let original = isAscending ? key : -key
        // In the key's own direction: preceding rows of an ascending key are smaller, of a descending key larger.
        let direction: Int32 = (isPreceding == isAscending) ? -1 : 1
        let saturated: Int128 = isPreceding ? Int128.min : Int128.max
        let day = original / nanosecondsPerDay
        guard let day32 = Int32(exactly: day),
              let shifted = addInterval(IntervalValue(months: interval.months), to: day32, sign: direction) else {
            return saturated
        }
        let rest = Int128(interval.days) * nanosecondsPerDay + Int128(interval.nanoseconds)
        let moved = Int128(shifted) * nanosecondsPerDay + Int128(direction) * rest
        return isAscending ? moved : -moved
    }

    /// The first position in `low..<high` whose value is at least (or, `strictlyGreater`, above) `target`.
    private static func search<T: Comparable>(_ values: [T], _ low: Int, _ high: Int, _ target: T,
                                              strictlyGreater: Bool) -> Int {
        var low = low, high = high
        while low < high {
            let middle = low + (high - low) / 2
            let before = strictlyGreater ? values[middle] <= target : values[middle] < target
            if before { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func isNegative(_ value: Value) -> Bool {
        switch value {
        case .int8(let number): return number < 0
        case .int16(let number): return number < 0
        case .int32(let number): return number < 0
        case .int64(let number): return number < 0
        case .float32(let number): return number < 0 || number.isNaN
        case .float64(let number): return number < 0 || number.isNaN
        case .decimal(let unscaled, _, _): return unscaled < 0
        case .interval(let interval): return interval.months < 0 || interval.days < 0 || interval.nanoseconds < 0
        default: return false
        }
    }

    /// An exact number as an unscaled integer and its scale (dates count days).
    private static func scaled(_ value: Value) -> (unscaled: Int128, scale: Int)? {
        switch value {
        case .int8(let number): return (Int128(number), 0)
        case .int16(let number): return (Int128(number), 0)
        case .int32(let number): return (Int128(number), 0)
        case .int64(let number): return (Int128(number), 0)
        case .date(let day): return (Int128(day), 0)
        case .decimal(let unscaled, _, let scale): return (unscaled, scale)
        default: return nil
        }
    }

    private static func double(_ value: Value) -> Double? {
        switch value {
        case .float32(let number): return Double(number)
        case .float64(let number): return number
        case .decimal(let unscaled, _, let scale): return Double(unscaled) / ExactArithmetic.powerOfTen(scale)
        default: return scaled(value).map { Double($0.unscaled) }
        }
    }
}
