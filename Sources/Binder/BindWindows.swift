import Columnar
import LogicalPlan
import SQLSyntax

/// The names of the window functions that are not aggregates.
let windowFunctionNames: Set<String> = [
    "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
    "last_value", "nth_value",
]

/// Collects the window calls of one SELECT (from its select list and ORDER BY), deduplicated. They are computed
/// after GROUP BY and HAVING, so their arguments and keys may hold aggregates.
final class WindowCollector {
    /// The distinct window calls, in order of first appearance.
    var calls: [WindowCall] = []
    /// The SELECT's named windows (its WINDOW clause), resolved.
    var definitions: [String: WindowSpecification] = [:]
}

/// The window functions that accept `IGNORE NULLS` / `RESPECT NULLS`.
private let nullTreatmentFunctionNames: Set<String> = ["lag", "lead", "first_value", "last_value", "nth_value"]

extension Binder {
    /// Binds `f(...) OVER (...)`: checks where it may appear, types it, and replaces it by a reference to the output
    /// column of the (deduplicated) call in `context.windows`.
    mutating func bindWindowCall(_ call: FunctionCall, window written: WindowSpecification, name: String,
                                 location: SourceLocation, _ context: ExpressionContext) throws -> BoundExpression {
        guard let collector = context.windows else {
            throw BindError("window functions are not allowed in \(context.clause)", location: location)
        }
        let window = try resolveWindow(written, definitions: collector.definitions, isDefinition: false)
        if context.isInsideAggregate {
            throw BindError("aggregate function calls cannot contain window function calls", location: location)
        }
        if context.isInsideWindow {
            throw BindError("window function calls cannot be nested", location: location)
        }
        let isAggregate = aggregateFunctionNames.contains(name)
        guard isAggregate || windowFunctionNames.contains(name) else {
            throw BindError("OVER specified, but \(name) is not a window function nor an aggregate function",
                            location: location)
        }
        if call.isDistinct {
            throw BindError("DISTINCT is not implemented for window functions", location: location)
        }
        if !call.orderBy.isEmpty {
            throw BindError("ORDER BY in a window function's arguments is not supported", location: location)
        }
        if call.filter != nil && !isAggregate {
            throw BindError("FILTER is not implemented for non-aggregate window functions", location: location)
        }
        if call.isStar && name != "count" {
            throw BindError("\(name)(*) specified, but \(name) is not an aggregate function", location: location)
        }
        if let treatment = call.nullTreatment, !nullTreatmentFunctionNames.contains(name) {
            throw BindError("\(treatment == .ignoreNulls ? "IGNORE" : "RESPECT") NULLS is only supported for lag, lead, "
                            + "first_value, last_value and nth_value", location: location)
        }

        var inner = context
        inner.isInsideWindow = true
        var arguments: [BoundExpression] = []
        for argument in call.arguments {
            arguments.append(try bindExpression(argument, inner))
        }
        let locations = call.arguments.map(\.location)
        let filter = try call.filter.map { try bindCondition($0, construct: "FILTER", inner) }
        var partitionBy: [BoundExpression] = []
        for expression in window.partitionBy {
            partitionBy.append(try bindExpression(expression, inner))
        }
        var orderBy: [SortKey] = []
        for item in window.orderBy {
            orderBy.append(SortKey(expression: try bindExpression(item.expression, inner),
                                   isAscending: item.isAscending, nullsFirst: nullsFirst(for: item)))
        }

        let function: WindowFunction
        let resultType: DataType
        let isNullable: Bool
        if isAggregate {
            let (aggregate, type) = try typeAggregate(name, isStar: call.isStar, arguments: &arguments,
                                                      locations: locations, location: location)
            switch aggregate {
            case .count, .countStar, .sum, .average, .minimum, .maximum, .boolAnd, .boolOr, .standardDeviationSample,
                 .standardDeviationPopulation, .varianceSample, .variancePopulation, .stringAgg:
                break
            case .singleValue:
                throw BindError("\(aggregate.sqlName) is not supported as a window function", location: location)
            }
            function = .aggregate(aggregate)
            resultType = type
            isNullable = !(aggregate == .count || aggregate == .countStar)
        } else {
            (function, resultType, isNullable) = try typeWindowFunction(name, arguments: &arguments,
                                                                       locations: locations, location: location)
        }
        let frame = try bindFrame(window.frame, orderBy: orderBy, location: location, inner)

        var candidate = WindowCall(function: function, arguments: arguments, filter: filter,
                                   ignoresNulls: call.nullTreatment == .ignoreNulls, partitionBy: partitionBy,
                                   orderBy: orderBy, frame: frame,
                                   output: PlanColumn(id: ColumnID(0), name: name, dataType: resultType))
        for existing in collector.calls {
            candidate.output = existing.output
            if candidate == existing { return .column(existing.output) }
        }
        candidate.output = newColumn(name, resultType, isNullable: isNullable)
        collector.calls.append(candidate)
        return .column(candidate.output)
    }

