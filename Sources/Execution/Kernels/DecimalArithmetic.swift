import Columnar

/// Decimal helpers on unscaled 128-bit values.
enum DecimalMath {
    /// 10^exponent for 0...38.
    @inline(__always)
    static func power(_ exponent: Int) -> Int128 { DecimalFormat.powersOfTen[Swift.max(0, Swift.min(exponent, 38))] }

    /// `numerator / denominator` rounded half away from zero. The denominator must not be zero.
    @inline(__always)
    static func roundedDivide(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        if denominator == -1 { return 0 &- numerator }
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        let r = remainder.magnitude, d = denominator.magnitude
        if r >= d - r {
            return (numerator < 0) == (denominator < 0) ? quotient + 1 : quotient - 1
        }
        return quotient
    }

    /// Rescales `value` from `scale` to `newScale` (rounding half away from zero when digits are dropped);
    /// nil on overflow of Int128.
    @inline(__always)
    static func rescale(_ value: Int128, from scale: Int, to newScale: Int) -> Int128? {
        if newScale == scale { return value }
        if newScale > scale {
            let shift = newScale - scale
            guard shift <= 38 else { return value == 0 ? 0 : nil }
            let (result, overflow) = value.multipliedReportingOverflow(by: power(shift))
            return overflow ? nil : result
        }
        let shift = scale - newScale
        if shift > 38 { return 0 }
        return roundedDivide(value, power(shift))
    }

    /// Whether `value` has at most `precision` digits.
    @inline(__always)
    static func fits(_ value: Int128, precision: Int) -> Bool {
        precision >= 38 ? value.magnitude < UInt128(power(38)) : value.magnitude < UInt128(power(precision))
    }

    /// The precision and scale of a decimal type (integers count as scale 0 with their digit count).
    static func precisionAndScale(_ type: DataType) -> (precision: Int, scale: Int) {
        switch type {
        case .decimal128(let precision, let scale): return (precision, scale)
        case .int8: return (3, 0)
        case .int16: return (5, 0)
        case .int32: return (10, 0)
        case .int64: return (19, 0)
        default: return (38, 0)
        }
    }
}

/// Rescales a decimal vector to `newScale` at precision 38 (rounding half away from zero when scaling down).
func rescaleDecimalVector(_ vector: Vector, from scale: Int, to newScale: Int) throws -> Vector {
    if scale == newScale { return vector }
    let column = try castColumn(vector.column, to: .decimal128(precision: 38, scale: newScale))
    return Vector(column, isConstant: vector.isConstant)
}

