import Columnar
import LogicalPlan
import SQLSyntax

extension Binder {
    /// `generate_series(start, stop [, step])` (PostgreSQL: `stop` included) and `range(start, stop [, step])`
    /// (DuckDB: `stop` excluded); with one argument `n`, the series starts at 0. The arguments are integer
    /// constants; a NULL one yields no rows. One BIGINT column named after the function, or after the alias
    /// (`generate_series(1, 3) AS g` names the column `g`, as in PostgreSQL).
    mutating func bindIntegerSeries(_ name: QualifiedName, arguments: [SyntaxExpression],
                                    alias: TableAlias?) throws -> BoundRelation {
        let functionName = name.baseName.lowercased()
        let includesStop = functionName == "generate_series"
        guard (1...3).contains(arguments.count) else {
            throw BindError("\(functionName) takes 1 to 3 integer arguments, not \(arguments.count)", location: name.location)
        }
        var values: [Int64?] = []
        for argument in arguments {
            values.append(try seriesArgument(argument, functionName: functionName))
        }
        let start = values.count == 1 ? 0 : values[0]
        let stop = values.count == 1 ? values[0] : values[1]
        let step = values.count == 3 ? values[2] : 1
        if step == 0 {
            throw BindError("step size cannot equal zero", location: arguments[2].location)
        }
        var count: Int64 = 0
        if let start, let stop, let step {
            count = try Self.seriesLength(start: start, stop: stop, step: step, includesStop: includesStop,
                                          functionName: functionName, location: name.location)
        }
        let text = functionName + "(" + values.map { $0.map(String.init) ?? "NULL" }.joined(separator: ", ") + ")"
        let series = IntegerSeries(description: text, first: start ?? 0, step: step ?? 1, count: count)
        var columnName = functionName
        if let alias, alias.columns.isEmpty { columnName = alias.name.value }
        let column = newColumn(columnName, .int64, isNullable: false)
        let scan = Scan(source: .integerSeries(series), columns: [column], columnIndices: [0])
        return try relation(.scan(scan), names: [columnName], qualifier: functionName, alias: alias)
    }

    /// The value of one argument: an integer constant, or nil for NULL.
    private mutating func seriesArgument(_ argument: SyntaxExpression, functionName: String) throws -> Int64? {
        let context = ExpressionContext(scope: NameScope(outer: nil), clause: functionName)
        let bound: BoundExpression
        do {
            bound = try bindExpression(argument, context)
        } catch let error as BindError {
            throw BindError("the arguments of \(functionName) must be integer constants (\(error.message))",
                            location: argument.location)
        }
        return try integerConstant(bound, at: argument.location,
                                   typeError: { "\(functionName) takes integer arguments, not type \($0)" },
                                   constantError: "the arguments of \(functionName) must be integer constants")
    }

    /// How many values `start, start + step, ...` lie before `stop` (or reach it, when it is included).
    static func seriesLength(start: Int64, stop: Int64, step: Int64, includesStop: Bool, functionName: String,
                             location: SourceLocation) throws -> Int64 {
        let ascending = step > 0
        if ascending ? start > stop : start < stop { return 0 }
        if start == stop { return includesStop ? 1 : 0 }
        // The distance is below 2^64: the wrapped difference of the ordered pair is exact as an unsigned number.
        let distance = ascending ? UInt64(bitPattern: stop &- start) : UInt64(bitPattern: start &- stop)
        let stride = step.magnitude
        let steps = includesStop ? distance / stride : (distance - 1) / stride
        let (length, overflow) = steps.addingReportingOverflow(1)
        guard !overflow, length <= UInt64(Int64.max) else {
            throw BindError("\(functionName) would produce more than \(Int64.max) rows", location: location)
        }
        return Int64(length)
    }
}
