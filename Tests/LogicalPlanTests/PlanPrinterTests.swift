import Catalog
import Columnar
import LogicalPlan
import Testing

private let lineitem = TableDefinition(identifier: TableIdentifier(name: "lineitem"), columns: [
    ColumnDefinition(name: "l_quantity", dataType: .decimal128(precision: 15, scale: 2)),
    ColumnDefinition(name: "l_returnflag", dataType: .utf8),
    ColumnDefinition(name: "l_linestatus", dataType: .utf8),
    ColumnDefinition(name: "l_shipdate", dataType: .date32),
])

private let quantity = PlanColumn(id: ColumnID(1), name: "l_quantity", dataType: .decimal128(precision: 15, scale: 2))
private let returnFlag = PlanColumn(id: ColumnID(2), name: "l_returnflag", dataType: .utf8)
private let lineStatus = PlanColumn(id: ColumnID(3), name: "l_linestatus", dataType: .utf8)
private let shipDate = PlanColumn(id: ColumnID(4), name: "l_shipdate", dataType: .date32)

private func column(_ id: Int, _ name: String, _ type: DataType = .int64) -> PlanColumn {
    PlanColumn(id: ColumnID(id), name: name, dataType: type)
}

private func integer(_ value: Int64) -> Expression { .literal(.int64(value), .int64) }

private func call(_ function: ScalarFunction, _ arguments: Expression..., type: DataType = .boolean) -> Expression {
    .function(function, arguments, type)
}

@Suite("Plan printer")
struct PlanPrinterTests {
    private var shipDateLimit: Expression {
        call(.lessOrEqual, .column(shipDate), .literal(.date(Int32(DateFormat.days(year: 1998, month: 9, day: 2))), .date32))
    }

    private var queryOne: LogicalPlan {
        let scan = LogicalPlan.scan(Scan(source: .table(lineitem), columns: [quantity, returnFlag, lineStatus, shipDate],
                                         columnIndices: [0, 1, 2, 3], estimatedRowCount: 6_001_215))
        let filter = LogicalPlan.filter(Filter(input: scan, predicate: shipDateLimit))
        let sumOutput = column(10, "sum(l_quantity)", .decimal128(precision: 38, scale: 2))
        let countOutput = column(11, "count(*)")
        let aggregate = LogicalPlan.aggregate(Aggregate(
            input: filter,
            groupKeys: [ProjectionItem(output: column(8, "l_returnflag", .utf8), expression: .column(returnFlag)),
                        ProjectionItem(output: column(9, "l_linestatus", .utf8), expression: .column(lineStatus))],
            aggregates: [AggregateCall(function: .sum, arguments: [.column(quantity)], output: sumOutput),
                         AggregateCall(function: .countStar, arguments: [], output: countOutput)],
            estimatedRowCount: 4))
        let projection = LogicalPlan.projection(Projection(input: aggregate, items: [
            ProjectionItem(output: column(12, "l_returnflag", .utf8), expression: .column(column(8, "l_returnflag", .utf8))),
            ProjectionItem(output: column(13, "sum_qty", sumOutput.dataType), expression: .column(sumOutput)),
        ]))
        return .limit(Limit(input: .sort(Sort(input: projection, keys: [SortKey(expression: .column(column(12, "l_returnflag", .utf8)))])),
                            limit: 10, offset: 5))
    }

    @Test func rendersAnIndentedTreeWithEstimates() {
        let expected = """
            Limit: 10 offset 5
              Sort: l_returnflag ASC NULLS LAST
                Projection: l_returnflag, sum(l_quantity) AS sum_qty
                  Aggregate: group=[l_returnflag, l_linestatus] aggregates=[sum(l_quantity), count(*)] (~4 rows)
                    Filter: l_shipdate <= DATE '1998-09-02'
                      Scan: lineitem [l_quantity, l_returnflag, l_linestatus, l_shipdate] (~6001215 rows)
            """
        #expect(queryOne.render() == expected)
    }

    @Test func omitsEstimatesWhenAsked() {
        let rendered = queryOne.render(showEstimates: false)
        #expect(!rendered.contains("~"))
        #expect(rendered.split(separator: "\n").count == 6)
    }

    @Test func showsColumnIDsWhenAsked() {
        let rendered = queryOne.render(showColumnIDs: true, showEstimates: false)
        let lines = rendered.split(separator: "\n").map(String.init)
        #expect(lines[2] == "    Projection: l_returnflag#8 AS l_returnflag#12, sum(l_quantity)#10 AS sum_qty#13")
        #expect(lines[5] == "          Scan: lineitem [l_quantity#1, l_returnflag#2, l_linestatus#3, l_shipdate#4]")
    }

    @Test func rendersScanFiltersJoinsAndValues() {
        let a = column(1, "a_key"), b = column(2, "b_key"), name = column(3, "name", .utf8)
        let left = LogicalPlan.scan(Scan(source: .table(lineitem), columns: [a], columnIndices: [0],
                                         filters: [call(.greater, .column(a), integer(5))]))
        let right = LogicalPlan.values(Values(columns: [b, name], rows: [[integer(1), .literal(.string("it's"), .utf8)]]))
        let join = LogicalPlan.join(Join(kind: .inner, left: left, right: right, condition: call(.equal, .column(a), .column(b))))
        let expected = """
            Join(inner): a_key = b_key
              Scan: lineitem [a_key] filters=[a_key > 5]
              Values: [b_key, name] (1, 'it''s') (~1 row)
            """
        #expect(join.render() == expected)

        let marker = PlanColumn(id: ColumnID(9), name: "mark", dataType: .boolean)
        let mark = LogicalPlan.join(Join(kind: .mark(marker), left: left, right: right, condition: nil))
        #expect(mark.render().hasPrefix("Join(mark AS mark)\n"))
    }

