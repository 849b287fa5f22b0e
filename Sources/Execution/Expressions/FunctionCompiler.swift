import Columnar
import LogicalPlan

extension ExpressionCompiler {
    /// Compiles a scalar function whose arguments are already compiled; the result has `type`.
    func compileFunction(_ function: ScalarFunction, _ arguments: [any ExpressionNode], _ type: DataType) throws -> any ExpressionNode {
        func require(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(arguments.count) else {
                throw ExecutionError("function \(function) takes \(counts.lowerBound)...\(counts.upperBound) arguments, got \(arguments.count)")
            }
        }
        /// A strict node whose result is converted to the declared type if the kernel's differs.
        func strict(_ nodes: [any ExpressionNode], _ kernelType: DataType, _ kernel: @escaping VectorKernel) throws -> any ExpressionNode {
            if nodes.contains(where: { $0.dataType == .null }) { return ConstantNode(.null, type) }
            let node = StrictFunctionNode(arguments: nodes, dataType: kernelType, kernel: kernel)
            return type == .null ? node : try cast(node, to: type)
        }
        switch function {
        case .add, .subtract, .multiply, .divide, .modulo:
            try require(2...2)
            return try compileArithmetic(function, arguments[0], arguments[1], type)
        case .negate:
            try require(1...1)
            let operand = arguments[0]
            switch operand.dataType {
            case .int8: return try strict([operand], .int8, integerNegateKernel(Int8.self, .int8))
            case .int16: return try strict([operand], .int16, integerNegateKernel(Int16.self, .int16))
            case .int32: return try strict([operand], .int32, integerNegateKernel(Int32.self, .int32))
            case .int64: return try strict([operand], .int64, integerNegateKernel(Int64.self, .int64))
            case .float32: return try strict([operand], .float32, unaryKernel(Float.self, Float.self, .float32) { x, _ in -x })
            case .float64: return try strict([operand], .float64, unaryKernel(Double.self, Double.self, .float64) { x, _ in -x })
            case .decimal128: return try strict([operand], operand.dataType, decimalNegateKernel(operand.dataType))
            case .interval: return try strict([operand], .interval, intervalNegateKernel())
            case .null: return ConstantNode(.null, type)
            default: throw ExecutionError("operator does not exist: - \(operand.dataType)")
            }
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            try require(2...2)
            let (left, right, storage) = try unified(arguments[0], arguments[1], function)
            guard let storage else { return ConstantNode(.null, .boolean) }
            return ComparisonNode(comparison: comparisonOperator(function), storage: storage, left: left, right: right)
        case .isDistinctFrom, .isNotDistinctFrom:
            try require(2...2)
            let (left, right, storage) = try unified(arguments[0], arguments[1], function)
            return DistinctNode(isDistinct: function == .isDistinctFrom, storage: storage, left: left, right: right)
        case .isNull, .isNotNull, .isTrue, .isFalse, .isNotTrue, .isNotFalse:
            try require(1...1)
            let test: TruthTest
            switch function {
            case .isNull: test = .isNull
            case .isNotNull: test = .isNotNull
            case .isTrue: test = .isTrue
            case .isFalse: test = .isFalse
            case .isNotTrue: test = .isNotTrue
            default: test = .isNotFalse
            }
            let operand = test == .isNull || test == .isNotNull ? arguments[0] : try cast(arguments[0], to: .boolean)
            return TruthTestNode(test: test, operand: operand)
        case .concatenate:
            try require(1...Int.max)
            return try strict(try arguments.map { try cast($0, to: .utf8) }, .utf8, concatenateKernel())
        case .like(let caseInsensitive):
            try require(2...3)
            let nodes = try arguments.map { try cast($0, to: .utf8) }
            var compiled: LikePattern? = nil
            if let pattern = nodes[1] as? ConstantNode, !pattern.vector.isAllNull {
                var escape: [UInt8]? = [UInt8(ascii: "\\")]
                if nodes.count > 2 {
                    escape = (nodes[2] as? ConstantNode).flatMap { $0.vector.isAllNull ? nil : Array($0.vector.column.stringBytes(at: 0)) }
                }
                if let escape {
                    compiled = try LikePattern(pattern.vector.column.stringBytes(at: 0), escape: escape, caseInsensitive: caseInsensitive)
                }
            }
            return try strict(nodes, .boolean, likeKernel(caseInsensitive: caseInsensitive, compiled: compiled))
        case .substring:
            try require(2...3)
            var nodes = [try cast(arguments[0], to: .utf8)]
            for argument in arguments.dropFirst() { nodes.append(try cast(argument, to: .int64)) }
            return try strict(nodes, .utf8, substringKernel())
        case .upper, .lower:
            try require(1...1)
            return try strict([try cast(arguments[0], to: .utf8)], .utf8, caseMappingKernel(upper: function == .upper))
        case .length:
            try require(1...1)
            let operand = try cast(arguments[0], to: .utf8)
            if type == .int32 { return try strict([operand], .int32, lengthKernel(Int32.self, .int32)) }
            return try strict([operand], .int64, lengthKernel(Int64.self, .int64))
        case .trim, .leftTrim, .rightTrim:
            try require(1...2)
            let nodes = try arguments.map { try cast($0, to: .utf8) }
            return try strict(nodes, .utf8, trimKernel(leading: function != .rightTrim, trailing: function != .leftTrim))
        case .position:
            try require(2...2)
            let nodes = try arguments.map { try cast($0, to: .utf8) }
            if type == .int32 { return try strict(nodes, .int32, positionKernel(Int32.self, .int32)) }
            return try strict(nodes, .int64, positionKernel(Int64.self, .int64))
        case .replace:
            try require(3...3)
            return try strict(try arguments.map { try cast($0, to: .utf8) }, .utf8, replaceKernel())
        case .startsWith:
            try require(2...2)
            return try strict(try arguments.map { try cast($0, to: .utf8) }, .boolean, startsWithKernel())
        case .abs:
            try require(1...1)
            let resultType = type == .null ? arguments[0].dataType : type
            let operand = try cast(arguments[0], to: resultType)
            return try strict([operand], resultType, try absoluteValueKernel(resultType))
        case .round, .floor, .ceil:
            try require(function == .round ? 1...2 : 1...1)
            let resultType = type == .null ? arguments[0].dataType : type
            let operand = try roundingInput(arguments[0], resultType)
            var nodes = [operand]
            if arguments.count > 1 { nodes.append(try cast(arguments[1], to: .int64)) }
            let kernel = function == .round
                ? try roundKernel(input: operand.dataType, result: resultType)
                : try floorCeilingKernel(input: operand.dataType, result: resultType, ceiling: function == .ceil)
            let kernelType: DataType = operand.dataType.isFloatingPoint ? operand.dataType : resultType
            return try strict(nodes, kernelType, kernel)
        case .sqrt:
            try require(1...1)
            return try strict([try cast(arguments[0], to: .float64)], .float64, squareRootKernel())
        case .power:
            try require(2...2)
            return try strict(try arguments.map { try cast($0, to: .float64) }, .float64, powerKernel())
        case .coalesce:
            try require(1...Int.max)
            let resultType = type == .null ? (arguments.first { $0.dataType != .null }?.dataType ?? .null) : type
            let nodes = try arguments.map { try cast($0, to: resultType) }
            return CoalesceNode(arguments: nodes, dataType: resultType)
        case .nullIf:
            try require(2...2)
            let resultType = type == .null ? arguments[0].dataType : type
            let left = try cast(arguments[0], to: resultType)
            let right = try cast(arguments[1], to: resultType)
            return NullIfNode(left: left, right: right, storage: ComparisonStorage(resultType), dataType: resultType)
        case .greatest, .least:
            try require(1...Int.max)
            let resultType = type == .null ? (arguments.first { $0.dataType != .null }?.dataType ?? .null) : type
            guard let storage = ComparisonStorage(resultType) else { return ConstantNode(.null, type) }
            let nodes = try arguments.map { try cast($0, to: resultType) }
            return ExtremumNode(arguments: nodes, storage: storage, isGreatest: function == .greatest, dataType: resultType)
        case .extract(let field):
            try require(1...1)
            var operand = arguments[0]
            if operand.dataType == .utf8 { operand = try cast(operand, to: .date32) }
            if operand.dataType == .null { return ConstantNode(.null, type) }
            return try strict([operand], .int64, try extractKernel(field, from: operand.dataType))
        }
    }

