import Columnar
import LogicalPlan
import SQLSyntax

// Implicit type coercion: the common type of two types, and conversion of expressions to a type, with literal
// conversions done at bind time.

/// Whether an expression is a string literal whose type is still open ("unknown" in PostgreSQL): it takes the
/// type of the other side of a comparison, arithmetic, IN list or INSERT. An explicit `CAST('x' AS VARCHAR)` is
/// kept as a cast node so it does not count.
func isUnknownLiteral(_ expression: BoundExpression) -> Bool {
    if case .literal(.string, .utf8) = expression { return true }
    return false
}

/// Whether an expression is the untyped NULL literal.
func isNullLiteral(_ expression: BoundExpression) -> Bool {
    if case .literal(.null, _) = expression { return true }
    return false
}

/// The decimal type that holds every value of an integer type exactly.
func decimalEquivalent(of type: DataType) -> DataType? {
    switch type {
    case .int8: return .decimal128(precision: 3, scale: 0)
    case .int16: return .decimal128(precision: 5, scale: 0)
    case .int32: return .decimal128(precision: 10, scale: 0)
    case .int64: return .decimal128(precision: 19, scale: 0)
    case .decimal128: return type
    default: return nil
    }
}

/// The precision and scale of a decimal type (zero for others).
func decimalParts(_ type: DataType) -> (precision: Int, scale: Int) {
    if case .decimal128(let precision, let scale) = type { return (precision, scale) }
    return (0, 0)
}

private func integerRank(_ type: DataType) -> Int {
    switch type {
    case .int8: return 0
    case .int16: return 1
    case .int32: return 2
    default: return 3
    }
}

/// The type both `left` and `right` convert to implicitly, or nil when there is none. Numbers promote along
/// int8 < int16 < int32 < int64 < decimal < float32 < float64; NULL converts to anything.
func commonType(_ left: DataType, _ right: DataType) -> DataType? {
    if left == right { return left }
    if left == .null { return right }
    if right == .null { return left }
    guard left.isNumeric, right.isNumeric else { return nil }
    if left.isFloatingPoint || right.isFloatingPoint {
        return left == .float64 || right == .float64 ? .float64 : .float32
    }
    if left.isDecimal || right.isDecimal {
        guard let leftDecimal = decimalEquivalent(of: left), let rightDecimal = decimalEquivalent(of: right) else {
            return nil
        }
        let (leftPrecision, leftScale) = decimalParts(leftDecimal)
        let (rightPrecision, rightScale) = decimalParts(rightDecimal)
        let scale = max(leftScale, rightScale)
        let integerDigits = max(leftPrecision - leftScale, rightPrecision - rightScale)
        let precision = min(DataType.maximumDecimalPrecision, integerDigits + scale)
        return .decimal128(precision: precision, scale: min(scale, precision))
    }
    return integerRank(left) >= integerRank(right) ? left : right
}

/// The common type of several expressions (CASE results, COALESCE arguments, VALUES columns, UNION columns):
/// unknown string literals adopt the type of the others (or stay text), NULLs adopt anything.
///
/// - Throws: `BindError` "`construct` types X and Y cannot be matched".
func unifiedType(_ expressions: [BoundExpression], construct: String, location: SourceLocation) throws -> DataType {
    var result: DataType?
    var sawUnknown = false
    for expression in expressions {
        if isUnknownLiteral(expression) {
            sawUnknown = true
            continue
        }
        let type = expression.dataType
        if type == .null { continue }
        guard let current = result else {
            result = type
            continue
        }
        guard let common = commonType(current, type) else {
            throw BindError(
                "\(construct) types \(sqlTypeName(current)) and \(sqlTypeName(type)) cannot be matched",
                location: location)
        }
        result = common
    }
    return result ?? (sawUnknown ? .utf8 : .null)
}

/// Converts `expression` to `type` implicitly: NULL and literals convert now (an unconvertible string literal is
/// an error at `location`), other expressions get a cast node. No-op conversions return the expression.
func coerce(_ expression: BoundExpression, to type: DataType, at location: SourceLocation) throws -> BoundExpression {
    if expression.dataType == type { return expression }
    if type == .null { return expression }
    if case .literal(let value, _) = expression {
        do {
            if let converted = try convertLiteral(value, to: type) {
                return .literal(converted, type)
            }
        } catch {
            throw BindError(error.message, location: location)
        }
    }
    return .cast(expression, type)
}

