import Columnar

/// Nanoseconds in a day.
let nanosecondsPerDay: Int64 = 86_400_000_000_000

/// `date + days` (or minus, with `sign` -1) for an integer day count of type `T`.
func dateAddDaysKernel<T: FixedWidthInteger & Sendable>(_ type: T.Type, sign: Int64, daysFirst: Bool) -> VectorKernel {
    let outOfRange = ExecutionError("date out of range")
    return { arguments, count in
        let dateVector = daysFirst ? arguments[1] : arguments[0], daysVector = daysFirst ? arguments[0] : arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(dateVector.validity, daysVector.validity, count: count)
        let dates = dateVector.operand(Int32.self), days = daysVector.operand(T.self)
        return try fixedWidthResult(.date32, Int32.self, count: count, validity: validity, nullCount: nullCount, { out in
            mapBinary(dates, days, into: out, count: count) { date, offset, flag in
                let value = Int64(date) &+ sign &* Int64(truncatingIfNeeded: offset)
                if value < Int64(Int32.min) || value > Int64(Int32.max) { flag = true }
                return Int32(truncatingIfNeeded: value)
            }
        }, onFlag: { index in
            let value = Int64(dates[index]) &+ sign &* Int64(truncatingIfNeeded: days[index])
            return Int32(exactly: value) == nil ? outOfRange : nil
        })
    }
}

/// `date - date` as a number of days of the result type.
func dateDifferenceKernel(_ result: DataType) -> VectorKernel {
    if result == .int32 {
        return binaryKernel(Int32.self, Int32.self, Int32.self, .int32, { a, b, flag in
            let (value, overflow) = a.subtractingReportingOverflow(b)
            if overflow { flag = true }
            return value
        }, check: { a, b in a.subtractingReportingOverflow(b).overflow ? ExecutionError("integer out of range") : nil })
    }
    return binaryKernel(Int32.self, Int32.self, Int64.self, .int64) { a, b, _ in Int64(a) - Int64(b) }
}

/// Adds an interval to a date, calendar-aware: months first (clamping to the end of the month), then days.
/// Nil when the interval has a time part that is not a whole number of days.
@inline(__always)
func addInterval(_ interval: IntervalValue, to date: Int32, sign: Int32) -> Int32? {
    guard interval.nanoseconds % nanosecondsPerDay == 0 else { return nil }
    var result = date
    if interval.months != 0 {
        let (year, month, day) = civilDate(date)
        let total = year * 12 + (month - 1) + Int(interval.months) * Int(sign)
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let newDay = Swift.min(day, daysInMonth(year: newYear, month: newMonth))
        guard let shifted = Int32(exactly: daysFromCivil(year: newYear, month: newMonth, day: newDay)) else { return nil }
        result = shifted
    }
    let days = Int64(interval.days) + interval.nanoseconds / nanosecondsPerDay
    let value = Int64(result) + Int64(sign) * days
    guard let exact = Int32(exactly: value) else { return nil }
    return exact
}

/// `date ± interval` or `interval + date`.
func dateIntervalKernel(sign: Int32, intervalFirst: Bool) -> VectorKernel {
    return { arguments, count in
        let dateVector = intervalFirst ? arguments[1] : arguments[0], intervalVector = intervalFirst ? arguments[0] : arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(dateVector.validity, intervalVector.validity, count: count)
        let dates = dateVector.operand(Int32.self), intervals = intervalVector.operand(IntervalValue.self)
        // A constant interval of whole days is plain day arithmetic.
        if case .scalar(let interval) = intervals, interval.months == 0, interval.nanoseconds % nanosecondsPerDay == 0 {
            let days = (Int64(interval.days) + interval.nanoseconds / nanosecondsPerDay) * Int64(sign)
            return try fixedWidthResult(.date32, Int32.self, count: count, validity: validity, nullCount: nullCount, { out in
                mapUnary(dates, into: out, count: count) { date, flag in
                    let value = Int64(date) &+ days
                    if value < Int64(Int32.min) || value > Int64(Int32.max) { flag = true }
                    return Int32(truncatingIfNeeded: value)
                }
            }, onFlag: { index in Int32(exactly: Int64(dates[index]) &+ days) == nil ? ExecutionError("date out of range") : nil })
        }
        return try fixedWidthResult(.date32, Int32.self, count: count, validity: validity, nullCount: nullCount, { out in
            mapBinary(dates, intervals, into: out, count: count) { date, interval, flag in
                guard let value = addInterval(interval, to: date, sign: sign) else {
                    flag = true
                    return 0
                }
                return value
            }
        }, onFlag: { index in
            let interval = intervals[index]
            if interval.nanoseconds % nanosecondsPerDay != 0 {
                return ExecutionError("cannot add an interval with a time part to a date")
            }
            return addInterval(interval, to: dates[index], sign: sign) == nil ? ExecutionError("date out of range") : nil
        })
    }
}

