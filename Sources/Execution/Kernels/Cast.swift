import Columnar

/// The SQL name of a type in cast error messages (`integer`, `numeric`...), as PostgreSQL spells it.
func sqlTypeName(_ type: DataType) -> String {
    type == .null ? "null" : type.postgresName
}

/// `value X out of range for type T`.
func outOfRangeError(_ text: String, _ type: DataType) -> ExecutionError {
    ExecutionError("value \(text) out of range for type \(sqlTypeName(type))")
}

/// Casts `column` to `target`; errors name the offending value.
func castColumnValues(_ column: Column, to target: DataType) throws -> Column {
    let source = column.dataType
    if source == target { return column }
    let count = column.count
    if source == .null || column.nullCount == count && count > 0 { return nullColumn(target, count: count) }
    if target == .null { return nullColumn(.null, count: count) }
    let vector = Vector(column)
    switch (source, target) {
    case (_, .utf8):
        return formatColumn(column)
    case (.utf8, _):
        return try parseColumn(column, as: target)
    case (.boolean, _) where target.isInteger || target.isFloatingPoint || target.isDecimal:
        let bytes = booleanBytes(vector).column
        return try castColumnValues(Column(dataType: .int8, count: count, nullCount: bytes.nullCount, validity: bytes.validity,
                                           values: bytes.values), to: target)
    case (_, .boolean) where source.isInteger || source.isFloatingPoint || source.isDecimal:
        let words = BitmapKernels.allocate(bits: count)
        try withNumericElement(source) { (type: any NumericElement.Type) in
            type.writeNonZeroBits(column, into: words.typed(UInt64.self), count: count)
        }
        return booleanColumn(values: words, validity: column.validity, nullCount: column.nullCount, count: count)
    case (.decimal128(let fromPrecision, let fromScale), .decimal128(let toPrecision, let toScale)):
        if fromScale == toScale && toPrecision >= fromPrecision {
            return Column(dataType: target, count: count, nullCount: column.nullCount, validity: column.validity,
                          values: column.values)
        }
        return try castDecimalToDecimal(column, fromScale: fromScale, toPrecision: toPrecision, toScale: toScale)
    default:
        break
    }
    if (source.isInteger || source.isFloatingPoint || source.isDecimal) && (target.isInteger || target.isFloatingPoint || target.isDecimal) {
        return try castNumeric(vector, to: target).column
    }
    throw ExecutionError("cannot cast type \(source.description.lowercased()) to \(target.description.lowercased())")
}

/// The fixed-width element types of numeric columns.
protocol NumericElement {
    static func writeNonZeroBits(_ column: Column, into words: UnsafeMutablePointer<UInt64>, count: Int)
}

extension Int8: NumericElement {}
extension Int16: NumericElement {}
extension Int32: NumericElement {}
extension Int64: NumericElement {}
extension Int128: NumericElement {}
extension Float: NumericElement {}
extension Double: NumericElement {}

extension NumericElement where Self: Numeric {
    static func writeNonZeroBits(_ column: Column, into words: UnsafeMutablePointer<UInt64>, count: Int) {
        predicateUnary(Operand<Self>.values(UnsafePointer(column.valuePointer(Self.self))), into: words, count: count) { $0 != 0 }
    }
}

/// Calls `body` with the element type of a numeric column type.
func withNumericElement(_ type: DataType, _ body: (any NumericElement.Type) throws -> Void) throws {
    switch type {
    case .int8: try body(Int8.self)
    case .int16: try body(Int16.self)
    case .int32: try body(Int32.self)
    case .int64: try body(Int64.self)
    case .float32: try body(Float.self)
    case .float64: try body(Double.self)
    case .decimal128: try body(Int128.self)
    default: throw ExecutionError("\(type) is not numeric")
    }
}

/// Casts between integers, floats and decimals.
func castNumeric(_ vector: Vector, to target: DataType) throws -> Vector {
    let source = vector.dataType
    switch source {
    case .int8: return try castFromInteger(vector, Int8.self, to: target)
    case .int16: return try castFromInteger(vector, Int16.self, to: target)
    case .int32: return try castFromInteger(vector, Int32.self, to: target)
    case .int64: return try castFromInteger(vector, Int64.self, to: target)
    case .float32: return try castFromFloat(vector, Float.self, to: target)
    case .float64: return try castFromFloat(vector, Double.self, to: target)
    case .decimal128(_, let scale): return try castFromDecimal(vector, scale: scale, to: target)
    default: throw ExecutionError("cannot cast type \(source) to \(target)")
    }
}

