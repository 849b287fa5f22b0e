import Columnar

/// The binary arithmetic operators.
enum ArithmeticOperator: Sendable {
    case add, subtract, multiply, divide, modulo
}

/// The message for an integer result that does not fit its type, as PostgreSQL words it.
func integerOutOfRangeMessage(_ type: DataType) -> String {
    switch type {
    case .int8: return "tinyint out of range"
    case .int16: return "smallint out of range"
    case .int32: return "integer out of range"
    default: return "bigint out of range"
    }
}

/// Builds a fixed-width result column of `count` values of `T` from `validity` and a fill routine that
/// returns whether any row raised the error flag.
@inline(__always)
func fixedWidthResult<T>(_ type: DataType, _ element: T.Type, count: Int, validity: Buffer?, nullCount: Int,
                         _ fill: (UnsafeMutablePointer<T>) -> Bool, onFlag check: (Int) -> ExecutionError?) throws -> Vector {
    let values = allocateFilledValues(T.self, count: count)
    let flagged = fill(values.typed(T.self))
    if flagged, let error = firstError(count: count, validity: validity, check) { throw error }
    return Vector(Column(dataType: type, count: count, nullCount: nullCount, validity: validity, values: values))
}

/// Integer arithmetic on two operands of type `T`, with overflow and division by zero as errors.
func integerArithmeticKernel<T: FixedWidthInteger & SignedInteger & Sendable>(_ operation: ArithmeticOperator,
                                                                               _ type: T.Type, _ dataType: DataType) -> VectorKernel {
    let overflow = integerOutOfRangeMessage(dataType)
    return { arguments, count in
        let a = arguments[0], b = arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(a.validity, b.validity, count: count)
        let l = a.operand(T.self), r = b.operand(T.self)
        return try fixedWidthResult(dataType, T.self, count: count, validity: validity, nullCount: nullCount, { out in
            switch operation {
            case .add:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let (value, o) = x.addingReportingOverflow(y)
                    if o { flag = true }
                    return value
                }
            case .subtract:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let (value, o) = x.subtractingReportingOverflow(y)
                    if o { flag = true }
                    return value
                }
            case .multiply:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let (value, o) = x.multipliedReportingOverflow(by: y)
                    if o { flag = true }
                    return value
                }
            case .divide:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    if y == 0 { flag = true }
                    let (value, o) = x.dividedReportingOverflow(by: y == 0 ? 1 : y)
                    if o { flag = true }
                    return value
                }
            case .modulo:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    if y == 0 { flag = true }
                    return x % (y == 0 || y == -1 ? 1 : y)
                }
            }
        }, onFlag: { index in
            let x = l[index], y = r[index]
            switch operation {
            case .add: return x.addingReportingOverflow(y).overflow ? ExecutionError(overflow) : nil
            case .subtract: return x.subtractingReportingOverflow(y).overflow ? ExecutionError(overflow) : nil
            case .multiply: return x.multipliedReportingOverflow(by: y).overflow ? ExecutionError(overflow) : nil
            case .divide, .modulo:
                if y == 0 { return ExecutionError("division by zero") }
                if operation == .divide && x.dividedReportingOverflow(by: y).overflow { return ExecutionError(overflow) }
                return nil
            }
        })
    }
}

/// Floating-point arithmetic; division by zero and overflow to infinity are errors, as in PostgreSQL.
func floatArithmeticKernel<T: BinaryFloatingPoint & Sendable>(_ operation: ArithmeticOperator, _ type: T.Type,
                                                              _ dataType: DataType) -> VectorKernel {
    return { arguments, count in
        let a = arguments[0], b = arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(a.validity, b.validity, count: count)
        let l = a.operand(T.self), r = b.operand(T.self)
        @inline(__always)
        func apply(_ x: T, _ y: T) -> T {
            switch operation {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            case .modulo: return x.truncatingRemainder(dividingBy: y)
            }
        }
        return try fixedWidthResult(dataType, T.self, count: count, validity: validity, nullCount: nullCount, { out in
            switch operation {
            case .add:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let value = x + y
                    if value.isInfinite && x.isFinite && y.isFinite { flag = true }
                    return value
                }
            case .subtract:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let value = x - y
                    if value.isInfinite && x.isFinite && y.isFinite { flag = true }
                    return value
                }
            case .multiply:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    let value = x * y
                    if value.isInfinite && x.isFinite && y.isFinite { flag = true }
                    return value
                }
            case .divide, .modulo:
                return mapBinary(l, r, into: out, count: count) { x, y, flag in
                    if y == 0 { flag = true }
                    let value = apply(x, y)
                    if value.isInfinite && x.isFinite { flag = true }
                    return value
                }
            }
        }, onFlag: { index in
            let x = l[index], y = r[index]
            if (operation == .divide || operation == .modulo) && y == 0 { return ExecutionError("division by zero") }
            let value = apply(x, y)
            if value.isInfinite && x.isFinite && y.isFinite { return ExecutionError("value out of range: overflow") }
            return nil
        })
    }
}

/// Unary minus on integers (the minimum value overflows).
func integerNegateKernel<T: FixedWidthInteger & SignedInteger & Sendable>(_ type: T.Type, _ dataType: DataType) -> VectorKernel {
    let overflow = integerOutOfRangeMessage(dataType)
    return { arguments, count in
        let a = arguments[0]
        let input = a.operand(T.self)
        return try fixedWidthResult(dataType, T.self, count: count, validity: a.validity, nullCount: a.column.nullCount, { out in
            mapUnary(input, into: out, count: count) { x, flag in
                if x == T.min { flag = true }
                return 0 &- x
            }
        }, onFlag: { index in input[index] == T.min ? ExecutionError(overflow) : nil })
    }
}

/// A kernel applying `body` to every value of one fixed-width operand; `body` may raise the flag, in which case
/// `check` names the error of the first valid culprit.
func unaryKernel<I, O>(_ input: I.Type, _ output: O.Type, _ dataType: DataType,
                       _ body: @escaping @Sendable (I, inout Bool) -> O,
                       check: @escaping @Sendable (I) -> ExecutionError? = { _ in nil }) -> VectorKernel {
    return { arguments, count in
        let a = arguments[0]
        let operand = a.operand(I.self)
        return try fixedWidthResult(dataType, O.self, count: count, validity: a.validity, nullCount: a.column.nullCount, { out in
            mapUnary(operand, into: out, count: count, body)
        }, onFlag: { index in check(operand[index]) })
    }
}

/// A kernel applying `body` to every pair of values of two fixed-width operands.
func binaryKernel<L, R, O>(_ left: L.Type, _ right: R.Type, _ output: O.Type, _ dataType: DataType,
                           _ body: @escaping @Sendable (L, R, inout Bool) -> O,
                           check: @escaping @Sendable (L, R) -> ExecutionError? = { _, _ in nil }) -> VectorKernel {
    return { arguments, count in
        let a = arguments[0], b = arguments[1]
        let (validity, nullCount) = BitmapKernels.intersect(a.validity, b.validity, count: count)
        let l = a.operand(L.self), r = b.operand(R.self)
        return try fixedWidthResult(dataType, O.self, count: count, validity: validity, nullCount: nullCount, { out in
            mapBinary(l, r, into: out, count: count, body)
        }, onFlag: { index in check(l[index], r[index]) })
    }
}
