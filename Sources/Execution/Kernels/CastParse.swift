import Columnar

/// Whether a byte is white space that casts from text ignore around values.
@inline(__always)
func isSpaceByte(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }

/// `bytes` without leading and trailing white space.
@inline(__always)
func trimmedSpaces(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var start = 0, end = bytes.count
    while start < end && isSpaceByte(bytes[start]) { start += 1 }
    while end > start && isSpaceByte(bytes[end - 1]) { end -= 1 }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
}

/// The outcome of parsing a number from text.
enum NumberParse<T> {
    case value(T)
    case invalidSyntax
    case outOfRange
}

/// Parses an optionally signed decimal integer (no spaces inside).
@inline(__always)
func parseInteger(_ bytes: UnsafeRawBufferPointer) -> NumberParse<Int64> {
    var index = 0
    var negative = false
    if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
        negative = bytes[index] == UInt8(ascii: "-")
        index += 1
    }
    guard index < bytes.count else { return .invalidSyntax }
    var value: UInt64 = 0
    var overflow = false
    while index < bytes.count {
        let digit = bytes[index] &- 48
        guard digit < 10 else { return .invalidSyntax }
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(UInt64(digit))
        if o1 || o2 { overflow = true }
        value = sum
        index += 1
    }
    if overflow { return .outOfRange }
    if negative {
        if value > UInt64(Int64.max) + 1 { return .outOfRange }
        return .value(Int64(truncatingIfNeeded: 0 &- value))
    }
    if value > UInt64(Int64.max) { return .outOfRange }
    return .value(Int64(value))
}

/// Parses a plain decimal `[-+]digits[.digits]` at `scale`, rounding half away from zero on the first dropped
/// digit; falls back to `DecimalFormat.parse` for exponents. Distinguishes syntax errors from overflow.
func parseDecimal(_ bytes: UnsafeRawBufferPointer, precision: Int, scale: Int) -> NumberParse<Int128> {
    var index = 0
    var negative = false
    if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
        negative = bytes[index] == UInt8(ascii: "-")
        index += 1
    }
    var small: UInt64 = 0
    var value: Int128 = 0
    var digits = 0, fractionDigits = 0
    var sawDot = false, sawDigit = false, roundUp = false, overflow = false
    while index < bytes.count {
        let byte = bytes[index]
        let digit = byte &- 48
        if digit < 10 {
            sawDigit = true
            if sawDot {
                if fractionDigits < scale {
                    fractionDigits += 1
                } else {
                    if fractionDigits == scale { roundUp = digit >= 5 }
                    fractionDigits = scale + 1
                    index += 1
                    continue
                }
            }
            if digits > 0 || digit != 0 { digits += 1 }
            if digits <= 18 {
                small = small &* 10 &+ UInt64(digit)
            } else if digits > 38 {
                overflow = true
            } else {
                if digits == 19 { value = Int128(small) }
                value = value * 10 + Int128(digit)
            }
        } else if byte == UInt8(ascii: ".") && !sawDot {
            sawDot = true
        } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            let text = String(decoding: bytes, as: UTF8.self)
            if let parsed = DecimalFormat.parse(Substring(text), precision: precision, scale: scale) { return .value(parsed) }
            return DecimalFormat.parse(Substring(text), precision: 38, scale: 0) != nil || isNumericSyntax(bytes)
                ? .outOfRange : .invalidSyntax
        } else {
            return .invalidSyntax
        }
        index += 1
    }
    guard sawDigit else { return .invalidSyntax }
    if overflow { return .outOfRange }
    if digits <= 18 { value = Int128(small) }
    let missing = scale - Swift.min(fractionDigits, scale)
    if missing > 0 {
        if missing > 38 { return value == 0 ? .value(0) : .outOfRange }
        let (scaled, o) = value.multipliedReportingOverflow(by: DecimalMath.power(missing))
        if o { return .outOfRange }
        value = scaled
    }
    if roundUp { value += 1 }
    guard DecimalMath.fits(value, precision: precision) else { return .outOfRange }
    return .value(negative ? -value : value)
}

/// Whether text looks like a number with an exponent (for telling overflow from bad syntax).
private func isNumericSyntax(_ bytes: UnsafeRawBufferPointer) -> Bool {
    Double(String(decoding: bytes, as: UTF8.self)) != nil
}

/// Parses a boolean the way PostgreSQL does: t/true/y/yes/on/1 and f/false/n/no/off/0, any case, unique prefixes.
func parseBoolean(_ bytes: UnsafeRawBufferPointer) -> Bool? {
    guard !bytes.isEmpty, bytes.count <= 5 else { return nil }
    let text = String(decoding: bytes, as: UTF8.self).lowercased()
    if text == "1" { return true }
    if text == "0" { return false }
    if "true".hasPrefix(text) || "yes".hasPrefix(text) { return true }
    if "false".hasPrefix(text) || "no".hasPrefix(text) { return false }
    if text.count >= 2 && "on".hasPrefix(text) { return true }
    if text.count >= 2 && "off".hasPrefix(text) { return false }
    return nil
}

