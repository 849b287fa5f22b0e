import Columnar
import LogicalPlan

/// The ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday).
func isoWeek(days: Int) -> Int {
    // 1970-01-01 was a Thursday: ISO weekday (Monday = 1) of day 0 is 4.
    let weekday = ((days % 7) + 7 + 3) % 7 + 1
    let thursday = days - weekday + 4
    let year = DateFormat.civil(days: thursday).year
    let firstOfYear = DateFormat.days(year: year, month: 1, day: 1)
    return (thursday - firstOfYear) / 7 + 1
}

/// A date part as an integer.
func datePart(_ field: DateField, days: Int32) -> Int64 {
    let day = Int(days)
    switch field {
    case .year: return Int64(DateFormat.civil(days: day).year)
    case .quarter: return Int64((DateFormat.civil(days: day).month - 1) / 3 + 1)
    case .month: return Int64(DateFormat.civil(days: day).month)
    case .week: return Int64(isoWeek(days: day))
    case .day: return Int64(DateFormat.civil(days: day).day)
    case .dayOfWeek: return Int64(((day % 7) + 7 + 4) % 7)
    case .dayOfYear:
        let year = DateFormat.civil(days: day).year
        return Int64(day - DateFormat.days(year: year, month: 1, day: 1) + 1)
    case .epoch: return Int64(days) * 86_400
    case .hour, .minute, .second: return 0
    }
}

/// An interval part as an integer (PostgreSQL: years and months split the month count; epoch counts a year as
/// 365.25 days and a month as 30 days).
func intervalPart(_ field: DateField, _ value: IntervalValue) -> Int64 {
    let seconds = value.nanoseconds / 1_000_000_000
    switch field {
    case .year: return Int64(value.months / 12)
    case .quarter: return Int64((value.months % 12) / 3 + 1)
    case .month: return Int64(value.months % 12)
    case .week: return Int64(value.days / 7)
    case .day: return Int64(value.days)
    case .hour: return seconds / 3600
    case .minute: return (seconds / 60) % 60
    case .second: return seconds % 60
    case .dayOfWeek, .dayOfYear: return 0
    case .epoch:
        let years = Int64(value.months / 12), months = Int64(value.months % 12)
        return years * 31_557_600 + months * 2_592_000 + Int64(value.days) * 86_400 + seconds
    }
}

/// The civil date of a day count: Neri and Schneider's algorithm (multiplications and shifts only) for years
/// after -32,800, Howard Hinnant's before.
@inline(__always)
func civilDate(_ days: Int32) -> (year: Int, month: Int, day: Int) {
    let shifted = Int64(days) + 12_699_422 // 719,468 + 146,097 * 82
    if shifted >= 0 {
        let n = UInt64(shifted)
        let n1 = 4 &* n &+ 3
        let century = n1 / 146_097
        let dayOfCentury = (n1 % 146_097) / 4
        let n2 = 4 &* dayOfCentury &+ 3
        let p2 = 2_939_745 &* n2
        let yearOfCentury = p2 >> 32
        let dayOfYear = (p2 & 0xFFFF_FFFF) / 2_939_745 / 4
        let n3 = 2141 &* dayOfYear &+ 197_913
        let month = n3 >> 16
        let day = (n3 & 0xFFFF) / 2141
        let january = dayOfYear >= 306 ? 1 : 0
        let year = Int(100 &* century &+ yearOfCentury) - 32_800 + january
        return (year, Int(january == 1 ? month - 12 : month), Int(day) + 1)
    }
    let z = Int(days) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthPart = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
    let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

/// Days since the epoch of a civil date (Hinnant's algorithm, inlined).
@inline(__always)
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// The number of days in a month.
@inline(__always)
func daysInMonth(year: Int, month: Int) -> Int {
    if month == 2 { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28 }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31
}

/// A kernel mapping each date to an integer with a non-escaping body (inlined into the loop).
@inline(__always)
private func mapDates(_ arguments: [Vector], count: Int, _ body: (Int32) -> Int64) throws -> Vector {
    let input = arguments[0]
    let operand = input.operand(Int32.self)
    return try fixedWidthResult(.int64, Int64.self, count: count, validity: input.validity, nullCount: input.column.nullCount, { out in
        mapUnary(operand, into: out, count: count) { days, _ in body(days) }
    }, onFlag: { _ in nil })
}

/// `extract(field FROM x)` on dates or intervals, as BIGINT.
func extractKernel(_ field: DateField, from type: DataType) throws -> VectorKernel {
    switch type {
    case .date32:
        switch field {
        case .epoch: return { arguments, count in try mapDates(arguments, count: count) { Int64($0) * 86_400 } }
        case .year: return { arguments, count in try mapDates(arguments, count: count) { Int64(civilDate($0).year) } }
        case .month: return { arguments, count in try mapDates(arguments, count: count) { Int64(civilDate($0).month) } }
        case .quarter: return { arguments, count in try mapDates(arguments, count: count) { Int64((civilDate($0).month - 1) / 3 + 1) } }
        case .day: return { arguments, count in try mapDates(arguments, count: count) { Int64(civilDate($0).day) } }
        case .dayOfWeek: return { arguments, count in try mapDates(arguments, count: count) { Int64(((Int($0) % 7) + 11) % 7) } }
        case .hour, .minute, .second: return { arguments, count in try mapDates(arguments, count: count) { _ in 0 } }
        case .week, .dayOfYear: return { arguments, count in try mapDates(arguments, count: count) { datePart(field, days: $0) } }
        }
    case .interval:
        return unaryKernel(IntervalValue.self, Int64.self, .int64) { value, _ in intervalPart(field, value) }
    default:
        throw ExecutionError("cannot extract \(field.rawValue) from type \(type.description.lowercased())")
    }
}