    /// The function, result type and nullability of a non-aggregate window function, converting its arguments.
    private func typeWindowFunction(_ name: String, arguments: inout [BoundExpression], locations: [SourceLocation],
                                    location: SourceLocation) throws -> (WindowFunction, DataType, Bool) {
        let snapshot = arguments
        func noSuchFunction() -> BindError {
            BindError("function \(name)(\(snapshot.map(argumentTypeName).joined(separator: ", "))) does not exist",
                      location: location,
                      hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
        }
        func requireCount(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(arguments.count) else { throw noSuchFunction() }
        }
        /// Converts argument `index` to BIGINT; it must be an integer (or NULL).
        func integer(_ index: Int) throws {
            let argument = arguments[index]
            guard argument.dataType.isInteger || argument.dataType == .null || isUnknownLiteral(argument) else {
                throw noSuchFunction()
            }
            arguments[index] = try coerce(argument, to: .int64, at: locations[index])
        }
        /// Gives an untyped NULL value argument a type (INTEGER, as PostgreSQL's unknown resolves here).
        func typedValue() {
            if arguments[0].dataType == .null { arguments[0] = .literal(.null, .int32) }
            if isUnknownLiteral(arguments[0]) { arguments[0] = .cast(arguments[0], .utf8) }
        }

        switch name {
        case "row_number", "rank", "dense_rank":
            try requireCount(0...0)
            let function: WindowFunction = name == "row_number" ? .rowNumber : (name == "rank" ? .rank : .denseRank)
            return (function, .int64, false)
        case "percent_rank", "cume_dist":
            try requireCount(0...0)
            return (name == "percent_rank" ? .percentRank : .cumeDist, .float64, false)
        case "ntile":
            try requireCount(1...1)
            try integer(0)
            return (.ntile, .int64, true)
        case "lag", "lead":
            try requireCount(1...3)
            typedValue()
            if arguments.count >= 2 { try integer(1) }
            if arguments.count == 3 {
                arguments[2] = try bindCast(arguments[2], to: arguments[0].dataType, operandLocation: locations[2],
                                            location: locations[2])
            }
            return (name == "lag" ? .lag : .lead, arguments[0].dataType, true)
        case "first_value", "last_value":
            try requireCount(1...1)
            typedValue()
            return (name == "first_value" ? .firstValue : .lastValue, arguments[0].dataType, true)
        case "nth_value":
            try requireCount(2...2)
            typedValue()
            try integer(1)
            return (.nthValue, arguments[0].dataType, true)
        default:
            throw noSuchFunction()
        }
    }

    /// The frame of a window call, validated as PostgreSQL does; the default frame when none is written.
    private mutating func bindFrame(_ frame: SyntaxWindowFrame?, orderBy: [SortKey], location: SourceLocation,
                                    _ context: ExpressionContext) throws -> PlanWindowFrame {
        guard let frame else { return PlanWindowFrame.defaultFrame(isOrdered: !orderBy.isEmpty) }
        let unitsName: String
        let units: PlanWindowFrame.Units
        switch frame.units {
        case .rows: (units, unitsName) = (.rows, "ROWS")
        case .range: (units, unitsName) = (.range, "RANGE")
        case .groups: (units, unitsName) = (.groups, "GROUPS")
        }
        switch (frame.start, frame.end) {
        case (.unboundedFollowing, _):
            throw BindError("frame start cannot be UNBOUNDED FOLLOWING", location: location)
        case (_, .unboundedPreceding):
            throw BindError("frame end cannot be UNBOUNDED PRECEDING", location: location)
        case (.currentRow, .preceding):
            throw BindError("frame starting from current row cannot have preceding rows", location: location)
        case (.following, .preceding), (.following, .currentRow):
            throw BindError("frame starting from following row cannot have preceding rows", location: location)
        default:
            break
        }
        if units == .groups && orderBy.isEmpty {
            throw BindError("GROUPS mode requires an ORDER BY clause", location: location)
        }

        func offset(_ expression: SyntaxExpression) throws -> BoundExpression {
            var offsetContext = context
            offsetContext.aggregates = nil
            offsetContext.clause = "window frame offsets"
            let bound = try bindExpression(expression, offsetContext)
            guard bound.isConstant else {
                throw BindError("argument of \(unitsName) must not contain variables", location: expression.location)
            }
            if units != .range {
                guard bound.dataType.isInteger || bound.dataType == .null || isUnknownLiteral(bound) else {
                    throw BindError("argument of \(unitsName) must be type bigint, not type \(sqlTypeName(bound.dataType))",
                                    location: expression.location)
                }
                return try coerce(bound, to: .int64, at: expression.location)
            }
            guard orderBy.count == 1 else {
                throw BindError("RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column",
                                location: location)
            }
            let keyType = orderBy[0].expression.dataType
            if keyType.isNumeric {
                if isUnknownLiteral(bound) || bound.dataType == .null {
                    return try coerce(bound, to: keyType, at: expression.location)
                }
                guard bound.dataType.isNumeric else {
                    throw BindError("invalid RANGE offset of type \(sqlTypeName(bound.dataType)) for ORDER BY column of type "
                                    + sqlTypeName(keyType), location: expression.location)
                }
                return bound
            }
            if keyType == .date32 {
                if isUnknownLiteral(bound) || bound.dataType == .null {
                    return try coerce(bound, to: .interval, at: expression.location)
                }
                guard bound.dataType == .interval || bound.dataType.isInteger else {
                    throw BindError("invalid RANGE offset of type \(sqlTypeName(bound.dataType)) for ORDER BY column of type "
                                    + sqlTypeName(keyType), location: expression.location)
                }
                return bound
            }
            throw BindError("RANGE with offset PRECEDING/FOLLOWING is not supported for column type "
                            + sqlTypeName(keyType), location: location)
        }
        func bindBound(_ bound: FrameBound) throws -> PlanWindowFrame.Bound {
            switch bound {
            case .unboundedPreceding: return .unboundedPreceding
            case .preceding(let expression): return .preceding(try offset(expression))
            case .currentRow: return .currentRow
            case .following(let expression): return .following(try offset(expression))
            case .unboundedFollowing: return .unboundedFollowing
            }
        }
        let exclusion: PlanWindowFrame.Exclusion
        switch frame.exclusion {
        case .noOthers: exclusion = .noOthers
        case .currentRow: exclusion = .currentRow
        case .group: exclusion = .group
        case .ties: exclusion = .ties
        }
        return PlanWindowFrame(units: units, start: try bindBound(frame.start), end: try bindBound(frame.end),
                               exclusion: exclusion)
    }
}