/// Runs a unary conversion kernel on a vector, keeping it constant when it was.
private func convert<I, O>(_ vector: Vector, _ input: I.Type, _ output: O.Type, _ target: DataType,
                           _ body: (I, inout Bool) -> O, check: (I) -> ExecutionError?) throws -> Vector {
    let count = vector.column.count
    let operand = vector.operand(I.self)
    let result = try fixedWidthResult(target, O.self, count: count, validity: vector.column.validity,
                                      nullCount: vector.column.nullCount, { out in
        mapUnary(operand, into: out, count: count, body)
    }, onFlag: { index in check(operand[index]) })
    return Vector(result.column, isConstant: vector.isConstant)
}

private func castFromInteger<S: FixedWidthInteger & SignedInteger>(_ vector: Vector, _ type: S.Type, to target: DataType) throws -> Vector {
    func toInteger<D: FixedWidthInteger & SignedInteger>(_ destination: D.Type) throws -> Vector {
        try convert(vector, S.self, D.self, target, { value, flag in
            if let exact = D(exactly: value) { return exact }
            flag = true
            return 0
        }, check: { value in D(exactly: value) == nil ? outOfRangeError(String(value), target) : nil })
    }
    switch target {
    case .int8: return try toInteger(Int8.self)
    case .int16: return try toInteger(Int16.self)
    case .int32: return try toInteger(Int32.self)
    case .int64: return try toInteger(Int64.self)
    case .float32: return try convert(vector, S.self, Float.self, target, { value, _ in Float(value) }, check: { _ in nil })
    case .float64: return try convert(vector, S.self, Double.self, target, { value, _ in Double(value) }, check: { _ in nil })
    case .decimal128(let precision, let scale):
        guard scale <= 38 else { throw ExecutionError("numeric field overflow") }
        let factor = DecimalMath.power(scale)
        let limit = DecimalMath.power(Swift.min(precision, 38))
        return try convert(vector, S.self, Int128.self, target, { value, flag in
            let scaled = Int128(value).multipliedReportingOverflow(by: factor)
            if scaled.overflow || scaled.partialValue >= limit || scaled.partialValue <= -limit { flag = true }
            return scaled.partialValue
        }, check: { value in
            let scaled = Int128(value).multipliedReportingOverflow(by: factor)
            return scaled.overflow || !DecimalMath.fits(scaled.partialValue, precision: precision)
                ? ExecutionError("numeric field overflow") : nil
        })
    default:
        throw ExecutionError("cannot cast type \(vector.dataType) to \(target)")
    }
}

private func castFromFloat<S: BinaryFloatingPoint>(_ vector: Vector, _ type: S.Type, to target: DataType) throws -> Vector {
    func toInteger<D: FixedWidthInteger & SignedInteger>(_ destination: D.Type) throws -> Vector {
        try convert(vector, S.self, D.self, target, { value, flag in
            if let exact = D(exactly: value.rounded(.toNearestOrEven)) { return exact }
            flag = true
            return 0
        }, check: { value in
            D(exactly: value.rounded(.toNearestOrEven)) == nil ? outOfRangeError(FloatingPointFormat.format(Double(value)), target) : nil
        })
    }
    switch target {
    case .int8: return try toInteger(Int8.self)
    case .int16: return try toInteger(Int16.self)
    case .int32: return try toInteger(Int32.self)
    case .int64: return try toInteger(Int64.self)
    case .float32:
        return try convert(vector, S.self, Float.self, target, { value, flag in
            let result = Float(value)
            if result.isInfinite && value.isFinite { flag = true }
            return result
        }, check: { value in Float(value).isInfinite && value.isFinite ? ExecutionError("value out of range: overflow") : nil })
    case .float64: return try convert(vector, S.self, Double.self, target, { value, _ in Double(value) }, check: { _ in nil })
    case .decimal128(let precision, let scale):
        return try convert(vector, S.self, Int128.self, target, { value, flag in
            guard let result = decimalFromDouble(Double(value), precision: precision, scale: scale) else {
                flag = true
                return 0
            }
            return result
        }, check: { value in
            if value.isNaN { return ExecutionError("cannot convert NaN to numeric") }
            if value.isInfinite { return ExecutionError("cannot convert infinity to numeric") }
            return decimalFromDouble(Double(value), precision: precision, scale: scale) == nil
                ? ExecutionError("numeric field overflow") : nil
        })
    default:
        throw ExecutionError("cannot cast type \(vector.dataType) to \(target)")
    }
}