    /// The comparison operator of a comparison function.
    func comparisonOperator(_ function: ScalarFunction) -> ComparisonOperator {
        switch function {
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return .equal
        }
    }

    /// Both operands converted to their common type, with the storage comparisons use (nil for untyped NULLs).
    private func unified(_ left: any ExpressionNode, _ right: any ExpressionNode, _ function: ScalarFunction) throws
        -> (any ExpressionNode, any ExpressionNode, ComparisonStorage?) {
        guard let common = commonType(left.dataType, right.dataType) else {
            throw ExecutionError("cannot compare \(left.dataType) with \(right.dataType)")
        }
        return (try cast(left, to: common), try cast(right, to: common), ComparisonStorage(common))
    }

    /// The input of round/floor/ceil converted to the kind of the result: floats and integers to the result type,
    /// integers to an exact decimal when the result is decimal, decimals kept.
    private func roundingInput(_ operand: any ExpressionNode, _ result: DataType) throws -> any ExpressionNode {
        if result.isDecimal {
            if operand.dataType.isDecimal { return operand }
            if operand.dataType.isInteger {
                return try cast(operand, to: .decimal128(precision: DecimalMath.precisionAndScale(operand.dataType).precision, scale: 0))
            }
        }
        return try cast(operand, to: result)
    }

