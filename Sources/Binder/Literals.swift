import Columnar
import LogicalPlan
import SQLSyntax

/// Binds a literal as written: integers take the smallest of int32, int64 and decimal(38,0) that holds them,
/// numbers with a '.' are exact decimals, strings stay "unknown" (utf8 literals that adopt the type of their
/// context), `DATE '...'` and `INTERVAL '...'` are converted now.
func bindLiteral(_ literal: Literal, location: SourceLocation) throws -> BoundExpression {
    switch literal {
    case .null:
        return .literal(.null, .null)
    case .boolean(let flag):
        return .literal(.boolean(flag), .boolean)
    case .integer(let digits):
        return try integerLiteral(digits, location: location)
    case .number(let text):
        return try numberLiteral(text, location: location)
    case .string(let text):
        return .literal(.string(text), .utf8)
    case .typedString(let typeName, let text):
        let type = try dataType(of: typeName)
        if type == .utf8 {
            return .cast(.literal(.string(text), .utf8), .utf8)
        }
        do {
            guard let value = try parseLiteralText(text, as: type) else {
                return .cast(.literal(.string(text), .utf8), type)
            }
            return .literal(value, type)
        } catch {
            throw BindError(error.message, location: location)
        }
    case .interval(let text, let unit):
        guard let interval = parseInterval(text, unit: unit) else {
            throw BindError("invalid input syntax for type interval: \"\(text)\"", location: location)
        }
        return .literal(.interval(interval), .interval)
    }
}

/// An integer literal: int32 when it fits, else int64, else decimal(38,0).
func integerLiteral(_ digits: String, location: SourceLocation) throws -> BoundExpression {
    if let value = Int32(digits) { return .literal(.int32(value), .int32) }
    if let value = Int64(digits) { return .literal(.int64(value), .int64) }
    let precision = DataType.maximumDecimalPrecision
    if let unscaled = DecimalFormat.parse(Substring(digits), precision: precision, scale: 0) {
        return .literal(.decimal(unscaled, precision: precision, scale: 0), .decimal128(precision: precision, scale: 0))
    }
    throw BindError("integer literal \(digits) is out of range", location: location)
}

/// A number with a '.' (an exact decimal with the digits written) or an exponent (a double).
func numberLiteral(_ text: String, location: SourceLocation) throws -> BoundExpression {
    let invalid = BindError("invalid numeric literal \(text)", location: location)
    if text.contains(where: { $0 == "e" || $0 == "E" }) {
        guard let value = Double(text) else { throw invalid }
        guard value.isFinite else {
            throw BindError("\"\(text)\" is out of range for type double precision", location: location)
        }
        return .literal(.float64(value), .float64)
    }
    let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let integerPart = pieces[0].drop { $0 == "0" }
    let fractionPart = pieces.count > 1 ? pieces[1] : ""
    let scale = fractionPart.count
    let precision = max(integerPart.count, 1) + scale
    if precision > DataType.maximumDecimalPrecision {
        guard let value = Double(text) else { throw invalid }
        guard value.isFinite else {
            throw BindError("\"\(text)\" is out of range for type double precision", location: location)
        }
        return .literal(.float64(value), .float64)
    }
    guard let unscaled = DecimalFormat.parse(Substring(text), precision: precision, scale: scale) else {
        throw invalid
    }
    let type = DataType.decimal128(precision: precision, scale: scale)
    return .literal(.decimal(unscaled, precision: precision, scale: scale), type)
}

/// The length of each interval unit: months, days or nanoseconds per unit.
private enum IntervalUnit {
    case months(Int64)
    case days(Int64)
    case nanoseconds(Int64)

    init?(_ word: String) {
        switch word.lowercased() {
        case "millennium", "millennia", "millenniums": self = .months(12_000)
        case "century", "centuries": self = .months(1_200)
        case "decade", "decades": self = .months(120)
        case "year", "years", "yr", "yrs", "y": self = .months(12)
        case "quarter", "quarters": self = .months(3)
        case "month", "months", "mon", "mons": self = .months(1)
        case "week", "weeks", "w": self = .days(7)
        case "day", "days", "d": self = .days(1)
        case "hour", "hours", "hr", "hrs", "h": self = .nanoseconds(3_600_000_000_000)
        case "minute", "minutes", "min", "mins", "m": self = .nanoseconds(60_000_000_000)
        case "second", "seconds", "sec", "secs", "s": self = .nanoseconds(1_000_000_000)
        case "millisecond", "milliseconds", "ms": self = .nanoseconds(1_000_000)
        case "microsecond", "microseconds", "us": self = .nanoseconds(1_000)
        default: return nil
        }
    }
}