/// Decimal `+ - * / %` producing `.decimal128(resultPrecision, resultScale)`.
func decimalArithmeticKernel(_ operation: ArithmeticOperator, left: DataType, right: DataType, result: DataType) -> VectorKernel {
    let (leftPrecision, leftScale) = DecimalMath.precisionAndScale(left)
    let (rightPrecision, rightScale) = DecimalMath.precisionAndScale(right)
    let (resultPrecision, resultScale) = DecimalMath.precisionAndScale(result)
    let limit = DecimalMath.power(Swift.min(resultPrecision, 38))
    let negativeLimit = -limit
    let overflow = ExecutionError("numeric field overflow")
    return { arguments, count in
        var a = arguments[0], b = arguments[1]
        var ls = leftScale, rs = rightScale, lp = leftPrecision, rp = rightPrecision
        // Operands scaled above the result scale (never for + - % as the binder types them) are rounded first.
        if operation != .multiply && operation != .divide {
            if ls > resultScale { a = try rescaleDecimalVector(a, from: ls, to: resultScale); ls = resultScale; lp = 38 }
            if rs > resultScale { b = try rescaleDecimalVector(b, from: rs, to: resultScale); rs = resultScale; rp = 38 }
        }
        let (validity, nullCount) = BitmapKernels.intersect(a.validity, b.validity, count: count)
        defer { withExtendedLifetime((a, b)) {} }
        let l = a.operand(Int128.self), r = b.operand(Int128.self)
        let values = allocateFilledValues(Int128.self, count: count)
        let out = values.typed(Int128.self)
        var flagged = false
        switch operation {
        case .add, .subtract, .modulo:
            let leftShift = resultScale - ls, rightShift = resultScale - rs
            let leftFactor = DecimalMath.power(Swift.min(leftShift, 38)), rightFactor = DecimalMath.power(Swift.min(rightShift, 38))
            let safe = leftShift <= 38 && rightShift <= 38 && Swift.max(lp + leftShift, rp + rightShift) + 1 <= 38
            let sign: Int128 = operation == .subtract ? -1 : 1
            if operation == .modulo {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let (sx, o1) = x.multipliedReportingOverflow(by: leftFactor)
                    let (sy, o2) = y.multipliedReportingOverflow(by: rightFactor)
                    if o1 || o2 || sy == 0 { flag = true }
                    return sy == 0 || sy == -1 ? 0 : sx % sy
                }
            } else if safe && leftShift == 0 && rightShift == 0 {
                // Add and subtract get separate loops: multiplying by a sign would be a full 128-bit multiply.
                if operation == .subtract {
                    flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                        let value = x &- y
                        if value >= limit || value <= negativeLimit { flag = true }
                        return value
                    }
                } else {
                    flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                        let value = x &+ y
                        if value >= limit || value <= negativeLimit { flag = true }
                        return value
                    }
                }
            } else if safe {
                if operation == .subtract {
                    flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                        let value = x &* leftFactor &- y &* rightFactor
                        if value >= limit || value <= negativeLimit { flag = true }
                        return value
                    }
                } else {
                    flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                        let value = x &* leftFactor &+ y &* rightFactor
                        if value >= limit || value <= negativeLimit { flag = true }
                        return value
                    }
                }
            } else {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                    guard let value = checkedAddScaled(x, leftFactor, y, rightFactor, sign: sign),
                          value < limit && value > negativeLimit else {
                        flag = true
                        return 0
                    }
                    return value
                }
            }
        case .multiply:
            let productScale = ls + rs
            // The largest magnitudes actually present bound the product (garbage in null slots only makes the
            // bound looser), which often allows a cheaper loop than the declared precisions do.
            let bound = productScale == resultScale && lp + rp > 18
                ? maximumMagnitude(l, count: count).multipliedReportingOverflow(by: maximumMagnitude(r, count: count))
                : (partialValue: UInt128.max, overflow: true)
            let productFits = !bound.overflow && bound.partialValue < UInt128(limit)
            if productFits && bound.partialValue < UInt128(Int64.max) {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, _ in
                    Int128(Int64(truncatingIfNeeded: x) &* Int64(truncatingIfNeeded: y))
                }
            } else if productFits {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, _ in x &* y }
            } else if productScale == resultScale && lp + rp <= 18 {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let value = Int128(Int64(truncatingIfNeeded: x) &* Int64(truncatingIfNeeded: y))
                    if value >= limit || value <= negativeLimit { flag = true }
                    return value
                }
            } else if productScale == resultScale && lp + rp <= 38 {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let value = x &* y
                    if value >= limit || value <= negativeLimit { flag = true }
                    return value
                }
            } else {
                flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let (product, o) = x.multipliedReportingOverflow(by: y)
                    guard !o, let value = DecimalMath.rescale(product, from: productScale, to: resultScale),
                          value < limit && value > negativeLimit else {
                        flag = true
                        return 0
                    }
                    return value
                }
            }
        case .divide:
            // unscaled result = x * 10^(resultScale - ls + rs) / y, rounded.
            let shift = resultScale - ls + rs
            flagged = mapBinary(l, r, into: out, count: count) { x, y, flag in
                guard y != 0, let value = decimalDivide(x, y, shift: shift), value < limit && value > negativeLimit else {
                    flag = true
                    return 0
                }
                return value
            }
        }
        if flagged {
            let error = firstError(count: count, validity: validity) { index in
                let x = l[index], y = r[index]
                switch operation {
                case .divide:
                    if y == 0 { return ExecutionError("division by zero") }
                    guard let value = decimalDivide(x, y, shift: resultScale - ls + rs), DecimalMath.fits(value, precision: resultPrecision) else {
                        return overflow
                    }
                    return nil
                case .modulo:
                    let sy = DecimalMath.rescale(y, from: rs, to: resultScale)
                    if sy == 0 { return ExecutionError("division by zero") }
                    if sy == nil || DecimalMath.rescale(x, from: ls, to: resultScale) == nil { return overflow }
                    return nil
                case .multiply:
                    let (product, o) = x.multipliedReportingOverflow(by: y)
                    guard !o, let value = DecimalMath.rescale(product, from: ls + rs, to: resultScale),
                          DecimalMath.fits(value, precision: resultPrecision) else { return overflow }
                    return nil
                case .add, .subtract:
                    let factorLeft = DecimalMath.power(Swift.min(resultScale - ls, 38))
                    let factorRight = DecimalMath.power(Swift.min(resultScale - rs, 38))
                    guard let value = checkedAddScaled(x, factorLeft, y, factorRight, sign: operation == .subtract ? -1 : 1),
                          DecimalMath.fits(value, precision: resultPrecision) else { return overflow }
                    return nil
                }
            }
            if let error { throw error }
        }
        return Vector(Column(dataType: result, count: count, nullCount: nullCount, validity: validity, values: values))
    }
}

