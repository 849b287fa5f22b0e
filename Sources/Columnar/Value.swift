/// One scalar value of any `DataType`, or null. Used for literals, constant folding, printing and tests;
/// kernels work on columns instead.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case boolean(Bool)
    case int8(Int8)
    case int16(Int16)
    case int32(Int32)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    /// An exact decimal: `unscaled / 10^scale`.
    case decimal(Int128, precision: Int, scale: Int)
    /// Days since 1970-01-01.
    case date(Int32)
    case interval(IntervalValue)
    case string(String)

    /// The type of the value; `.null` for the untyped null.
    public var dataType: DataType {
        switch self {
        case .null: return .null
        case .boolean: return .boolean
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .decimal(_, let precision, let scale): return .decimal128(precision: precision, scale: scale)
        case .date: return .date32
        case .interval: return .interval
        case .string: return .utf8
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as text, the way results print it: exact decimals, ISO dates, `NULL` for null.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .boolean(let v): return v ? "true" : "false"
        case .int8(let v): return String(v)
        case .int16(let v): return String(v)
        case .int32(let v): return String(v)
        case .int64(let v): return String(v)
        case .float32(let v): return FloatingPointFormat.format(v)
        case .float64(let v): return FloatingPointFormat.format(v)
        case .decimal(let v, _, let scale): return DecimalFormat.format(v, scale: scale)
        case .date(let v): return DateFormat.format(days: v)
        case .interval(let v): return IntervalFormat.format(v)
        case .string(let v): return v
        }
    }
}

/// Prints doubles the way PostgreSQL and DuckDB do: the shortest text that reads back the same value.
public enum FloatingPointFormat {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value)) + ".0"
        }
        return String(value)
    }

    /// The shortest text that reads back the same single-precision value (`0.1`, not `0.10000000149011612`).
    public static func format(_ value: Float) -> String {
        if value.isNaN || value.isInfinite { return format(Double(value)) }
        if value == value.rounded(), abs(value) < 1e7 {
            return String(Int64(value)) + ".0"
        }
        return String(value)
    }
}

/// Parsing and printing of decimals held as scaled 128-bit integers.
public enum DecimalFormat {
    /// Powers of ten from 10^0 to 10^38.
    public static let powersOfTen: [Int128] = {
        var result: [Int128] = [1]
        for _ in 1...38 { result.append(result.last! * 10) }
        return result
    }()

    /// The text of `unscaled / 10^scale` with exactly `scale` fractional digits.
    public static func format(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        let magnitude = unscaled.magnitude
        var digits = String(magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }

    /// Parses decimal text (`-12.5`, `3`, `.25`, `1e3`) into an unscaled value at `scale`, rounding half away
    /// from zero. Returns nil when the text is not a number or does not fit in `precision` digits.
    public static func parse(_ text: Substring, precision: Int, scale: Int) -> Int128? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 32 || last == 9 { bytes.removeLast() }
        var index = 0
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var sawDot = false
        var sawDigit = false
        var exponent = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                sawDigit = true
                if sawDot { fractionDigits.append(byte - 48) } else { integerDigits.append(byte - 48) }
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard sawDigit, let value = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)),
                      abs(value) < 100 else { return nil }
                exponent = value
                break
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        // Shift by the exponent.
        var all = integerDigits + fractionDigits
        var pointPosition = integerDigits.count + exponent
        if pointPosition < 0 {
            all = Array(repeating: 0, count: -pointPosition) + all
            pointPosition = 0
        }
        if pointPosition > all.count { all += Array(repeating: 0, count: pointPosition - all.count) }
        let wanted = pointPosition + scale
        var result: Int128 = 0
        var significant = 0
        for position in 0..<min(wanted, all.count) {
            result = result * 10 + Int128(all[position])
            if result != 0 { significant += 1 }
            if significant > precision { return nil }
        }
        if wanted > all.count {
            for _ in all.count..<wanted {
                result *= 10
                if result != 0 { significant += 1 }
                if significant > precision { return nil }
            }
        } else if wanted < all.count, all[wanted] >= 5 {
            result += 1
        }
        if result >= powersOfTen[min(precision, 38)] { return nil }
        return negative ? -result : result
    }
}

/// Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's algorithms.
public enum DateFormat {
    /// Days since the epoch of a civil date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The civil date of a day count.
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether `year` is a leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public static func format(days: Int32) -> String {
        let (year, month, day) = civil(days: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let yearText = year < 0 ? "-" + pad(-year, 4) : pad(year, 4)
        return "\(yearText)-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses `YYYY-MM-DD` (surrounding spaces allowed); nil when malformed or not a real date.
    public static func parse(_ text: Substring) -> Int32? {
        var trimmed = Array(text.utf8)
        while trimmed.last == 32 { trimmed.removeLast() }
        while trimmed.first == 32 { trimmed.removeFirst() }
        let parts = trimmed.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts[0].count >= 1, parts[0].count <= 6, parts[1].count >= 1, parts[1].count <= 2,
              parts[2].count >= 1, parts[2].count <= 2 else { return nil }
        func number(_ digits: ArraySlice<UInt8>) -> Int? {
            var value = 0
            for byte in digits {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(parts[0]), let month = number(parts[1]), let day = number(parts[2]),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return Int32(days(year: year, month: month, day: day))
    }

    /// Adds a number of months, clamping the day to the end of the target month (Jan 31 + 1 month = Feb 28/29).
    public static func adding(months: Int, to days: Int32) -> Int32 {
        let (year, month, day) = civil(days: Int(days))
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let newDay = min(day, daysInMonth(year: newYear, month: newMonth))
        return Int32(clamping: DateFormat.days(year: newYear, month: newMonth, day: newDay))
    }
}

/// Prints intervals as PostgreSQL does: `1 year 2 mons 3 days 04:05:06`.
public enum IntervalFormat {
    public static func format(_ value: IntervalValue) -> String {
        var parts: [String] = []
        let years = value.months / 12, months = value.months % 12
        if years != 0 { parts.append("\(years) year\(abs(years) == 1 ? "" : "s")") }
        if months != 0 { parts.append("\(months) mon\(abs(months) == 1 ? "" : "s")") }
        if value.days != 0 { parts.append("\(value.days) day\(abs(value.days) == 1 ? "" : "s")") }
        if value.nanoseconds != 0 || parts.isEmpty {
            let negative = value.nanoseconds < 0
            let total = value.nanoseconds.magnitude
            let seconds = total / 1_000_000_000, fraction = total % 1_000_000_000
            let hours = seconds / 3600, minutes = (seconds / 60) % 60, secs = seconds % 60
            func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            var text = "\(negative ? "-" : "")\(two(hours)):\(two(minutes)):\(two(secs))"
            if fraction != 0 {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 9 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                text += "." + digits
            }
            parts.append(text)
        }
        return parts.joined(separator: " ")
    }
}