/// Why a literal value does not convert to a type.
struct ConversionError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Converts a literal value to `type`, or returns nil when the conversion is left to run time.
///
/// - Throws: `ConversionError` when the value cannot be represented in `type` (PostgreSQL's messages).
func convertLiteral(_ value: Value, to type: DataType) throws(ConversionError) -> Value? {
    if value.isNull { return .null }
    if value.dataType == type { return value }
    switch value {
    case .string(let text):
        return try parseLiteralText(text, as: type)
    case .int8(let number): return try convertInteger(Int64(number), to: type)
    case .int16(let number): return try convertInteger(Int64(number), to: type)
    case .int32(let number): return try convertInteger(Int64(number), to: type)
    case .int64(let number): return try convertInteger(number, to: type)
    case .decimal(let unscaled, _, let scale):
        return try convertDecimal(unscaled, scale: scale, to: type)
    case .float32(let number):
        return try convertFloat(Double(number), to: type)
    case .float64(let number):
        return try convertFloat(number, to: type)
    case .boolean(let flag):
        switch type {
        case .utf8: return .string(flag ? "true" : "false")
        case .int32: return .int32(flag ? 1 : 0)
        default: return nil
        }
    case .date, .interval:
        return type == .utf8 ? .string(value.description) : nil
    case .null:
        return .null
    }
}

/// The PostgreSQL name of an integer type in "out of range" messages.
private func outOfRange(_ type: DataType) -> ConversionError {
    ConversionError("\(sqlTypeName(type)) out of range")
}

private func convertInteger(_ number: Int64, to type: DataType) throws(ConversionError) -> Value? {
    switch type {
    case .int8:
        guard let narrowed = Int8(exactly: number) else { throw outOfRange(type) }
        return .int8(narrowed)
    case .int16:
        guard let narrowed = Int16(exactly: number) else { throw outOfRange(type) }
        return .int16(narrowed)
    case .int32:
        guard let narrowed = Int32(exactly: number) else { throw outOfRange(type) }
        return .int32(narrowed)
    case .int64:
        return .int64(number)
    case .float32:
        return .float32(Float(number))
    case .float64:
        return .float64(Double(number))
    case .decimal128(let precision, let scale):
        return try convertDecimal(Int128(number), scale: 0, to: .decimal128(precision: precision, scale: scale))
    case .utf8:
        return .string(String(number))
    case .boolean:
        return .boolean(number != 0)
    default:
        return nil
    }
}

/// Rescales a decimal, rounding half away from zero when the scale shrinks; nil on overflow.
func rescaleDecimal(_ unscaled: Int128, from scale: Int, to newScale: Int) -> Int128? {
    if newScale == scale { return unscaled }
    if newScale > scale {
        let factor = DecimalFormat.powersOfTen[newScale - scale]
        let (result, overflow) = unscaled.multipliedReportingOverflow(by: factor)
        return overflow ? nil : result
    }
    let divisor = DecimalFormat.powersOfTen[scale - newScale]
    var quotient = unscaled / divisor
    let remainder = unscaled % divisor
    if remainder.magnitude * 2 >= divisor.magnitude {
        quotient += unscaled < 0 ? -1 : 1
    }
    return quotient
}

private func convertDecimal(_ unscaled: Int128, scale: Int, to type: DataType) throws(ConversionError) -> Value? {
    switch type {
    case .decimal128(let precision, let newScale):
        guard let rescaled = rescaleDecimal(unscaled, from: scale, to: newScale),
              rescaled.magnitude < DecimalFormat.powersOfTen[precision].magnitude else {
            throw ConversionError("numeric field overflow")
        }
        return .decimal(rescaled, precision: precision, scale: newScale)
    case .int8, .int16, .int32, .int64:
        guard let whole = rescaleDecimal(unscaled, from: scale, to: 0), let number = Int64(exactly: whole) else {
            throw outOfRange(type)
        }
        return try convertInteger(number, to: type)
    case .float32:
        return .float32(Float(DecimalFormat.format(unscaled, scale: scale)) ?? 0)
    case .float64:
        return .float64(Double(DecimalFormat.format(unscaled, scale: scale)) ?? 0)
    case .utf8:
        return .string(DecimalFormat.format(unscaled, scale: scale))
    default:
        return nil
    }
}

private func convertFloat(_ number: Double, to type: DataType) throws(ConversionError) -> Value? {
    switch type {
    case .float32: return .float32(Float(number))
    case .float64: return .float64(number)
    case .int8, .int16, .int32, .int64:
        let rounded = number.rounded(.toNearestOrEven)
        guard rounded.isFinite, let whole = Int64(exactly: rounded) else { throw outOfRange(type) }
        return try convertInteger(whole, to: type)
    case .decimal128(let precision, let scale):
        guard number.isFinite else { throw ConversionError("cannot convert infinity or NaN to numeric") }
        guard let unscaled = DecimalFormat.parse(Substring(String(number)), precision: precision, scale: scale) else {
            throw ConversionError("numeric field overflow")
        }
        return .decimal(unscaled, precision: precision, scale: scale)
    case .utf8:
        return .string(FloatingPointFormat.format(number))
    default:
        return nil
    }
}

