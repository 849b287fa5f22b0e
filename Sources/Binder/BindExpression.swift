import Columnar
import LogicalPlan
import SQLSyntax

extension Binder {
    /// Binds a scalar expression: resolves names in `context.scope`, types it, makes coercions explicit, and
    /// (where `context.aggregates` allows) replaces aggregate calls by references to their output columns.
    mutating func bindExpression(_ expression: SyntaxExpression, _ context: ExpressionContext) throws -> BoundExpression {
        let location = expression.location
        switch expression.kind {
        case .literal(let literal):
            return try bindLiteral(literal, location: location)
        case .column(let parts):
            let column = try context.scope.resolve(parts, location: location)
            if !context.isInsideAggregate {
                context.references?.record(column, at: location)
            }
            return .column(column.column)
        case .unary(let unaryOperator, let operand):
            return try bindUnary(unaryOperator, operand, location: location, context)
        case .binary(let binaryOperator, let left, let right):
            return try bindBinary(binaryOperator, left, right, location: location, context)
        case .isNull(let operand, let isNegated):
            let bound = try bindExpression(operand, context)
            return .function(isNegated ? .isNotNull : .isNull, [bound], .boolean)
        case .isBoolean(let operand, let value, let isNegated):
            let construct = "IS \(isNegated ? "NOT " : "")\(value ? "TRUE" : "FALSE")"
            let bound = try requireBoolean(try bindExpression(operand, context), construct: construct,
                                           at: operand.location)
            let function: ScalarFunction = value
                ? (isNegated ? .isNotTrue : .isTrue)
                : (isNegated ? .isNotFalse : .isFalse)
            return .function(function, [bound], .boolean)
        case .isDistinctFrom(let left, let right, let isNegated):
            let leftBound = try bindExpression(left, context)
            let rightBound = try bindExpression(right, context)
            let (leftCoerced, rightCoerced) = try comparisonOperands(
                leftBound, at: left.location, rightBound, at: right.location,
                symbol: isNegated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", location: location)
            return .function(isNegated ? .isNotDistinctFrom : .isDistinctFrom, [leftCoerced, rightCoerced], .boolean)
        case .between(let value, let low, let high, let isNegated):
            let valueBound = try bindExpression(value, context)
            let lowBound = try bindExpression(low, context)
            let highBound = try bindExpression(high, context)
            if isNegated {
                let below = try comparison(.less, valueBound, at: value.location, lowBound, at: low.location,
                                           location: location)
                let above = try comparison(.greater, valueBound, at: value.location, highBound, at: high.location,
                                           location: location)
                return .or([below, above])
            }
            let atLeast = try comparison(.greaterOrEqual, valueBound, at: value.location, lowBound, at: low.location,
                                         location: location)
            let atMost = try comparison(.lessOrEqual, valueBound, at: value.location, highBound, at: high.location,
                                        location: location)
            return .and([atLeast, atMost])
        case .inList(let value, let items, let isNegated):
            return try bindInList(value, items, isNegated: isNegated, location: location, context)
        case .inSubquery(let value, let query, let isNegated):
            return try bindQuantifiedSubquery(
                value, .equal, kind: .inSubquery, isNegated: isNegated, query: query, location: location, context)
        case .exists(let query, let isNegated):
            let (plan, correlated) = try bindSubqueryPlan(query, context)
            return .subquery(SubqueryExpression(
                kind: .exists, isNegated: isNegated, operand: nil, plan: plan, correlatedColumns: correlated,
                dataType: .boolean))
        case .subquery(let query):
            let (plan, correlated) = try bindSubqueryPlan(query, context)
            guard plan.columns.count == 1 else {
                throw BindError("subquery must return only one column", location: location)
            }
            return .subquery(SubqueryExpression(
                kind: .scalar, isNegated: false, operand: nil, plan: plan, correlatedColumns: correlated,
                dataType: plan.columns[0].dataType))
        case .quantified(let value, let binaryOperator, let quantifier, let query):
            guard let function = comparisonFunction(binaryOperator) else {
                throw BindError("op ANY/ALL (subquery) requires an operator that yields boolean", location: location)
            }
            return try bindQuantifiedSubquery(
                value, binaryOperator, kind: .quantified(function, isAll: quantifier == .all), isNegated: false,
                query: query, location: location, context)
        case .like(let value, let pattern, let escape, let isCaseInsensitive, let isNegated):
            return try bindLike(value, pattern: pattern, escape: escape, isCaseInsensitive: isCaseInsensitive,
                                isNegated: isNegated, location: location, context)
        case .caseWhen(let operand, let whens, let elseResult):
            return try bindCase(operand: operand, whens: whens, elseResult: elseResult, location: location, context)
        case .cast(let operand, let typeName):
            let target = try dataType(of: typeName)
            return try bindCast(try bindExpression(operand, context), to: target, operandLocation: operand.location,
                                location: location)
        case .extract(let field, let operand):
            return try bindExtract(field: field, operand: try bindExpression(operand, context),
                                   operandLocation: operand.location, location: location)
        case .function(let call):
            return try bindFunctionCall(call, location: location, context)
        case .defaultValue:
            throw BindError("DEFAULT is not allowed in this context", location: location)
        }
    }

    /// Binds an expression that must be boolean (WHERE, HAVING, ON, CASE WHEN, ...).
    mutating func bindCondition(_ expression: SyntaxExpression, construct: String,
                                _ context: ExpressionContext) throws -> BoundExpression {
        try requireBoolean(try bindExpression(expression, context), construct: construct, at: expression.location)
    }

    // MARK: - Operators

    private mutating func bindUnary(_ unaryOperator: UnaryOperator, _ operand: SyntaxExpression,
                                    location: SourceLocation, _ context: ExpressionContext) throws -> BoundExpression {
        switch unaryOperator {
        case .not:
            return .not(try requireBoolean(try bindExpression(operand, context), construct: "NOT",
                                           at: operand.location))
        case .plus:
            let bound = try bindExpression(operand, context)
            guard bound.dataType.isNumeric || bound.dataType == .interval || bound.dataType == .null else {
                throw BindError("operator does not exist: + \(argumentTypeName(bound))", location: location)
            }
            return bound
        case .negate:
            // `-2147483648` is an int32 although `2147483648` is not.
            if case .literal(.integer(let digits)) = operand.kind {
                return try integerLiteral("-" + digits, location: location)
            }
            let bound = try bindExpression(operand, context)
            if case .literal(let value, let type) = bound, let negated = try negateLiteral(value, location: location) {
                return .literal(negated, type)
            }
            guard bound.dataType.isNumeric || bound.dataType == .interval || bound.dataType == .null else {
                throw BindError("operator does not exist: - \(argumentTypeName(bound))", location: location)
            }
            return .function(.negate, [bound], bound.dataType)
        }
    }

    private mutating func bindBinary(_ binaryOperator: BinaryOperator, _ left: SyntaxExpression,
                                     _ right: SyntaxExpression, location: SourceLocation,
                                     _ context: ExpressionContext) throws -> BoundExpression {
        switch binaryOperator {
        case .and, .or:
            let isAnd = binaryOperator == .and
            let construct = isAnd ? "AND" : "OR"
            let leftBound = try requireBoolean(try bindExpression(left, context), construct: construct,
                                               at: left.location)
            let rightBound = try requireBoolean(try bindExpression(right, context), construct: construct,
                                                at: right.location)
            var operands: [BoundExpression] = []
            for operand in [leftBound, rightBound] {
                switch operand {
                case .and(let inner) where isAnd: operands += inner
                case .or(let inner) where !isAnd: operands += inner
                default: operands.append(operand)
                }
            }
            return isAnd ? .and(operands) : .or(operands)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let leftBound = try bindExpression(left, context)
            let rightBound = try bindExpression(right, context)
            return try comparison(binaryOperator, leftBound, at: left.location, rightBound, at: right.location,
                                  location: location)
        case .add, .subtract, .multiply, .divide, .modulo:
            let leftBound = try bindExpression(left, context)
            let rightBound = try bindExpression(right, context)
            return try arithmetic(binaryOperator, leftBound, at: left.location, rightBound, at: right.location,
                                  location: location)
        case .concatenate:
            let leftBound = try bindExpression(left, context)
            let rightBound = try bindExpression(right, context)
            return .function(.concatenate, [
                try coerce(leftBound, to: .utf8, at: left.location),
                try coerce(rightBound, to: .utf8, at: right.location),
            ], .utf8)
        }
    }

    /// Negates a numeric or interval literal now; nil for other values.
    private func negateLiteral(_ value: Value, location: SourceLocation) throws -> Value? {
        let overflow = BindError("\(sqlTypeName(value.dataType)) out of range", location: location)
        switch value {
        case .int8(let number):
            guard number != .min else { throw overflow }
            return .int8(-number)
        case .int16(let number):
            guard number != .min else { throw overflow }
            return .int16(-number)
        case .int32(let number):
            guard number != .min else { throw overflow }
            return .int32(-number)
        case .int64(let number):
            guard number != .min else { throw overflow }
            return .int64(-number)
        case .float32(let number): return .float32(-number)
        case .float64(let number): return .float64(-number)
        case .decimal(let unscaled, let precision, let scale): return .decimal(-unscaled, precision: precision, scale: scale)
        case .interval(let interval):
            guard interval.months != .min, interval.days != .min, interval.nanoseconds != .min else { throw overflow }
            return .interval(IntervalValue(months: -interval.months, days: -interval.days,
                                           nanoseconds: -interval.nanoseconds))
        default:
            return nil
        }
    }

    // MARK: - Predicates

    private mutating func bindInList(_ value: SyntaxExpression, _ items: [SyntaxExpression], isNegated: Bool,
                                     location: SourceLocation, _ context: ExpressionContext) throws -> BoundExpression {
        let valueBound = try bindExpression(value, context)
        var itemsBound: [BoundExpression] = []
        for item in items {
            itemsBound.append(try bindExpression(item, context))
        }
        let type = try unifiedType([valueBound] + itemsBound, construct: "IN", location: location)
        let valueCoerced = try coerce(valueBound, to: type, at: value.location)
        var itemsCoerced: [BoundExpression] = []
        for (item, bound) in zip(items, itemsBound) {
            itemsCoerced.append(try coerce(bound, to: type, at: item.location))
        }
        return .inList(valueCoerced, itemsCoerced, isNegated: isNegated)
    }

    private mutating func bindLike(_ value: SyntaxExpression, pattern: SyntaxExpression, escape: SyntaxExpression?,
                                   isCaseInsensitive: Bool, isNegated: Bool, location: SourceLocation,
                                   _ context: ExpressionContext) throws -> BoundExpression {
        let symbol = (isNegated ? "!" : "") + (isCaseInsensitive ? "~~*" : "~~")
        var arguments: [BoundExpression] = []
        var operands = [value, pattern]
        if let escape { operands.append(escape) }
        for operand in operands {
            arguments.append(try bindExpression(operand, context))
        }
        if arguments.contains(where: { $0.dataType != .utf8 && $0.dataType != .null }) {
            let left = argumentTypeName(arguments[0]), right = argumentTypeName(arguments[1])
            throw BindError("operator does not exist: \(left) \(symbol) \(right)", location: location)
        }
        for index in arguments.indices {
            arguments[index] = try coerce(arguments[index], to: .utf8, at: operands[index].location)
        }
        let like = BoundExpression.function(.like(caseInsensitive: isCaseInsensitive), arguments, .boolean)
        return isNegated ? .not(like) : like
    }

    private mutating func bindCase(operand: SyntaxExpression?, whens: [WhenClause], elseResult: SyntaxExpression?,
                                   location: SourceLocation, _ context: ExpressionContext) throws -> BoundExpression {
        let operandBound = try operand.map { try bindExpression($0, context) }
        var conditions: [BoundExpression] = []
        var results: [BoundExpression] = []
        for when in whens {
            if let operand, let operandBound {
                let value = try bindExpression(when.condition, context)
                conditions.append(try comparison(.equal, operandBound, at: operand.location, value,
                                                 at: when.condition.location, location: when.condition.location))
            } else {
                conditions.append(try bindCondition(when.condition, construct: "CASE/WHEN", context))
            }
            results.append(try bindExpression(when.result, context))
        }
        let elseBound = try elseResult.map { try bindExpression($0, context) }
        let type = try unifiedType(results + (elseBound.map { [$0] } ?? []), construct: "CASE", location: location)
        var branches: [CaseBranch] = []
        for (index, when) in whens.enumerated() {
            branches.append(CaseBranch(condition: conditions[index],
                                       result: try coerce(results[index], to: type, at: when.result.location)))
        }
        let elseCoerced: BoundExpression
        if let elseBound, let elseResult {
            elseCoerced = try coerce(elseBound, to: type, at: elseResult.location)
        } else {
            elseCoerced = .literal(.null, type)
        }
        return .caseWhen(whens: branches, elseResult: elseCoerced, type)
    }

    /// `CAST(operand AS target)`: no-op casts are dropped, literals converted now.
    func bindCast(_ operand: BoundExpression, to target: DataType, operandLocation: SourceLocation,
                  location: SourceLocation) throws -> BoundExpression {
        if isNullLiteral(operand) { return .literal(.null, target) }
        if isUnknownLiteral(operand) {
            if target == .utf8 { return .cast(operand, .utf8) }
            return try coerce(operand, to: target, at: operandLocation)
        }
        if operand.dataType == target { return operand }
        guard isCastAllowed(from: operand.dataType, to: target) else {
            throw BindError("cannot cast type \(sqlTypeName(operand.dataType)) to \(sqlTypeName(target))",
                            location: location)
        }
        if case .literal(let value, _) = operand {
            do {
                if let converted = try convertLiteral(value, to: target) {
                    return target == .utf8 ? .cast(.literal(converted, .utf8), .utf8) : .literal(converted, target)
                }
            } catch {
                throw BindError(error.message, location: operandLocation)
            }
        }
        return .cast(operand, target)
    }

    /// `EXTRACT(field FROM date)` → `extract(field)`, an int64.
    func bindExtract(field: String, operand: BoundExpression, operandLocation: SourceLocation,
                     location: SourceLocation) throws -> BoundExpression {
        let aliases: [String: DateField] = [
            "years": .year, "quarters": .quarter, "months": .month, "weeks": .week, "days": .day,
            "dayofweek": .dayOfWeek, "dayofyear": .dayOfYear, "hours": .hour, "minutes": .minute,
            "seconds": .second,
        ]
        guard let dateField = DateField(rawValue: field.lowercased()) ?? aliases[field.lowercased()] else {
            throw BindError("unit \"\(field)\" not recognized for type date", location: location)
        }
        if dateField == .hour || dateField == .minute || dateField == .second {
            throw BindError("unit \"\(field)\" not supported for type date", location: location)
        }
        guard operand.dataType == .date32 || isUnknownLiteral(operand) || isNullLiteral(operand) else {
            throw BindError("function extract(unknown, \(argumentTypeName(operand))) does not exist",
                            location: location,
                            hint: "No function matches the given name and argument types. You might need to add explicit type casts.")
        }
        return .function(.extract(dateField), [try coerce(operand, to: .date32, at: operandLocation)], .int64)
    }

    // MARK: - Subqueries

    /// Binds a subquery whose names may refer to the enclosing query's columns, and finds those references.
    mutating func bindSubqueryPlan(_ query: Query, _ context: ExpressionContext) throws -> (LogicalPlan, [PlanColumn]) {
        let plan = try bindQuery(query, outer: context.scope)
        return (plan, outerReferences(of: plan))
    }

    private mutating func bindQuantifiedSubquery(
        _ value: SyntaxExpression, _ binaryOperator: BinaryOperator, kind: SubqueryExpression.Kind, isNegated: Bool,
        query: Query, location: SourceLocation, _ context: ExpressionContext
    ) throws -> BoundExpression {
        let valueBound = try bindExpression(value, context)
        var (plan, correlated) = try bindSubqueryPlan(query, context)
        guard plan.columns.count == 1 else {
            throw BindError("subquery has too many columns", location: location)
        }
        let columnType = plan.columns[0].dataType
        var operand = valueBound
        if isUnknownLiteral(valueBound) || isNullLiteral(valueBound) {
            operand = try coerce(valueBound, to: columnType, at: value.location)
        }
        guard let common = commonType(operand.dataType, columnType) else {
            throw BindError(
                "operator does not exist: \(sqlTypeName(operand.dataType)) \(operatorSymbol(binaryOperator)) "
                    + "\(sqlTypeName(columnType))", location: location)
        }
        operand = try coerce(operand, to: common, at: value.location)
        if columnType != common {
            plan = castingColumns(of: plan, to: [common])
            correlated = outerReferences(of: plan)
        }
        return .subquery(SubqueryExpression(
            kind: kind, isNegated: isNegated, operand: operand, plan: plan, correlatedColumns: correlated,
            dataType: .boolean))
    }

    /// The plan with its columns converted to `types` by a projection (fresh columns), or unchanged when they
    /// already have those types.
    mutating func castingColumns(of plan: LogicalPlan, to types: [DataType]) -> LogicalPlan {
        let columns = plan.columns
        guard zip(columns, types).contains(where: { $0.dataType != $1 }) else { return plan }
        var items: [ProjectionItem] = []
        for (column, type) in zip(columns, types) {
            let expression: BoundExpression = column.dataType == type ? .column(column) : .cast(.column(column), type)
            items.append(ProjectionItem(output: newColumn(column.name, type, isNullable: column.isNullable),
                                        expression: expression))
        }
        return .projection(Projection(input: plan, items: items))
    }
}

/// The PostgreSQL type name of an argument in messages: `unknown` for untyped string literals and NULL.
func argumentTypeName(_ expression: BoundExpression) -> String {
    if isUnknownLiteral(expression) || isNullLiteral(expression) { return "unknown" }
    return sqlTypeName(expression.dataType)
}

/// Requires a boolean: NULL and string literals ('t', 'false') convert, other types are an error.
func requireBoolean(_ expression: BoundExpression, construct: String, at location: SourceLocation) throws -> BoundExpression {
    if expression.dataType == .boolean, !isUnknownLiteral(expression) { return expression }
    if isNullLiteral(expression) || isUnknownLiteral(expression) {
        return try coerce(expression, to: .boolean, at: location)
    }
    throw BindError(
        "argument of \(construct) must be type boolean, not type \(sqlTypeName(expression.dataType))",
        location: location)
}
