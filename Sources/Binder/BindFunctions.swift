import Columnar
import LogicalPlan
import SQLSyntax

/// The scalar functions the binder knows, for "did you mean" hints.
let scalarFunctionNames = [
    "substring", "substr", "upper", "lower", "length", "char_length", "character_length", "trim", "btrim", "ltrim",
    "rtrim", "position", "strpos", "replace", "starts_with", "left", "abs", "round", "floor", "ceil", "ceiling",
    "sqrt", "power", "pow", "coalesce", "nullif", "greatest", "least", "date_part",
]

private let noMatchHint = "No function matches the given name and argument types. You might need to add explicit type casts."

extension Binder {
    /// Binds a function call: an aggregate (when the name is one), or a scalar function.
    mutating func bindFunctionCall(_ call: FunctionCall, location: SourceLocation,
                                   _ context: ExpressionContext) throws -> BoundExpression {
        let name = call.name.baseName.lowercased()
        if let window = call.window {
            return try bindWindowCall(call, window: window, name: name, location: location, context)
        }
        if windowFunctionNames.contains(name) {
            throw BindError("window function \(name) requires an OVER clause", location: location)
        }
        if let treatment = call.nullTreatment {
            throw BindError("\(treatment == .ignoreNulls ? "IGNORE" : "RESPECT") NULLS specified, but \(name) is not a "
                            + "window function", location: location)
        }
        if aggregateFunctionNames.contains(name) {
            return try bindAggregate(call, name: name, location: location, context)
        }
        if call.isStar {
            throw BindError("\(name)(*) specified, but \(name) is not an aggregate function", location: location)
        }
        if call.isDistinct {
            throw BindError("DISTINCT specified, but \(name) is not an aggregate function", location: location)
        }
        if call.filter != nil {
            throw BindError("FILTER specified, but \(name) is not an aggregate function", location: location)
        }
        if !call.orderBy.isEmpty {
            throw BindError("ORDER BY specified, but \(name) is not an aggregate function", location: location)
        }
        var arguments: [BoundExpression] = []
        for argument in call.arguments {
            arguments.append(try bindExpression(argument, context))
        }
        let locations = call.arguments.map(\.location)
        return try bindScalarFunction(name, arguments, locations: locations, location: location)
    }