/// Component-wise `interval ± interval`, or nil on overflow.
@inline(__always)
func addIntervals(_ a: IntervalValue, _ b: IntervalValue, sign: Int32) -> IntervalValue? {
    let (months, o1) = a.months.addingReportingOverflow(sign &* b.months)
    let (days, o2) = a.days.addingReportingOverflow(sign &* b.days)
    let (nanoseconds, o3) = a.nanoseconds.addingReportingOverflow(Int64(sign) &* b.nanoseconds)
    if o1 || o2 || o3 { return nil }
    return IntervalValue(months: months, days: days, nanoseconds: nanoseconds)
}

/// `interval ± interval`.
func intervalAddKernel(sign: Int32) -> VectorKernel {
    binaryKernel(IntervalValue.self, IntervalValue.self, IntervalValue.self, .interval, { a, b, flag in
        guard let value = addIntervals(a, b, sign: sign) else {
            flag = true
            return IntervalValue()
        }
        return value
    }, check: { a, b in addIntervals(a, b, sign: sign) == nil ? ExecutionError("interval out of range") : nil })
}

/// `interval * factor` with an exact integer factor, or nil on overflow.
@inline(__always)
func multiplyInterval(_ interval: IntervalValue, by factor: Int64) -> IntervalValue? {
    guard let small = Int32(exactly: factor) else {
        return interval == IntervalValue() ? interval : nil
    }
    let (months, o1) = interval.months.multipliedReportingOverflow(by: small)
    let (days, o2) = interval.days.multipliedReportingOverflow(by: small)
    let (nanoseconds, o3) = interval.nanoseconds.multipliedReportingOverflow(by: factor)
    if o1 || o2 || o3 { return nil }
    return IntervalValue(months: months, days: days, nanoseconds: nanoseconds)
}

/// `interval * factor` with a fractional factor: fractions of months cascade into days (30 per month) and
/// fractions of days into nanoseconds, as PostgreSQL does. Nil when out of range.
func scaleInterval(_ interval: IntervalValue, by factor: Double) -> IntervalValue? {
    guard factor.isFinite else { return nil }
    let monthsExact = Double(interval.months) * factor
    let months = monthsExact.rounded(.towardZero)
    let daysExact = Double(interval.days) * factor + (monthsExact - months) * 30
    let days = daysExact.rounded(.towardZero)
    let nanoseconds = (Double(interval.nanoseconds) * factor + (daysExact - days) * Double(nanosecondsPerDay)).rounded()
    guard let m = Int32(exactly: months), let d = Int32(exactly: days),
          abs(nanoseconds) < 9.2e18 else { return nil }
    return IntervalValue(months: m, days: d, nanoseconds: Int64(nanoseconds))
}

/// `interval * integer` (or `integer * interval` when `factorFirst`).
func intervalMultiplyKernel<T: FixedWidthInteger & Sendable>(_ type: T.Type, factorFirst: Bool) -> VectorKernel {
    return { arguments, count in
        let intervalVector = factorFirst ? arguments[1] : arguments[0], factorVector = factorFirst ? arguments[0] : arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(intervalVector.validity, factorVector.validity, count: count)
        let intervals = intervalVector.operand(IntervalValue.self), factors = factorVector.operand(T.self)
        return try fixedWidthResult(.interval, IntervalValue.self, count: count, validity: validity, nullCount: nullCount, { out in
            mapBinary(intervals, factors, into: out, count: count) { interval, factor, flag in
                guard let value = multiplyInterval(interval, by: Int64(truncatingIfNeeded: factor)) else {
                    flag = true
                    return IntervalValue()
                }
                return value
            }
        }, onFlag: { index in
            multiplyInterval(intervals[index], by: Int64(truncatingIfNeeded: factors[index])) == nil
                ? ExecutionError("interval out of range") : nil
        })
    }
}

/// `interval * double`, `double * interval` or `interval / double`.
func intervalScaleKernel(factorFirst: Bool, divide: Bool) -> VectorKernel {
    return { arguments, count in
        let intervalVector = factorFirst ? arguments[1] : arguments[0], factorVector = factorFirst ? arguments[0] : arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(intervalVector.validity, factorVector.validity, count: count)
        let intervals = intervalVector.operand(IntervalValue.self), factors = factorVector.operand(Double.self)
        return try fixedWidthResult(.interval, IntervalValue.self, count: count, validity: validity, nullCount: nullCount, { out in
            mapBinary(intervals, factors, into: out, count: count) { interval, factor, flag in
                if divide && factor == 0 { flag = true; return IntervalValue() }
                guard let value = scaleInterval(interval, by: divide ? 1 / factor : factor) else {
                    flag = true
                    return IntervalValue()
                }
                return value
            }
        }, onFlag: { index in
            let factor = factors[index]
            if divide && factor == 0 { return ExecutionError("division by zero") }
            return scaleInterval(intervals[index], by: divide ? 1 / factor : factor) == nil ? ExecutionError("interval out of range") : nil
        })
    }
}

/// Unary minus on intervals.
func intervalNegateKernel() -> VectorKernel {
    unaryKernel(IntervalValue.self, IntervalValue.self, .interval, { value, flag in
        guard let negated = addIntervals(IntervalValue(), value, sign: -1) else {
            flag = true
            return IntervalValue()
        }
        return negated
    }, check: { value in addIntervals(IntervalValue(), value, sign: -1) == nil ? ExecutionError("interval out of range") : nil })
}
