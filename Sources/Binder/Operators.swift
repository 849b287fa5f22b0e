import Columnar
import LogicalPlan
import SQLSyntax

/// The SQL spelling of an operator, for messages.
func operatorSymbol(_ binaryOperator: BinaryOperator) -> String {
    switch binaryOperator {
    case .add: return "+"
    case .subtract: return "-"
    case .multiply: return "*"
    case .divide: return "/"
    case .modulo: return "%"
    case .concatenate: return "||"
    case .equal: return "="
    case .notEqual: return "<>"
    case .less: return "<"
    case .lessOrEqual: return "<="
    case .greater: return ">"
    case .greaterOrEqual: return ">="
    case .and: return "AND"
    case .or: return "OR"
    }
}

/// The comparison function of a comparison operator; nil for other operators.
func comparisonFunction(_ binaryOperator: BinaryOperator) -> ScalarFunction? {
    switch binaryOperator {
    case .equal: return .equal
    case .notEqual: return .notEqual
    case .less: return .less
    case .lessOrEqual: return .lessOrEqual
    case .greater: return .greater
    case .greaterOrEqual: return .greaterOrEqual
    default: return nil
    }
}

private func arithmeticFunction(_ binaryOperator: BinaryOperator) -> ScalarFunction {
    switch binaryOperator {
    case .subtract: return .subtract
    case .multiply: return .multiply
    case .divide: return .divide
    case .modulo: return .modulo
    default: return .add
    }
}

