#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of parsing one field's text.
enum CSVParseStatus {
    case success
    case invalid
    case outOfRange
}

/// Parsers that read values straight from bytes, with no String per field. Surrounding spaces and tabs are
/// allowed around numbers, dates and booleans.
enum CSVValueParsing {
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }

    /// Trims spaces and tabs; returns the new start and count.
    @inline(__always)
    static func trim(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> (UnsafePointer<UInt8>, Int) {
        var start = 0
        var end = count
        while start < end && isBlank(pointer[start]) { start += 1 }
        while end > start && isBlank(pointer[end - 1]) { end -= 1 }
        return (pointer + start, end - start)
    }

    /// Parses a signed 64-bit integer.
    @inline(__always)
    static func parseInteger(_ pointer: UnsafePointer<UInt8>, _ rawCount: Int, _ result: inout Int64) -> CSVParseStatus {
        var (text, count) = (pointer, rawCount)
        if count == 0 || isBlank(text[0]) || isBlank(text[count - 1]) { (text, count) = trim(pointer, rawCount) }
        guard count > 0 else { return .invalid }
        var index = 0
        var negative = false
        if text[0] == 45 || text[0] == 43 { // - +
            negative = text[0] == 45
            index = 1
            guard count > 1 else { return .invalid }
        }
        var magnitude: UInt64 = 0
        if count - index <= 18 {
            while index < count {
                let digit = text[index] &- 48
                guard digit < 10 else { return .invalid }
                magnitude = magnitude &* 10 &+ UInt64(digit)
                index += 1
            }
        } else {
            var overflow = false
            while index < count {
                let digit = text[index] &- 48
                guard digit < 10 else { return .invalid }
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
                overflow = overflow || o1 || o2
                magnitude = sum
                index += 1
            }
            if overflow { return .outOfRange }
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return .outOfRange }
            result = Int64(truncatingIfNeeded: 0 &- magnitude)
        } else {
            guard magnitude <= UInt64(Int64.max) else { return .outOfRange }
            result = Int64(magnitude)
        }
        return .success
    }

    /// Exact powers of ten representable as doubles.
    static let doublePowersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses a double: a fast exact path for short decimals (Clinger), `strtod` otherwise.
    static func parseDouble(_ pointer: UnsafePointer<UInt8>, _ rawCount: Int, _ result: inout Double) -> CSVParseStatus {
        let (text, count) = trim(pointer, rawCount)
        guard count > 0 else { return .invalid }
        var index = 0
        var negative = false
        if text[0] == 45 || text[0] == 43 {
            negative = text[0] == 45
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < count, text[index] &- 48 < 10 {
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(text[index] - 48)
                if mantissa != 0 { digits += 1 }
            } else {
                exponent += 1
                digits += 1
            }
            sawDigit = true
            index += 1
        }
        if index < count && text[index] == 46 { // .
            index += 1
            while index < count, text[index] &- 48 < 10 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(text[index] - 48)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    digits += 1
                }
                sawDigit = true
                index += 1
            }
        }
        if index == count && sawDigit && digits <= 19 && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= doublePowersOfTen[-exponent] } else { value *= doublePowersOfTen[exponent] }
            result = negative ? -value : value
            return .success
        }
        return parseWithLibc(text, count) { start, end in strtod(start, end) }.map { value in
            result = value
            return value.isInfinite && !looksInfinite(text, count) ? .outOfRange : .success
        } ?? .invalid
    }

    /// Parses a float with `strtof` (correctly rounded to single precision).
    static func parseFloat(_ pointer: UnsafePointer<UInt8>, _ rawCount: Int, _ result: inout Float) -> CSVParseStatus {
        let (text, count) = trim(pointer, rawCount)
        guard count > 0 else { return .invalid }
        return parseWithLibc(text, count) { start, end in strtof(start, end) }.map { value in
            result = value
            return value.isInfinite && !looksInfinite(text, count) ? .outOfRange : .success
        } ?? .invalid
    }

    private static func looksInfinite(_ text: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for index in 0..<count where text[index] | 0x20 == UInt8(ascii: "i") { return true }
        return false
    }

    /// Copies the text into a NUL-terminated buffer and runs a libc parser, requiring it to consume all of it.
    /// Hexadecimal floats are refused.
    private static func parseWithLibc<T>(_ text: UnsafePointer<UInt8>, _ count: Int,
                                         _ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T? {
        guard count < 512 else { return nil }
        for index in 0..<count where text[index] | 0x20 == UInt8(ascii: "x") || text[index] == 0 { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> T? in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: text, byteCount: count)
            base[count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = parse(base, &end)
            guard let end, end == base + count else { return nil }
            return value
        }
    }

    /// Parses a decimal into an unscaled value at `scale`, rounding half away from zero; out of range when
    /// it needs more than `precision` digits.
    /// `powers` must be `DecimalFormat.powersOfTen` (passed in so hot loops do not touch the lazy global).
    @inline(__always)
    static func parseDecimal(_ pointer: UnsafePointer<UInt8>, _ rawCount: Int, precision: Int, scale: Int,
                             powers: UnsafePointer<Int128>, _ result: inout Int128) -> CSVParseStatus {
        var (text, count) = (pointer, rawCount)
        if count == 0 || isBlank(text[0]) || isBlank(text[count - 1]) { (text, count) = trim(pointer, rawCount) }
        guard count > 0 else { return .invalid }
        var index = 0
        var negative = false
        if text[0] == 45 || text[0] == 43 {
            negative = text[0] == 45
            index = 1
        }
        var value: Int128 = 0
        var small: UInt64 = 0
        var smallDigits = 0
        var integerDigits = 0
        var sawDigit = false
        // Integer part: leading zeros do not count toward the precision.
        while index < count, text[index] &- 48 < 10 {
            let digit = UInt64(text[index] &- 48)
            sawDigit = true
            index += 1
            if integerDigits == 0 && digit == 0 { continue }
            integerDigits += 1
            if integerDigits > precision - scale { return exponentFallback(text, count, precision, scale, &result) }
            small = small &* 10 &+ digit
            smallDigits += 1
            if smallDigits == 18 {
                value = value * 1_000_000_000_000_000_000 + Int128(small)
                small = 0
                smallDigits = 0
            }
        }
        var fractionDigits = 0
        var roundUp = false
        if index < count && text[index] == 46 {
            index += 1
            while index < count, text[index] &- 48 < 10 {
                let digit = UInt64(text[index] &- 48)
                sawDigit = true
                index += 1
                if fractionDigits < scale {
                    fractionDigits += 1
                    small = small &* 10 &+ digit
                    smallDigits += 1
                    if smallDigits == 18 {
                        value = value * 1_000_000_000_000_000_000 + Int128(small)
                        small = 0
                        smallDigits = 0
                    }
                } else if fractionDigits == scale {
                    roundUp = digit >= 5
                    fractionDigits += 1
                }
            }
        }
        guard sawDigit else { return .invalid }
        if index != count {
            if text[index] | 0x20 == UInt8(ascii: "e") { return exponentFallback(text, count, precision, scale, &result) }
            return .invalid
        }
        value = value * powers[smallDigits] + Int128(small)
        if fractionDigits < scale { value *= powers[scale - fractionDigits] }
        if roundUp { value += 1 }
        guard value < powers[precision] else { return .outOfRange }
        result = negative ? -value : value
        return .success
    }

    /// Slow path for exponents and oversized integer parts. Checks the syntax (sign, digits, one optional
    /// point, optional exponent), then shifts the digits by the exponent and the scale without ever holding
    /// more than `precision` digits, so no input can overflow.
    private static func exponentFallback(_ text: UnsafePointer<UInt8>, _ count: Int, _ precision: Int, _ scale: Int,
                                         _ result: inout Int128) -> CSVParseStatus {
        var index = 0
        var negative = false
        if count > 0 && (text[0] == 45 || text[0] == 43) {
            negative = text[0] == 45
            index = 1
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawPoint = false
        while index < count {
            let byte = text[index]
            if byte &- 48 < 10 {
                if !(digits.isEmpty && byte == 48) { digits.append(byte - 48) } // drop leading zeros
                if sawPoint { fractionDigits += 1 }
            } else if byte == 46 && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        let mantissaEnd = index
        let sawDigit = (0..<mantissaEnd).contains { text[$0] &- 48 < 10 }
        guard sawDigit else { return .invalid }
        var exponent = 0
        if index < count {
            guard text[index] | 0x20 == UInt8(ascii: "e") else { return .invalid }
            index += 1
            var exponentNegative = false
            if index < count && (text[index] == 45 || text[index] == 43) {
                exponentNegative = text[index] == 45
                index += 1
            }
            guard index < count else { return .invalid }
            while index < count {
                let digit = text[index] &- 48
                guard digit < 10 else { return .invalid }
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        // Leading zeros were dropped; trailing zeros after the point still count in fractionDigits.
        if digits.isEmpty {
            result = 0
            return .success
        }
        let shift = exponent - fractionDigits + scale
        var value: Int128 = 0
        if shift >= 0 {
            guard digits.count + shift <= precision else { return .outOfRange }
            for digit in digits { value = value * 10 + Int128(digit) }
            for _ in 0..<shift { value *= 10 }
        } else {
            let keep = digits.count + shift
            if keep < 0 {
                value = 0
            } else {
                guard keep <= precision else { return .outOfRange }
                for digit in digits[0..<keep] { value = value * 10 + Int128(digit) }
                if digits[keep] >= 5 { value += 1 }
            }
        }
        guard value < DecimalFormat.powersOfTen[precision] else { return .outOfRange }
        result = negative ? -value : value
        return .success
    }

    /// Parses `YYYY-MM-DD` into days since 1970-01-01 (fast path for the canonical 10-byte form).
    @inline(__always)
    static func parseDate(_ pointer: UnsafePointer<UInt8>, _ rawCount: Int, _ result: inout Int32) -> CSVParseStatus {
        if rawCount == 10 && pointer[4] == 45 && pointer[7] == 45 {
            let y0 = pointer[0] &- 48, y1 = pointer[1] &- 48, y2 = pointer[2] &- 48, y3 = pointer[3] &- 48
            let m0 = pointer[5] &- 48, m1 = pointer[6] &- 48, d0 = pointer[8] &- 48, d1 = pointer[9] &- 48
            if y0 < 10 && y1 < 10 && y2 < 10 && y3 < 10 && m0 < 10 && m1 < 10 && d0 < 10 && d1 < 10 {
                let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
                let month = Int(m0) * 10 + Int(m1)
                let day = Int(d0) * 10 + Int(d1)
                guard month >= 1, month <= 12, day >= 1, day <= 28 || day <= DateFormat.daysInMonth(year: year, month: month) else {
                    return .invalid
                }
                // Days from civil (Howard Hinnant), for years 0...9999 where the era arithmetic is non-negative.
                let shiftedYear = month <= 2 ? year - 1 : year
                let era = shiftedYear >= 0 ? shiftedYear / 400 : (shiftedYear - 399) / 400
                let yearOfEra = shiftedYear - era * 400
                let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
                let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
                result = Int32(era * 146097 + dayOfEra - 719468)
                return .success
            }
        }
        let string = String(decoding: UnsafeBufferPointer(start: pointer, count: rawCount), as: UTF8.self)
        let trimmed = string.drop { $0 == " " || $0 == "\t" }
        guard let days = DateFormat.parse(trimmed) else { return .invalid }
        result = days
        return .success
    }

    /// Parses a boolean: true/false, t/f, yes/no, y/n, on/off, 1/0, in any case.
    @inline(__always)
    static func parseBoolean(_ pointer: UnsafePointer<UInt8>, _ rawCount: Int, _ result: inout Bool) -> CSVParseStatus {
        let (text, count) = trim(pointer, rawCount)
        guard count > 0, count <= 5 else { return .invalid }
        var word: UInt64 = 0
        for index in 0..<count {
            let byte = text[index]
            word = word << 8 | UInt64(byte >= 65 && byte <= 90 ? byte | 0x20 : byte)
        }
        func code(_ text: StaticString) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<text.utf8CodeUnitCount { value = value << 8 | UInt64(text.utf8Start[index]) }
            return value
        }
        switch word {
        case code("true"), code("t"), code("yes"), code("y"), code("on"), code("1"):
            result = true
            return .success
        case code("false"), code("f"), code("no"), code("n"), code("off"), code("0"):
            result = false
            return .success
        default:
            return .invalid
        }
    }

    /// Whether the bytes are valid UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
    @inline(__always)
    static func isValidUTF8(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        // ASCII fast path, eight bytes at a time.
        while index + 8 <= count {
            let word = UnsafeRawPointer(pointer + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            let byte = pointer[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = pointer[index + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<length where pointer[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
