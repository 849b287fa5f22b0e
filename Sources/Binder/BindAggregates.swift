import Columnar
import LogicalPlan
import SQLSyntax

/// The names of the aggregate functions.
let aggregateFunctionNames: Set<String> = [
    "count", "sum", "avg", "min", "max", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
    "bool_and", "bool_or", "every", "string_agg",
]

extension Binder {
    /// Binds an aggregate call: checks where it may appear, types it, and replaces it by a reference to the output
    /// column of the (deduplicated) aggregate in `context.aggregates`.
    mutating func bindAggregate(_ call: FunctionCall, name: String, location: SourceLocation,
                                _ context: ExpressionContext) throws -> BoundExpression {
        guard let collector = context.aggregates else {
            throw BindError("aggregate functions are not allowed in \(context.clause)", location: location)
        }
        if context.isInsideAggregate {
            throw BindError("aggregate function calls cannot be nested", location: location)
        }
        var inner = context
        inner.isInsideAggregate = true
        var arguments: [BoundExpression] = []
        for argument in call.arguments {
            arguments.append(try bindExpression(argument, inner))
        }
        let locations = call.arguments.map(\.location)
        let filter = try call.filter.map { try bindCondition($0, construct: "FILTER", inner) }
        var orderBy: [SortKey] = []
        for item in call.orderBy {
            orderBy.append(SortKey(expression: try bindExpression(item.expression, inner),
                                   isAscending: item.isAscending, nullsFirst: nullsFirst(for: item)))
        }
        if !orderBy.isEmpty, name != "string_agg" {
            throw BindError("ORDER BY in \(name) is not supported", location: location)
        }

        let (function, resultType) = try typeAggregate(name, isStar: call.isStar, arguments: &arguments,
                                                       locations: locations, location: location)
        var candidate = AggregateCall(
            function: function, arguments: arguments, isDistinct: call.isDistinct && function != .countStar,
            filter: filter, orderBy: orderBy, output: PlanColumn(id: ColumnID(0), name: name, dataType: resultType))
        for existing in collector.calls {
            candidate.output = existing.output
            if candidate == existing { return .column(existing.output) }
        }
        let isNullable = !(function == .count || function == .countStar)
        candidate.output = newColumn(name, resultType, isNullable: isNullable)
        collector.calls.append(candidate)
        return .column(candidate.output)
    }

    /// The aggregate function and result type of a call, converting its arguments as the function needs.
    func typeAggregate(_ name: String, isStar: Bool, arguments: inout [BoundExpression],
                       locations: [SourceLocation], location: SourceLocation) throws -> (AggregateFunction, DataType) {
        let argumentsSnapshot = arguments
        func noSuchFunction() -> BindError {
            let signature = isStar ? "\(name)(*)" : "\(name)(\(argumentsSnapshot.map(argumentTypeName).joined(separator: ", ")))"
            return BindError("function \(signature) does not exist", location: location,
                             hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
        }
        if isStar {
            guard name == "count", arguments.isEmpty else { throw noSuchFunction() }
            return (.countStar, .int64)
        }
        guard arguments.count == 1 || (name == "string_agg" && arguments.count == 2) else { throw noSuchFunction() }
        // A NULL argument counts as an integer; an untyped string literal as text.
        if isNullLiteral(arguments[0]) {
            arguments[0] = .literal(.null, name == "string_agg" ? .utf8 : (name.hasPrefix("bool") || name == "every" ? .boolean : .int32))
        }
        let type = arguments[0].dataType
        switch name {
        case "count":
            return (.count, .int64)
        case "sum":
            switch type {
            case .int8, .int16, .int32: return (.sum, .int64)
            case .int64: return (.sum, .decimal128(precision: 38, scale: 0))
            case .decimal128(_, let scale): return (.sum, .decimal128(precision: 38, scale: scale))
            case .float32, .float64: return (.sum, .float64)
            default: throw noSuchFunction()
            }
        case "avg":
            guard type.isNumeric, !isUnknownLiteral(arguments[0]) else { throw noSuchFunction() }
            return (.average, .float64)
        case "min", "max":
            return (name == "min" ? .minimum : .maximum, type)
        case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
            guard type.isNumeric else { throw noSuchFunction() }
            let function: AggregateFunction
            switch name {
            case "stddev_pop": function = .standardDeviationPopulation
            case "variance", "var_samp": function = .varianceSample
            case "var_pop": function = .variancePopulation
            default: function = .standardDeviationSample
            }
            return (function, .float64)
        case "bool_and", "bool_or", "every":
            guard type == .boolean, !isUnknownLiteral(arguments[0]) else { throw noSuchFunction() }
            return (name == "bool_or" ? .boolOr : .boolAnd, .boolean)
        case "string_agg":
            if arguments.count == 1 {
                arguments.append(.literal(.string(","), .utf8))
            }
            for index in arguments.indices {
                guard arguments[index].dataType == .utf8 || arguments[index].dataType == .null else {
                    throw noSuchFunction()
                }
                let argumentLocation = index < locations.count ? locations[index] : location
                arguments[index] = try coerce(arguments[index], to: .utf8, at: argumentLocation)
            }
            return (.stringAgg, .utf8)
        default:
            throw noSuchFunction()
        }
    }
}