/// Converts both operands of a comparison to their common type. A string literal takes the type of the other side
/// (converted now, so a malformed literal is an error at its position).
///
/// - Throws: `BindError` "operator does not exist: T1 op T2" when the types do not compare.
func comparisonOperands(
    _ left: BoundExpression, at leftLocation: SourceLocation, _ right: BoundExpression,
    at rightLocation: SourceLocation, symbol: String, location: SourceLocation
) throws -> (BoundExpression, BoundExpression) {
    var left = left, right = right
    let leftUnknown = isUnknownLiteral(left), rightUnknown = isUnknownLiteral(right)
    if leftUnknown, !rightUnknown, right.dataType != .null {
        left = try coerce(left, to: right.dataType, at: leftLocation)
    } else if rightUnknown, !leftUnknown, left.dataType != .null {
        right = try coerce(right, to: left.dataType, at: rightLocation)
    }
    if left.dataType == right.dataType { return (left, right) }
    guard let common = commonType(left.dataType, right.dataType) else {
        throw BindError(
            "operator does not exist: \(sqlTypeName(left.dataType)) \(symbol) \(sqlTypeName(right.dataType))",
            location: location,
            hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
    }
    return (try coerce(left, to: common, at: leftLocation), try coerce(right, to: common, at: rightLocation))
}

/// `left op right` for a comparison operator, with coercion.
func comparison(
    _ binaryOperator: BinaryOperator, _ left: BoundExpression, at leftLocation: SourceLocation,
    _ right: BoundExpression, at rightLocation: SourceLocation, location: SourceLocation
) throws -> BoundExpression {
    let (leftCoerced, rightCoerced) = try comparisonOperands(
        left, at: leftLocation, right, at: rightLocation, symbol: operatorSymbol(binaryOperator), location: location)
    return .function(comparisonFunction(binaryOperator) ?? .equal, [leftCoerced, rightCoerced], .boolean)
}

/// `left op right` for `+ - * / %`: numbers promote to their common type (integer division for integers; decimal
/// precision and scale rules as DuckDB; a decimal divided by a number is a double), plus date and interval
/// arithmetic.
func arithmetic(
    _ binaryOperator: BinaryOperator, _ left: BoundExpression, at leftLocation: SourceLocation,
    _ right: BoundExpression, at rightLocation: SourceLocation, location: SourceLocation
) throws -> BoundExpression {
    let symbol = operatorSymbol(binaryOperator)
    let function = arithmeticFunction(binaryOperator)
    var left = left, right = right
    let leftUnknown = isUnknownLiteral(left), rightUnknown = isUnknownLiteral(right)
    if leftUnknown, rightUnknown {
        throw BindError("operator is not unique: unknown \(symbol) unknown", location: location,
                        hint: "Could not choose a best candidate operator. You might need to add explicit type casts.")
    }
    if isNullLiteral(left), isNullLiteral(right) {
        left = .literal(.null, .int32)
        right = .literal(.null, .int32)
    }
    if leftUnknown || isNullLiteral(left) {
        left = try coerce(left, to: right.dataType, at: leftLocation)
    } else if rightUnknown || isNullLiteral(right) {
        right = try coerce(right, to: left.dataType, at: rightLocation)
    }
    let leftType = left.dataType, rightType = right.dataType
    func doesNotExist() -> BindError {
        BindError(
            "operator does not exist: \(sqlTypeName(leftType)) \(symbol) \(sqlTypeName(rightType))",
            location: location,
            hint: "No operator matches the given name and argument types. You might need to add explicit type casts.")
    }
    let isAdditive = binaryOperator == .add || binaryOperator == .subtract

    // Dates and intervals.
    switch (leftType, rightType) {
    case (.date32, _) where rightType.isInteger && isAdditive:
        return .function(function, [left, try coerce(right, to: .int32, at: rightLocation)], .date32)
    case (_, .date32) where leftType.isInteger && binaryOperator == .add:
        return .function(.add, [right, try coerce(left, to: .int32, at: leftLocation)], .date32)
    case (.date32, .date32) where binaryOperator == .subtract:
        return .function(.subtract, [left, right], .int64)
    case (.date32, .interval) where isAdditive:
        return .function(function, [left, right], .date32)
    case (.interval, .date32) where binaryOperator == .add:
        return .function(.add, [right, left], .date32)
    case (.interval, .interval) where isAdditive:
        return .function(function, [left, right], .interval)
    case (.interval, _) where rightType.isInteger && binaryOperator == .multiply:
        return .function(.multiply, [left, try coerce(right, to: .int64, at: rightLocation)], .interval)
    case (_, .interval) where leftType.isInteger && binaryOperator == .multiply:
        return .function(.multiply, [right, try coerce(left, to: .int64, at: leftLocation)], .interval)
    default:
        break
    }

    guard leftType.isNumeric, rightType.isNumeric, let common = commonType(leftType, rightType) else {
        throw doesNotExist()
    }
    if binaryOperator == .divide, common.isDecimal {
        // DuckDB: a decimal quotient is a double.
        return .function(.divide, [
            try coerce(left, to: .float64, at: leftLocation), try coerce(right, to: .float64, at: rightLocation),
        ], .float64)
    }
    guard common.isDecimal,
          let leftDecimal = decimalEquivalent(of: leftType), let rightDecimal = decimalEquivalent(of: rightType) else {
        return .function(function, [
            try coerce(left, to: common, at: leftLocation), try coerce(right, to: common, at: rightLocation),
        ], common)
    }
    let (leftPrecision, leftScale) = decimalParts(leftDecimal)
    let (rightPrecision, rightScale) = decimalParts(rightDecimal)
    let maximum = DataType.maximumDecimalPrecision
    switch binaryOperator {
    case .multiply:
        let scale = leftScale + rightScale
        guard scale <= maximum else {
            throw BindError("DECIMAL multiplication result scale \(scale) exceeds the maximum of \(maximum)",
                            location: location)
        }
        let result = DataType.decimal128(precision: min(maximum, leftPrecision + rightPrecision), scale: scale)
        return .function(.multiply, [
            try coerce(left, to: leftDecimal, at: leftLocation), try coerce(right, to: rightDecimal, at: rightLocation),
        ], result)
    case .add, .subtract:
        let scale = max(leftScale, rightScale)
        let integerDigits = max(leftPrecision - leftScale, rightPrecision - rightScale)
        let result = DataType.decimal128(precision: min(maximum, integerDigits + scale + 1), scale: scale)
        return .function(function, [
            try coerce(left, to: common, at: leftLocation), try coerce(right, to: common, at: rightLocation),
        ], result)
    default:
        return .function(function, [
            try coerce(left, to: common, at: leftLocation), try coerce(right, to: common, at: rightLocation),
        ], common)
    }
}