/// Parses interval text such as `90` (with `unit` "day"), `3 months`, `1 year 2 mons 3 days`, `-1 day`,
/// `1 day 02:30:00`. A number without a unit counts in `unit`, or in seconds. Nil when malformed or out of range.
func parseInterval(_ text: String, unit: String?) -> IntervalValue? {
    var words: [String] = []
    // Split "3months" style tokens into number and unit, and whitespace-separated words.
    for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
        var token = Substring(token)
        if token.first == "@" { token = token.dropFirst() }
        if token.isEmpty { continue }
        if let firstLetter = token.firstIndex(where: { $0.isLetter }), firstLetter != token.startIndex,
           !token.contains(":") {
            words.append(String(token[..<firstLetter]))
            words.append(String(token[firstLetter...]))
        } else {
            words.append(String(token))
        }
    }
    guard !words.isEmpty else { return nil }
    var months: Int64 = 0
    var days: Int64 = 0
    var nanoseconds: Int128 = 0
    let defaultUnit = unit.flatMap(IntervalUnit.init) ?? .nanoseconds(1_000_000_000)
    var index = 0
    while index < words.count {
        let word = words[index]
        index += 1
        if word.contains(":") {
            guard let time = parseTimeOfDay(word), case (let sum, false) = nanoseconds.addingReportingOverflow(time)
            else { return nil }
            nanoseconds = sum
            continue
        }
        var unitOfWord = defaultUnit
        if index < words.count, let named = IntervalUnit(words[index]) {
            unitOfWord = named
            index += 1
        }
        switch unitOfWord {
        case .months(let perUnit):
            guard let count = Int64(word), case (let product, false) = count.multipliedReportingOverflow(by: perUnit),
                  case (let sum, false) = months.addingReportingOverflow(product) else { return nil }
            months = sum
        case .days(let perUnit):
            guard let count = Int64(word), case (let product, false) = count.multipliedReportingOverflow(by: perUnit),
                  case (let sum, false) = days.addingReportingOverflow(product) else { return nil }
            days = sum
        case .nanoseconds(let perUnit):
            // Fractions are allowed: count at nanosecond scale. At most 20 digits keep the product in range.
            guard let scaled = DecimalFormat.parse(Substring(word), precision: 20, scale: 9),
                  case (let sum, false) = nanoseconds.addingReportingOverflow(scaled * Int128(perUnit) / 1_000_000_000)
            else { return nil }
            nanoseconds = sum
        }
        if months.magnitude > UInt64(Int32.max) || days.magnitude > UInt64(Int32.max)
            || nanoseconds.magnitude > UInt128(Int64.max) {
            return nil
        }
    }
    guard let monthCount = Int32(exactly: months), let dayCount = Int32(exactly: days),
          let nanosecondCount = Int64(exactly: nanoseconds) else { return nil }
    return IntervalValue(months: monthCount, days: dayCount, nanoseconds: nanosecondCount)
}

/// `[-]hh:mm[:ss[.fraction]]` as nanoseconds.
private func parseTimeOfDay(_ text: String) -> Int128? {
    var body = Substring(text)
    var negative = false
    if body.first == "-" || body.first == "+" {
        negative = body.first == "-"
        body = body.dropFirst()
    }
    let parts = body.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3, let hours = Int64(parts[0]), let minutes = Int64(parts[1]),
          hours >= 0, hours <= Int64(Int32.max), minutes >= 0, minutes < 60 else { return nil }
    var total = (Int128(hours) * 3600 + Int128(minutes) * 60) * 1_000_000_000
    if parts.count == 3 {
        guard let seconds = DecimalFormat.parse(parts[2], precision: 12, scale: 9), seconds >= 0 else { return nil }
        total += seconds
    }
    return negative ? -total : total
}