    /// Binds a scalar function by name (case-insensitive) over bound arguments.
    func bindScalarFunction(_ name: String, _ arguments: [BoundExpression], locations: [SourceLocation],
                            location: SourceLocation) throws -> BoundExpression {
        var arguments = arguments
        func noSuchFunction() -> BindError {
            let signature = "\(name)(\(arguments.map(argumentTypeName).joined(separator: ", ")))"
            if scalarFunctionNames.contains(name) || aggregateFunctionNames.contains(name) {
                return BindError("function \(signature) does not exist", location: location, hint: noMatchHint)
            }
            let candidates = scalarFunctionNames + aggregateFunctionNames.sorted()
            return BindError("function \(signature) does not exist", location: location,
                             hint: nearestName(to: name, among: candidates).map { "did you mean \"\($0)\"?" })
        }
        func requireCount(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(arguments.count) else { throw noSuchFunction() }
        }
        /// Converts argument `index` to text: strings, unknown literals and NULL only.
        func text(_ index: Int) throws {
            let argument = arguments[index]
            guard argument.dataType == .utf8 || argument.dataType == .null else { throw noSuchFunction() }
            arguments[index] = try coerce(argument, to: .utf8, at: locations[index])
        }
        /// Converts argument `index` to `type`, which must be an integer type.
        func integer(_ index: Int, as type: DataType = .int64) throws {
            let argument = arguments[index]
            guard argument.dataType.isInteger || argument.dataType == .null || isUnknownLiteral(argument) else {
                throw noSuchFunction()
            }
            arguments[index] = try coerce(argument, to: type, at: locations[index])
        }
        /// Requires argument `index` to be a number (string literals become doubles); returns its type.
        func number(_ index: Int) throws -> DataType {
            let argument = arguments[index]
            if isUnknownLiteral(argument) || argument.dataType == .null {
                arguments[index] = try coerce(argument, to: .float64, at: locations[index])
            }
            guard arguments[index].dataType.isNumeric else { throw noSuchFunction() }
            return arguments[index].dataType
        }
        func unify(_ construct: String) throws -> DataType {
            let type = try unifiedType(arguments, construct: construct, location: location)
            for index in arguments.indices {
                arguments[index] = try coerce(arguments[index], to: type, at: locations[index])
            }
            return type
        }

        switch name {
        case "substring", "substr":
            try requireCount(2...3)
            try text(0)
            for index in 1..<arguments.count { try integer(index) }
            return .function(.substring, arguments, .utf8)
        case "left":
            try requireCount(2...2)
            try text(0)
            try integer(1)
            return .function(.substring, [arguments[0], .literal(.int64(1), .int64), arguments[1]], .utf8)
        case "upper", "lower":
            try requireCount(1...1)
            try text(0)
            return .function(name == "upper" ? .upper : .lower, arguments, .utf8)
        case "length", "char_length", "character_length":
            try requireCount(1...1)
            try text(0)
            return .function(.length, arguments, .int64)
        case "trim", "btrim", "ltrim", "rtrim":
            try requireCount(1...2)
            for index in arguments.indices { try text(index) }
            let function: ScalarFunction = name == "ltrim" ? .leftTrim : (name == "rtrim" ? .rightTrim : .trim)
            return .function(function, arguments, .utf8)
        case "position", "strpos":
            try requireCount(2...2)
            try text(0)
            try text(1)
            // position(needle, haystack); strpos(haystack, needle).
            let ordered = name == "position" ? arguments : [arguments[1], arguments[0]]
            return .function(.position, ordered, .int64)
        case "replace":
            try requireCount(3...3)
            for index in arguments.indices { try text(index) }
            return .function(.replace, arguments, .utf8)
        case "starts_with":
            try requireCount(2...2)
            try text(0)
            try text(1)
            return .function(.startsWith, arguments, .boolean)
        case "abs":
            try requireCount(1...1)
            return .function(.abs, arguments, try number(0))
        case "round":
            try requireCount(1...2)
            let type = try number(0)
            if arguments.count == 2 { try integer(1, as: .int32) }
            guard case .decimal128(let precision, let scale) = type else {
                return .function(.round, arguments, type)
            }
            var resultScale = 0
            if arguments.count == 2 {
                if case .literal(.int32(let digits), _) = arguments[1] {
                    resultScale = max(0, min(scale, Int(digits)))
                } else {
                    resultScale = scale
                }
            }
            return .function(.round, arguments, .decimal128(precision: precision, scale: resultScale))
        case "floor", "ceil", "ceiling":
            try requireCount(1...1)
            var type = try number(0)
            if case .decimal128(let precision, _) = type {
                type = .decimal128(precision: precision, scale: 0)
            }
            return .function(name == "floor" ? .floor : .ceil, arguments, type)
        case "sqrt":
            try requireCount(1...1)
            _ = try number(0)
            arguments[0] = try coerce(arguments[0], to: .float64, at: locations[0])
            return .function(.sqrt, arguments, .float64)
        case "power", "pow":
            try requireCount(2...2)
            for index in arguments.indices {
                _ = try number(index)
                arguments[index] = try coerce(arguments[index], to: .float64, at: locations[index])
            }
            return .function(.power, arguments, .float64)
        case "coalesce":
            guard !arguments.isEmpty else { throw noSuchFunction() }
            let type = try unify("COALESCE")
            return .function(.coalesce, arguments, type)
        case "nullif":
            try requireCount(2...2)
            let (first, second) = try comparisonOperands(
                arguments[0], at: locations[0], arguments[1], at: locations[1], symbol: "=", location: location)
            return .function(.nullIf, [first, second], first.dataType)
        case "greatest", "least":
            guard !arguments.isEmpty else { throw noSuchFunction() }
            let type = try unify(name.uppercased())
            return .function(name == "greatest" ? .greatest : .least, arguments, type)
        case "date_part", "datepart":
            try requireCount(2...2)
            guard case .literal(.string(let field), _) = arguments[0] else {
                throw BindError("the first argument of date_part must be a constant string", location: locations[0])
            }
            return try bindExtract(field: field, operand: arguments[1], operandLocation: locations[1],
                                   location: location)
        default:
            throw noSuchFunction()
        }
    }
}