/// Parses `YYYY-MM-DD` quickly, falling back to `DateFormat.parse` for other shapes.
@inline(__always)
func parseDate(_ bytes: UnsafeRawBufferPointer) -> Int32? {
    if bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-") {
        var digits = (0, 0, 0)
        var valid = true
        @inline(__always)
        func number(_ range: Range<Int>) -> Int {
            var value = 0
            for index in range {
                let digit = bytes[index] &- 48
                if digit >= 10 { valid = false }
                value = value * 10 + Int(digit)
            }
            return value
        }
        digits = (number(0..<4), number(5..<7), number(8..<10))
        guard valid else { return nil }
        let (year, month, day) = digits
        guard month >= 1 && month <= 12 && day >= 1 && day <= DateFormat.daysInMonth(year: year, month: month) else { return nil }
        return Int32(DateFormat.days(year: year, month: month, day: day))
    }
    if let date = DateFormat.parse(Substring(String(decoding: bytes, as: UTF8.self))) { return date }
    // A time part after the date (`2024-01-01 12:30:00`, `2024-01-01T12:30`) is ignored, as PostgreSQL does.
    if let separator = bytes.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "T") }), separator >= 8 {
        let time = UnsafeRawBufferPointer(rebasing: bytes[(separator + 1)...])
        guard time.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || $0 == 32 }) else { return nil }
        return parseDate(UnsafeRawBufferPointer(rebasing: bytes[..<separator]))
    }
    return nil
}

/// Parses every string of a column as `target`; errors name the offending text.
func parseColumn(_ column: Column, as target: DataType) throws -> Column {
    let count = column.count
    let reader = StringReader(column)
    let validity = column.validity.map { UnsafeRawPointer($0.pointer) }
    @inline(__always)
    func isValid(_ index: Int) -> Bool { validity.map { Bitmap.isSet($0, index) } ?? true }
    func syntaxError(_ index: Int) -> ExecutionError {
        ExecutionError("invalid input syntax for type \(sqlTypeName(target)): \"\(String(decoding: reader[index], as: UTF8.self))\"")
    }
    func result(_ values: Buffer) -> Column {
        Column(dataType: target, count: count, nullCount: column.nullCount, validity: column.validity, values: values)
    }
    @inline(__always)
    func fixed<T>(_ type: T.Type, _ parse: (UnsafeRawBufferPointer, Int) throws -> T) throws -> Column {
        let values = allocateValues(T.self, count: count)
        let out = values.typed(T.self)
        for index in 0..<count where isValid(index) {
            out[index] = try parse(trimmedSpaces(reader[index]), index)
        }
        return result(values)
    }
    func integers<T: FixedWidthInteger & SignedInteger>(_ type: T.Type) throws -> Column {
        try fixed(T.self) { bytes, index in
            switch parseInteger(bytes) {
            case .value(let value):
                guard let exact = T(exactly: value) else {
                    throw outOfRangeError(String(decoding: bytes, as: UTF8.self), target)
                }
                return exact
            case .outOfRange: throw outOfRangeError(String(decoding: bytes, as: UTF8.self), target)
            case .invalidSyntax: throw syntaxError(index)
            }
        }
    }
    switch target {
    case .int8: return try integers(Int8.self)
    case .int16: return try integers(Int16.self)
    case .int32: return try integers(Int32.self)
    case .int64: return try integers(Int64.self)
    case .float32, .float64:
        let isDouble = target == .float64
        return try withFloatParsing(isDouble) { (parse: (UnsafeRawBufferPointer, Int) throws -> Double) in
            if isDouble { return try fixed(Double.self, parse) }
            return try fixed(Float.self) { bytes, index in
                let value = try parse(bytes, index)
                let narrow = Float(value)
                if narrow.isInfinite && value.isFinite {
                    throw ExecutionError("\"\(String(decoding: bytes, as: UTF8.self))\" is out of range for type real")
                }
                return narrow
            }
        } syntaxError: { syntaxError($0) }
    case .decimal128(let precision, let scale):
        return try fixed(Int128.self) { bytes, index in
            switch parseDecimal(bytes, precision: precision, scale: scale) {
            case .value(let value): return value
            case .outOfRange: throw ExecutionError("numeric field overflow")
            case .invalidSyntax: throw syntaxError(index)
            }
        }
    case .date32:
        return try fixed(Int32.self) { bytes, index in
            guard let value = parseDate(bytes) else { throw syntaxError(index) }
            return value
        }
    case .interval:
        return try fixed(IntervalValue.self) { bytes, index in
            guard let value = parseInterval(String(decoding: bytes, as: UTF8.self)) else { throw syntaxError(index) }
            return value
        }
    case .boolean:
        let values = BitmapKernels.allocate(bits: count)
        for index in 0..<count where isValid(index) {
            guard let value = parseBoolean(trimmedSpaces(reader[index])) else { throw syntaxError(index) }
            if value { Bitmap.set(values.pointer, index) }
        }
        return result(values)
    case .utf8: return column
    case .null: return nullColumn(.null, count: count)
    }
}

/// Supplies a double parser (shared by REAL and DOUBLE PRECISION targets).
private func withFloatParsing(_ isDouble: Bool, _ body: ((UnsafeRawBufferPointer, Int) throws -> Double) throws -> Column,
                              syntaxError: @escaping (Int) -> ExecutionError) throws -> Column {
    try body { bytes, index in
        guard !bytes.isEmpty, let value = Double(String(decoding: bytes, as: UTF8.self)) else { throw syntaxError(index) }
        if value.isInfinite {
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            if !text.contains("inf") {
                throw ExecutionError("\"\(text)\" is out of range for type \(isDouble ? "double precision" : "real")")
            }
        }
        return value
    }
}
