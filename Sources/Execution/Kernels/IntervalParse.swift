import Columnar

/// What one unit of an interval field is worth.
private enum IntervalUnit {
    case months(Int64)
    case days(Int64)
    case nanoseconds(Int64)

    init?(_ name: Substring) {
        switch name {
        case "millennium", "millennia", "millenniums", "mil", "mils": self = .months(12_000)
        case "century", "centuries", "c", "cent": self = .months(1_200)
        case "decade", "decades", "dec", "decs": self = .months(120)
        case "year", "years", "y", "yr", "yrs": self = .months(12)
        case "month", "months", "mon", "mons": self = .months(1)
        case "week", "weeks", "w": self = .days(7)
        case "day", "days", "d": self = .days(1)
        case "hour", "hours", "h", "hr", "hrs": self = .nanoseconds(3_600_000_000_000)
        case "minute", "minutes", "m", "min", "mins": self = .nanoseconds(60_000_000_000)
        case "second", "seconds", "s", "sec", "secs": self = .nanoseconds(1_000_000_000)
        case "millisecond", "milliseconds", "ms", "msec", "msecs": self = .nanoseconds(1_000_000)
        case "microsecond", "microseconds", "us", "usec", "usecs": self = .nanoseconds(1_000)
        default: return nil
        }
    }
}

/// Accumulates interval parts with PostgreSQL's cascading of fractions (a fractional month adds 30-day days,
/// a fractional day adds nanoseconds).
private struct IntervalAccumulator {
    var months: Double = 0
    var days: Double = 0
    var nanoseconds: Double = 0
    var wholeMonths: Int64 = 0
    var wholeDays: Int64 = 0
    var wholeNanoseconds: Int64 = 0
    var overflow = false

    mutating func add(_ amount: Double, integral: Int64?, unit: IntervalUnit) {
        switch unit {
        case .months(let factor):
            if let integral {
                let (value, o) = integral.multipliedReportingOverflow(by: factor)
                if o { overflow = true }
                wholeMonths = wholeMonths &+ value
            } else {
                let total = amount * Double(factor)
                let whole = total.rounded(.towardZero)
                months += whole
                let fractionDays = (total - whole) * 30
                let wholeFractionDays = fractionDays.rounded(.towardZero)
                days += wholeFractionDays
                nanoseconds += (fractionDays - wholeFractionDays) * Double(nanosecondsPerDay)
            }
        case .days(let factor):
            if let integral {
                let (value, o) = integral.multipliedReportingOverflow(by: factor)
                if o { overflow = true }
                wholeDays = wholeDays &+ value
            } else {
                let total = amount * Double(factor)
                let whole = total.rounded(.towardZero)
                days += whole
                nanoseconds += (total - whole) * Double(nanosecondsPerDay)
            }
        case .nanoseconds(let factor):
            if let integral {
                let (value, o) = integral.multipliedReportingOverflow(by: factor)
                if o { overflow = true }
                wholeNanoseconds = wholeNanoseconds &+ value
            } else {
                nanoseconds += amount * Double(factor)
            }
        }
    }

    func result(negated: Bool) -> IntervalValue? {
        guard !overflow, months.magnitude < 1e10, days.magnitude < 1e10, nanoseconds.magnitude < 9e18 else { return nil }
        let sign: Int64 = negated ? -1 : 1
        let m = (wholeMonths &+ Int64(months)) &* sign
        let d = (wholeDays &+ Int64(days)) &* sign
        let (n, o) = wholeNanoseconds.addingReportingOverflow(Int64(nanoseconds.rounded()))
        guard !o, let months32 = Int32(exactly: m), let days32 = Int32(exactly: d) else { return nil }
        return IntervalValue(months: months32, days: days32, nanoseconds: n &* sign)
    }
}

/// Parses a `[-]H:MM[:SS[.fraction]]` time into nanoseconds.
private func parseTime(_ token: Substring) -> Int64? {
    var text = token
    var negative = false
    if text.first == "-" || text.first == "+" {
        negative = text.first == "-"
        text = text.dropFirst()
    }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count >= 2 && parts.count <= 3, let hours = Int64(parts[0]), let minutes = Int64(parts[1]),
          hours >= 0, hours < 2_562_047, minutes >= 0, minutes < 60 else { return nil }
    var (total, overflow) = (hours * 3_600_000_000_000).addingReportingOverflow(minutes * 60_000_000_000)
    if parts.count == 3 {
        guard let seconds = Double(parts[2]), seconds >= 0, seconds < 60, parts[2].first?.isNumber == true else { return nil }
        let (sum, secondsOverflow) = total.addingReportingOverflow(Int64((seconds * 1e9).rounded()))
        total = sum
        overflow = overflow || secondsOverflow
    }
    if overflow { return nil }
    return negative ? -total : total
}

/// Parses interval text: `3 days`, `1 month`, `2 years 3 mons`, `1 day 02:03:04`, `1.5 hours`, `-2 weeks ago`,
/// `@ 1 minute`, or a bare number of seconds. Nil when malformed or out of range.
func parseInterval(_ text: String) -> IntervalValue? {
    let lowered = text.lowercased()
    var tokens = lowered.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
    if tokens.first == "@" { tokens.removeFirst() } else if let first = tokens.first, first.hasPrefix("@") {
        tokens[0] = first.dropFirst()
    }
    guard !tokens.isEmpty else { return nil }
    var accumulator = IntervalAccumulator()
    var negated = false
    var index = 0
    while index < tokens.count {
        let token = tokens[index]
        index += 1
        if token == "ago" {
            guard index == tokens.count, !negated else { return nil }
            negated = true
            continue
        }
        if token.contains(":") {
            guard let nanoseconds = parseTime(token) else { return nil }
            accumulator.add(Double(nanoseconds), integral: nanoseconds, unit: .nanoseconds(1))
            continue
        }
        // A number, optionally with its unit attached ("3days", "1d").
        var numberEnd = token.startIndex
        while numberEnd < token.endIndex, let ascii = token[numberEnd].asciiValue,
              (ascii >= 48 && ascii <= 57) || ascii == UInt8(ascii: ".") || ascii == UInt8(ascii: "-") || ascii == UInt8(ascii: "+")
                || ((ascii == UInt8(ascii: "e")) && numberEnd > token.startIndex && token[token.index(after: numberEnd)...].first.map { $0.isNumber || $0 == "-" || $0 == "+" } == true) {
            numberEnd = token.index(after: numberEnd)
        }
        let numberText = token[token.startIndex..<numberEnd]
        guard !numberText.isEmpty, let amount = Double(numberText), amount.isFinite else { return nil }
        let integral = Int64(numberText)
        var unitText = token[numberEnd...]
        if unitText.isEmpty, index < tokens.count, IntervalUnit(tokens[index]) != nil {
            unitText = tokens[index]
            index += 1
        }
        if unitText.isEmpty {
            accumulator.add(amount, integral: integral, unit: .nanoseconds(1_000_000_000))
        } else {
            guard let unit = IntervalUnit(unitText) else { return nil }
            accumulator.add(amount, integral: integral, unit: unit)
        }
    }
    return accumulator.result(negated: negated)
}