    @Test func rendersSubqueriesAsExtraChildren() {
        let a = column(1, "a")
        let inner = LogicalPlan.values(Values(columns: [column(2, "x")], rows: [[integer(1)]]))
        let subquery = SubqueryExpression(kind: .inSubquery, isNegated: true, operand: .column(a), plan: inner,
                                          correlatedColumns: [], dataType: .boolean)
        let plan = LogicalPlan.filter(Filter(input: .values(Values(columns: [a], rows: [])), predicate: .subquery(subquery)))
        let expected = """
            Filter: a NOT IN (SELECT ...)
              Subquery: NOT IN
                Values: [x] (1) (~1 row)
              Values: [a] (~0 rows)
            """
        #expect(plan.render() == expected)
    }
}

@Suite("Expression SQL text")
struct ExpressionTextTests {
    private let a = column(1, "a"), b = column(2, "b"), c = column(3, "c")

    @Test func parenthesizesByPrecedence() {
        let sum = call(.add, .column(a), .column(b), type: .int64)
        #expect(call(.multiply, sum, .column(c), type: .int64).sqlText == "(a + b) * c")
        #expect(call(.add, .column(a), call(.multiply, .column(b), .column(c), type: .int64), type: .int64).sqlText == "a + b * c")
        #expect(call(.subtract, sum, .column(c), type: .int64).sqlText == "a + b - c")
        #expect(call(.subtract, .column(a), sum, type: .int64).sqlText == "a - (a + b)")
        #expect(call(.negate, sum, type: .int64).sqlText == "-(a + b)")
    }

    @Test func printsBooleanConnectives() {
        let equal = call(.equal, .column(a), integer(1))
        let less = call(.less, .column(b), integer(2))
        #expect(Expression.and([equal, .or([less, .column(c)])]).sqlText == "a = 1 AND (b < 2 OR c)")
        #expect(Expression.or([.and([equal, less]), .column(c)]).sqlText == "a = 1 AND b < 2 OR c")
        #expect(Expression.not(equal).sqlText == "NOT (a = 1)")
        #expect(Expression.not(.not(.column(c))).sqlText == "NOT NOT c")
        #expect(call(.isNull, call(.add, .column(a), .column(b), type: .int64)).sqlText == "a + b IS NULL")
    }

    @Test func printsTypedLiterals() {
        #expect(Expression.literal(.date(0), .date32).sqlText == "DATE '1970-01-01'")
        #expect(Expression.literal(.decimal(1250, precision: 5, scale: 2), .decimal128(precision: 5, scale: 2)).sqlText == "12.50")
        #expect(Expression.literal(.string("o'k"), .utf8).sqlText == "'o''k'")
        #expect(Expression.literal(.null, .int32).sqlText == "CAST(NULL AS INTEGER)")
        #expect(Expression.literal(.null, .boolean).sqlText == "NULL")
        #expect(Expression.literal(.boolean(true), .boolean).sqlText == "TRUE")
        #expect(Expression.literal(.interval(IntervalValue(months: 3)), .interval).sqlText == "INTERVAL '3 mons'")
    }

    @Test func printsFunctionsCastsAndCase() {
        #expect(call(.substring, .column(a), integer(1), integer(2), type: .utf8).sqlText == "substring(a, 1, 2)")
        #expect(call(.extract(.year), .column(a), type: .int64).sqlText == "extract(year FROM a)")
        #expect(Expression.cast(.column(a), .float64).sqlText == "CAST(a AS DOUBLE)")
        #expect(call(.like(caseInsensitive: false), .column(a), .literal(.string("%x"), .utf8)).sqlText == "a LIKE '%x'")
        let caseWhen = Expression.caseWhen(whens: [CaseBranch(condition: call(.greater, .column(a), integer(0)), result: integer(1))],
                                           elseResult: integer(0), .int64)
        #expect(caseWhen.sqlText == "CASE WHEN a > 0 THEN 1 ELSE 0 END")
        #expect(Expression.inList(.column(a), [integer(1), integer(2)], isNegated: true).sqlText == "a NOT IN (1, 2)")
        #expect(Expression.column(a).sqlText(showColumnIDs: true) == "a#1")
    }

    @Test func printsAggregateCalls() {
        let output = column(9, "n")
        #expect(AggregateCall(function: .countStar, arguments: [], output: output).sqlText == "count(*)")
        #expect(AggregateCall(function: .count, arguments: [.column(a)], isDistinct: true, output: output).sqlText == "count(DISTINCT a)")
        let filtered = AggregateCall(function: .average, arguments: [.column(a)], filter: call(.greater, .column(b), integer(1)), output: output)
        #expect(filtered.sqlText == "avg(a) FILTER (WHERE b > 1)")
    }
}