/// Converts a double to an unscaled decimal, rounding half away from zero on its shortest decimal text
/// (so 0.285 becomes 0.29 at scale 2, as PostgreSQL does); nil when it does not fit or is not finite.
func decimalFromDouble(_ value: Double, precision: Int, scale: Int) -> Int128? {
    guard value.isFinite else { return nil }
    if value == value.rounded(), abs(value) < 1e15, scale <= 20 {
        let scaled = Int128(Int64(value)) * DecimalMath.power(scale)
        return DecimalMath.fits(scaled, precision: precision) ? scaled : nil
    }
    return DecimalFormat.parse(Substring(String(value)), precision: precision, scale: scale)
}

private func castFromDecimal(_ vector: Vector, scale: Int, to target: DataType) throws -> Vector {
    let divisor = DecimalMath.power(Swift.min(scale, 38))
    func toInteger<D: FixedWidthInteger & SignedInteger>(_ destination: D.Type) throws -> Vector {
        try convert(vector, Int128.self, D.self, target, { value, flag in
            if let exact = D(exactly: DecimalMath.roundedDivide(value, divisor)) { return exact }
            flag = true
            return 0
        }, check: { value in
            D(exactly: DecimalMath.roundedDivide(value, divisor)) == nil
                ? outOfRangeError(DecimalFormat.format(value, scale: scale), target) : nil
        })
    }
    switch target {
    case .int8: return try toInteger(Int8.self)
    case .int16: return try toInteger(Int16.self)
    case .int32: return try toInteger(Int32.self)
    case .int64: return try toInteger(Int64.self)
    case .float32:
        return try convert(vector, Int128.self, Float.self, target, { value, _ in Float(decimalToDouble(value, scale: scale)) },
                           check: { _ in nil })
    case .float64:
        return try convert(vector, Int128.self, Double.self, target, { value, _ in decimalToDouble(value, scale: scale) },
                           check: { _ in nil })
    default:
        throw ExecutionError("cannot cast type \(vector.dataType) to \(target)")
    }
}

/// The double nearest to `unscaled / 10^scale`.
@inline(__always)
func decimalToDouble(_ unscaled: Int128, scale: Int) -> Double {
    if scale >= 0 && scale <= 22 {
        let divisor = doublePowersOfTen[scale]
        if unscaled.magnitude < (1 << 53) { return Double(Int64(truncatingIfNeeded: unscaled)) / divisor }
        return Double(unscaled) / divisor
    }
    return scale < 0 ? Double(unscaled) * pow10(-scale) : Double(unscaled) / pow10(scale)
}

/// Exact powers of ten as doubles, 10^0 to 10^22.
let doublePowersOfTen: [Double] = (0...22).map { pow10($0) }

func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
}

/// Rescales decimals, rounding half away from zero, checking the new precision.
private func castDecimalToDecimal(_ column: Column, fromScale: Int, toPrecision: Int, toScale: Int) throws -> Column {
    let target = DataType.decimal128(precision: toPrecision, scale: toScale)
    let limit = DecimalMath.power(Swift.min(toPrecision, 38))
    return try convert(Vector(column), Int128.self, Int128.self, target, { value, flag in
        guard let result = DecimalMath.rescale(value, from: fromScale, to: toScale), result < limit && result > -limit else {
            flag = true
            return 0
        }
        return result
    }, check: { value in
        guard let result = DecimalMath.rescale(value, from: fromScale, to: toScale),
              DecimalMath.fits(result, precision: toPrecision) else { return ExecutionError("numeric field overflow") }
        return nil
    }).column
}