    private func compileArithmetic(_ function: ScalarFunction, _ left: any ExpressionNode, _ right: any ExpressionNode,
                                   _ type: DataType) throws -> any ExpressionNode {
        let operation: ArithmeticOperator
        switch function {
        case .add: operation = .add
        case .subtract: operation = .subtract
        case .multiply: operation = .multiply
        case .divide: operation = .divide
        default: operation = .modulo
        }
        let leftType = left.dataType, rightType = right.dataType
        if leftType == .null || rightType == .null { return ConstantNode(.null, type) }
        func node(_ nodes: [any ExpressionNode], _ kernelType: DataType, _ kernel: @escaping VectorKernel) throws -> any ExpressionNode {
            let result = StrictFunctionNode(arguments: nodes, dataType: kernelType, kernel: kernel)
            return type == .null ? result : try cast(result, to: type)
        }
        func integerKernel<T: FixedWidthInteger & Sendable>(_ element: T.Type, _ build: (T.Type) -> VectorKernel) -> VectorKernel {
            build(T.self)
        }
        func withInteger(_ integerType: DataType, _ build: (any (FixedWidthInteger & Sendable).Type) -> VectorKernel) -> VectorKernel? {
            switch integerType {
            case .int8: return build(Int8.self)
            case .int16: return build(Int16.self)
            case .int32: return build(Int32.self)
            case .int64: return build(Int64.self)
            default: return nil
            }
        }
        let mismatch = ExecutionError("operator does not exist: \(leftType) \(operatorSymbol(operation)) \(rightType)")
        // Dates and intervals.
        switch (leftType, rightType) {
        case (.date32, let other) where other.isInteger && (operation == .add || operation == .subtract):
            guard let kernel = withInteger(other, { dateKernel($0, sign: operation == .add ? 1 : -1, daysFirst: false) }) else { throw mismatch }
            return try node([left, right], .date32, kernel)
        case (let other, .date32) where other.isInteger && operation == .add:
            guard let kernel = withInteger(other, { dateKernel($0, sign: 1, daysFirst: true) }) else { throw mismatch }
            return try node([left, right], .date32, kernel)
        case (.date32, .date32) where operation == .subtract:
            let resultType: DataType = type == .int32 ? .int32 : .int64
            return try node([left, right], resultType, dateDifferenceKernel(resultType))
        case (.date32, .interval) where operation == .add || operation == .subtract:
            return try node([left, right], .date32, dateIntervalKernel(sign: operation == .add ? 1 : -1, intervalFirst: false))
        case (.interval, .date32) where operation == .add:
            return try node([left, right], .date32, dateIntervalKernel(sign: 1, intervalFirst: true))
        case (.interval, .interval) where operation == .add || operation == .subtract:
            return try node([left, right], .interval, intervalAddKernel(sign: operation == .add ? 1 : -1))
        case (.interval, let other) where other.isInteger && operation == .multiply:
            let factor = try cast(right, to: .int64)
            return try node([left, factor], .interval, intervalMultiplyKernel(Int64.self, factorFirst: false))
        case (let other, .interval) where other.isInteger && operation == .multiply:
            let factor = try cast(left, to: .int64)
            return try node([factor, right], .interval, intervalMultiplyKernel(Int64.self, factorFirst: true))
        case (.interval, let other) where other.isNumeric && (operation == .multiply || operation == .divide):
            let factor = try cast(right, to: .float64)
            return try node([left, factor], .interval, intervalScaleKernel(factorFirst: false, divide: operation == .divide))
        case (let other, .interval) where other.isNumeric && operation == .multiply:
            let factor = try cast(left, to: .float64)
            return try node([factor, right], .interval, intervalScaleKernel(factorFirst: true, divide: false))
        default:
            break
        }
        guard leftType.isNumeric || leftType == .utf8, rightType.isNumeric || rightType == .utf8 else { throw mismatch }
        var resultType = type
        if resultType == .null || !resultType.isNumeric {
            guard let common = commonType(leftType, rightType), common.isNumeric else { throw mismatch }
            resultType = common
        }
        switch resultType {
        case .int8: return try node([try cast(left, to: .int8), try cast(right, to: .int8)], .int8, integerArithmeticKernel(operation, Int8.self, .int8))
        case .int16: return try node([try cast(left, to: .int16), try cast(right, to: .int16)], .int16, integerArithmeticKernel(operation, Int16.self, .int16))
        case .int32: return try node([try cast(left, to: .int32), try cast(right, to: .int32)], .int32, integerArithmeticKernel(operation, Int32.self, .int32))
        case .int64: return try node([try cast(left, to: .int64), try cast(right, to: .int64)], .int64, integerArithmeticKernel(operation, Int64.self, .int64))
        case .float32: return try node([try cast(left, to: .float32), try cast(right, to: .float32)], .float32, floatArithmeticKernel(operation, Float.self, .float32))
        case .float64: return try node([try cast(left, to: .float64), try cast(right, to: .float64)], .float64, floatArithmeticKernel(operation, Double.self, .float64))
        case .decimal128:
            func decimalOperand(_ operand: any ExpressionNode) throws -> any ExpressionNode {
                if operand.dataType.isDecimal { return operand }
                if operand.dataType.isInteger {
                    return try cast(operand, to: .decimal128(precision: DecimalMath.precisionAndScale(operand.dataType).precision, scale: 0))
                }
                return try cast(operand, to: resultType)
            }
            let l = try decimalOperand(left), r = try decimalOperand(right)
            return try node([l, r], resultType, decimalArithmeticKernel(operation, left: l.dataType, right: r.dataType, result: resultType))
        default:
            throw mismatch
        }
    }
}

/// `date ± integer` for a day count of the given integer type.
private func dateKernel(_ type: any (FixedWidthInteger & Sendable).Type, sign: Int64, daysFirst: Bool) -> VectorKernel {
    func build<T: FixedWidthInteger & Sendable>(_ element: T.Type) -> VectorKernel {
        dateAddDaysKernel(T.self, sign: sign, daysFirst: daysFirst)
    }
    return build(type)
}

/// The SQL spelling of an arithmetic operator, for error messages.
func operatorSymbol(_ operation: ArithmeticOperator) -> String {
    switch operation {
    case .add: return "+"
    case .subtract: return "-"
    case .multiply: return "*"
    case .divide: return "/"
    case .modulo: return "%"
    }
}
