#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// `abs(x)` for integers (the minimum value overflows), floats and decimals.
func absoluteValueKernel(_ type: DataType) throws -> VectorKernel {
    func integers<T: FixedWidthInteger & SignedInteger & Sendable>(_ element: T.Type) -> VectorKernel {
        let message = integerOutOfRangeMessage(type)
        return unaryKernel(T.self, T.self, type, { value, flag in
            if value == T.min { flag = true }
            return value < 0 ? 0 &- value : value
        }, check: { value in value == T.min ? ExecutionError(message) : nil })
    }
    switch type {
    case .int8: return integers(Int8.self)
    case .int16: return integers(Int16.self)
    case .int32: return integers(Int32.self)
    case .int64: return integers(Int64.self)
    case .float32: return unaryKernel(Float.self, Float.self, type) { value, _ in Swift.abs(value) }
    case .float64: return unaryKernel(Double.self, Double.self, type) { value, _ in Swift.abs(value) }
    case .decimal128: return unaryKernel(Int128.self, Int128.self, type) { value, _ in value < 0 ? 0 &- value : value }
    default: throw ExecutionError("function abs(\(type)) does not exist")
    }
}

/// Rounds a double to `digits` decimal places, half away from zero (negative digits round left of the point).
@inline(__always)
func roundDouble(_ value: Double, digits: Int64) -> Double {
    if digits == 0 { return value.rounded(.toNearestOrAwayFromZero) }
    if !value.isFinite { return value }
    if digits > 0 {
        if digits > 308 { return value }
        let factor = pow(10.0, Double(digits))
        let scaled = value * factor
        if !scaled.isFinite { return value }
        return scaled.rounded(.toNearestOrAwayFromZero) / factor
    }
    if digits < -308 { return 0 }
    let factor = pow(10.0, Double(-digits))
    return (value / factor).rounded(.toNearestOrAwayFromZero) * factor
}

/// Rounds an unscaled decimal at `scale` to `digits` places and expresses it at `resultScale`; nil on overflow.
@inline(__always)
func roundDecimal(_ value: Int128, scale: Int, digits requested: Int64, resultScale: Int) -> Int128? {
    let digits = Swift.max(-100, Swift.min(requested, 100))
    let drop = Int64(scale) - digits
    if drop <= 0 { return DecimalMath.rescale(value, from: scale, to: resultScale) }
    if drop > 38 { return 0 }
    let rounded = DecimalMath.roundedDivide(value, DecimalMath.power(Int(drop)))
    // `rounded` is at scale `digits` (possibly negative).
    if digits < 0 {
        guard let whole = DecimalMath.rescale(rounded, from: 0, to: Int(-digits)) else { return nil }
        return DecimalMath.rescale(whole, from: 0, to: resultScale)
    }
    return DecimalMath.rescale(rounded, from: Int(digits), to: resultScale)
}

/// `round(x[, digits])`; the input has been cast to the result's kind (float, decimal or integer); digits are Int64.
func roundKernel(input: DataType, result: DataType) throws -> VectorKernel {
    return { arguments, count in
        let value = arguments[0]
        let digits: Operand<Int64> = arguments.count > 1 ? arguments[1].operand(Int64.self) : .scalar(0)
        let (validity, nullCount) = BitmapKernels.intersect(value.validity, arguments.count > 1 ? arguments[1].validity : nil,
                                                            count: count)
        switch (input, result) {
        case (.float64, _), (.float32, _):
            let values = allocateValues(Double.self, count: count)
            if input == .float32 {
                let source = value.operand(Float.self)
                let outFloat = allocateValues(Float.self, count: count)
                _ = mapBinary(source, digits, into: outFloat.typed(Float.self), count: count) { x, d, _ in
                    Float(roundDouble(Double(x), digits: d))
                }
                return Vector(Column(dataType: .float32, count: count, nullCount: nullCount, validity: validity, values: outFloat))
            }
            _ = mapBinary(value.operand(Double.self), digits, into: values.typed(Double.self), count: count) { x, d, _ in
                roundDouble(x, digits: d)
            }
            return Vector(Column(dataType: .float64, count: count, nullCount: nullCount, validity: validity, values: values))
        case (.decimal128(_, let scale), .decimal128(let resultPrecision, let resultScale)):
            let source = value.operand(Int128.self)
            return try fixedWidthResult(result, Int128.self, count: count, validity: validity, nullCount: nullCount, { out in
                mapBinary(source, digits, into: out, count: count) { x, d, flag in
                    guard let rounded = roundDecimal(x, scale: scale, digits: d, resultScale: resultScale),
                          DecimalMath.fits(rounded, precision: resultPrecision) else {
                        flag = true
                        return 0
                    }
                    return rounded
                }
            }, onFlag: { index in
                guard let rounded = roundDecimal(source[index], scale: scale, digits: digits[index], resultScale: resultScale),
                      DecimalMath.fits(rounded, precision: resultPrecision) else { return ExecutionError("numeric field overflow") }
                return nil
            })
        case (.int64, .int64), (.int32, .int32), (.int16, .int16), (.int8, .int8):
            // Integers only change for negative digits; compute in Int128 and range-check.
            let wide = try castNumeric(value, to: .decimal128(precision: 38, scale: 0))
            defer { withExtendedLifetime(wide) {} }
            let source = wide.operand(Int128.self)
            let rounded = try fixedWidthResult(.decimal128(precision: 38, scale: 0), Int128.self, count: count,
                                               validity: validity, nullCount: nullCount, { out in
                mapBinary(source, digits, into: out, count: count) { x, d, _ in
                    roundDecimal(x, scale: 0, digits: d, resultScale: 0) ?? 0
                }
            }, onFlag: { _ in nil })
            do {
                return try castNumeric(rounded, to: result)
            } catch {
                throw ExecutionError(integerOutOfRangeMessage(result))
            }
        default:
            throw ExecutionError("function round(\(input)) does not exist")
        }
    }
}