/// A power of two above every magnitude among the first `count` values of an operand (an upper bound, cheap to
/// compute: the bit length of the OR of the values' one's-complement magnitudes).
func maximumMagnitude(_ operand: Operand<Int128>, count: Int) -> UInt128 {
    var low: UInt64 = 0, high: UInt64 = 0
    switch operand {
    case .scalar(let value):
        let magnitude = value ^ (value >> 127)
        low = UInt64(truncatingIfNeeded: magnitude)
        high = UInt64(truncatingIfNeeded: magnitude >> 64)
    case .values(let values):
        let words = UnsafeRawPointer(values).assumingMemoryBound(to: UInt64.self)
        for index in 0..<count {
            let lowWord = words[2 &* index], highWord = words[2 &* index &+ 1]
            // For a negative value the one's complement magnitude is the value with every bit flipped.
            let sign = UInt64(bitPattern: Int64(bitPattern: highWord) >> 63)
            low |= lowWord ^ sign
            high |= highWord ^ sign
        }
    }
    let bits = high != 0 ? 128 - high.leadingZeroBitCount : 64 - low.leadingZeroBitCount
    return bits >= 127 ? UInt128.max >> 1 : UInt128(1) << bits
}

/// `x * leftFactor + sign * y * rightFactor`, or nil on Int128 overflow.
@inline(__always)
func checkedAddScaled(_ x: Int128, _ leftFactor: Int128, _ y: Int128, _ rightFactor: Int128, sign: Int128) -> Int128? {
    let (sx, o1) = x.multipliedReportingOverflow(by: leftFactor)
    let (sy, o2) = y.multipliedReportingOverflow(by: rightFactor)
    let (value, o3) = sign < 0 ? sx.subtractingReportingOverflow(sy) : sx.addingReportingOverflow(sy)
    return o1 || o2 || o3 ? nil : value
}

/// `x * 10^shift / y` rounded half away from zero, or nil on overflow; `y` must not be zero.
@inline(__always)
func decimalDivide(_ x: Int128, _ y: Int128, shift: Int) -> Int128? {
    if shift >= 0 {
        guard shift <= 38 else { return x == 0 ? 0 : nil }
        let (numerator, overflow) = x.multipliedReportingOverflow(by: DecimalMath.power(shift))
        if overflow { return nil }
        return DecimalMath.roundedDivide(numerator, y)
    }
    guard -shift <= 38 else { return 0 }
    let (denominator, overflow) = y.multipliedReportingOverflow(by: DecimalMath.power(-shift))
    if overflow { return 0 }
    return DecimalMath.roundedDivide(x, denominator)
}

/// Unary minus on decimals.
func decimalNegateKernel(_ type: DataType) -> VectorKernel {
    unaryKernel(Int128.self, Int128.self, type) { x, _ in 0 &- x }
}