/// Parses the text of a string literal as a value of `type` (`'1998-12-01'` as a date, `'42'` as an integer).
func parseLiteralText(_ text: String, as type: DataType) throws(ConversionError) -> Value? {
    let trimmed = text.trimmingSpaces
    func invalid(_ typeName: String) -> ConversionError {
        ConversionError("invalid input syntax for type \(typeName): \"\(text)\"")
    }
    switch type {
    case .utf8:
        return .string(text)
    case .int8, .int16, .int32, .int64:
        guard let number = Int64(trimmed) else { throw invalid(sqlTypeName(type)) }
        do {
            return try convertInteger(number, to: type)
        } catch {
            throw ConversionError("value \"\(text)\" is out of range for type \(sqlTypeName(type))")
        }
    case .float32:
        guard let number = Float(trimmed) else { throw invalid("real") }
        guard number.isFinite || isInfinityOrNaNText(trimmed) else {
            throw ConversionError("\"\(text)\" is out of range for type real")
        }
        return .float32(number)
    case .float64:
        guard let number = Double(trimmed) else { throw invalid("double precision") }
        guard number.isFinite || isInfinityOrNaNText(trimmed) else {
            throw ConversionError("\"\(text)\" is out of range for type double precision")
        }
        return .float64(number)
    case .decimal128(let precision, let scale):
        if let unscaled = DecimalFormat.parse(Substring(trimmed), precision: precision, scale: scale) {
            return .decimal(unscaled, precision: precision, scale: scale)
        }
        if DecimalFormat.parse(Substring(trimmed), precision: DataType.maximumDecimalPrecision, scale: 0) != nil {
            throw ConversionError("numeric field overflow")
        }
        throw invalid("numeric")
    case .date32:
        guard let days = DateFormat.parse(Substring(trimmed)) else { throw invalid("date") }
        return .date(days)
    case .boolean:
        switch trimmed.lowercased() {
        case "t", "true", "y", "yes", "on", "1": return .boolean(true)
        case "f", "false", "n", "no", "off", "0": return .boolean(false)
        default: throw invalid("boolean")
        }
    case .interval:
        guard let interval = parseInterval(text, unit: nil) else { throw invalid("interval") }
        return .interval(interval)
    case .null:
        return .string(text)
    }
}

/// Whether text spells infinity or NaN (which convert to floats as such, not as an overflow).
func isInfinityOrNaNText(_ text: String) -> Bool {
    let lowered = text.lowercased()
    return lowered.hasSuffix("inf") || lowered.hasSuffix("infinity") || lowered == "nan"
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// Whether an explicit `CAST` from `source` to `target` exists.
func isCastAllowed(from source: DataType, to target: DataType) -> Bool {
    if source == target || source == .null || source == .utf8 || target == .utf8 { return true }
    if source.isNumeric && target.isNumeric { return true }
    if (source == .boolean && target.isInteger) || (source.isInteger && target == .boolean) { return true }
    return false
}

/// Whether a value of `source` may be stored in a column of `target` (INSERT's assignment casts): numbers to
/// numbers, anything to text, NULL to anything.
func isAssignmentAllowed(from source: DataType, to target: DataType) -> Bool {
    if source == target || source == .null || target == .utf8 { return true }
    return source.isNumeric && target.isNumeric
}

/// `value` as stored into a column `columnName` of `type` by INSERT, UPDATE or a DEFAULT: string and NULL
/// literals take the column's type; other values must be assignable to it (PostgreSQL's assignment casts).
/// `noun` names the value in the error: `expression`, `default expression`.
func assignmentValue(_ value: BoundExpression, toColumn columnName: String, of type: DataType, at location: SourceLocation,
                     noun: String = "expression") throws -> BoundExpression {
    var value = value
    if isUnknownLiteral(value) || isNullLiteral(value) {
        value = try coerce(value, to: type, at: location)
    }
    guard isAssignmentAllowed(from: value.dataType, to: type) else {
        throw BindError(
            "column \"\(columnName)\" is of type \(sqlTypeName(type)) but \(noun) is of type \(sqlTypeName(value.dataType))",
            location: location, hint: "You will need to rewrite or cast the expression.")
    }
    return try coerce(value, to: type, at: location)
}