/// `floor(x)` / `ceil(x)`; the input has been cast to the result's kind.
func floorCeilingKernel(input: DataType, result: DataType, ceiling: Bool) throws -> VectorKernel {
    switch (input, result) {
    case (.float64, _):
        return unaryKernel(Double.self, Double.self, .float64) { value, _ in value.rounded(ceiling ? .up : .down) }
    case (.float32, _):
        return unaryKernel(Float.self, Float.self, .float32) { value, _ in value.rounded(ceiling ? .up : .down) }
    case (.decimal128(_, let scale), .decimal128(let resultPrecision, let resultScale)):
        let divisor = DecimalMath.power(Swift.min(scale, 38))
        @Sendable func floorOrCeiling(_ value: Int128) -> Int128? {
            var whole = value / divisor
            let remainder = value % divisor
            if remainder != 0 && (remainder > 0) == ceiling { whole += ceiling ? 1 : -1 }
            guard let scaled = DecimalMath.rescale(whole, from: 0, to: resultScale),
                  DecimalMath.fits(scaled, precision: resultPrecision) else { return nil }
            return scaled
        }
        return unaryKernel(Int128.self, Int128.self, result, { value, flag in
            guard let scaled = floorOrCeiling(value) else {
                flag = true
                return 0
            }
            return scaled
        }, check: { value in floorOrCeiling(value) == nil ? ExecutionError("numeric field overflow") : nil })
    case (let type, let resultType) where type.isInteger && type == resultType:
        return { arguments, _ in arguments[0] }
    default:
        throw ExecutionError("function \(ceiling ? "ceil" : "floor")(\(input)) does not exist")
    }
}

/// `sqrt(x)` on doubles; negative input is an error.
func squareRootKernel() -> VectorKernel {
    unaryKernel(Double.self, Double.self, .float64, { value, flag in
        if value < 0 { flag = true }
        return value.squareRoot()
    }, check: { value in value < 0 ? ExecutionError("cannot take square root of a negative number") : nil })
}

/// The PostgreSQL error for `pow(x, y)`, if any.
func powerError(_ x: Double, _ y: Double) -> ExecutionError? {
    if x == 0 && y < 0 { return ExecutionError("zero raised to a negative power is undefined") }
    if x < 0 && y != y.rounded() { return ExecutionError("a negative number raised to a non-integer power yields a complex result") }
    let result = pow(x, y)
    if result.isInfinite && x.isFinite && y.isFinite { return ExecutionError("value out of range: overflow") }
    return nil
}

/// `power(x, y)` on doubles.
func powerKernel() -> VectorKernel {
    binaryKernel(Double.self, Double.self, Double.self, .float64, { x, y, flag in
        let result = pow(x, y)
        if (x == 0 && y < 0) || (x < 0 && y != y.rounded()) || (result.isInfinite && x.isFinite && y.isFinite) { flag = true }
        return result
    }, check: { x, y in powerError(x, y) })
}
