import Catalog
import Columnar
@testable import Execution
import LogicalPlan
import Testing

@Suite struct OperatorScanLimitTests {
    @Test func scanReadsEverySegmentAndProjectsColumns() throws {
        let fixture = Fixture()
        let full = fixture.table("t", [("a", .int32), ("b", .utf8)], (0..<10).map { [int(Int32($0)), text("r\($0)")] }, segmentSize: 3)
        guard case .scan(var scan) = full else { return }
        scan.columns = [fixture.column("b", .utf8)]
        scan.columnIndices = [1]
        let batches = try fixture.batches(.scan(scan))
        #expect(batches.flatMap(\.rows).map { $0[0] } == (0..<10).map { text("r\($0)") })
        #expect(batches.allSatisfy { $0.schema.fields == [Field("b", .utf8)] })
    }

    @Test func scanSkipsSegmentsRuledOutByStatistics() throws {
        let fixture = Fixture()
        let plan = fixture.table("t", [("a", .int32)], (0..<100).map { [int(Int32($0))] }, segmentSize: 10) { columns in
            [compare(.greater, .column(columns[0]), literal(1000))]
        }
        let context = ExecutionContext(catalog: fixture.catalog)
        #expect(try executePlan(plan, context: context).isEmpty)
        #expect(context.skippedSegmentCount == 10)
        #expect(context.scannedSegmentCount == 0)
    }

    @Test func scanAppliesPushedFiltersAfterPruning() throws {
        let fixture = Fixture()
        let plan = fixture.table("t", [("a", .int32)], (0..<100).map { [int(Int32($0))] }, segmentSize: 10) { columns in
            [compare(.greaterOrEqual, .column(columns[0]), literal(15)), compare(.less, literal(30), .column(columns[0])).negatedComparison,
             compare(.greaterOrEqual, literal(30), .column(columns[0]))]
        }
        let context = ExecutionContext(catalog: fixture.catalog)
        let rows = try executePlan(plan, context: context).flatMap(\.rows)
        #expect(rows.map { $0[0] } == (15...30).map { int(Int32($0)) })
        #expect(context.scannedSegmentCount == 3)
        #expect(context.skippedSegmentCount == 7)
    }

    @Test func segmentPruningUnderstandsComparisonsBothWays() {
        let column = PlanColumn(id: ColumnID(1), name: "a", dataType: .int32)
        let segment = FixtureSegment(fields: [Field("a", .int32)], rows: [[int(10)], [int(20)]])
        func skips(_ predicate: Expression) -> Bool {
            SegmentPruning(predicates: [predicate], columns: [column], columnIndices: [0]).canSkip(segment)
        }
        #expect(skips(compare(.equal, .column(column), literal(5))))
        #expect(!skips(compare(.equal, .column(column), literal(15))))
        #expect(skips(compare(.less, literal(20), .column(column))))
        #expect(!skips(compare(.lessOrEqual, literal(20), .column(column))))
        #expect(skips(compare(.less, .column(column), literal(10))))
        #expect(skips(.inList(.column(column), [literal(1), literal(30)], isNegated: false)))
        #expect(!skips(.inList(.column(column), [literal(1), literal(12)], isNegated: false)))
        #expect(skips(compare(.equal, .column(column), .literal(.null, .int32))))
        #expect(!skips(compare(.greater, .column(column), .literal(.decimal(1999, precision: 5, scale: 2), .decimal128(precision: 5, scale: 2)))))
        #expect(skips(compare(.greater, .column(column), .literal(.decimal(2000, precision: 5, scale: 2), .decimal128(precision: 5, scale: 2)))))
    }

    @Test func scansAMemoryCatalogTable() throws {
        let catalog = MemoryCatalog()
        let definition = TableDefinition(identifier: TableIdentifier(name: "numbers"),
                                         columns: [ColumnDefinition(name: "n", dataType: .int64), ColumnDefinition(name: "s", dataType: .utf8)])
        let batches = (0..<5).map { part -> RecordBatch in
            var numbers = ColumnBuilder(.int64), strings = ColumnBuilder(.utf8)
            for index in 0..<1000 {
                numbers.append(Int64(part * 1000 + index))
                strings.append(string: "v\(index % 3)")
            }
            return RecordBatch(schema: definition.schema, columns: [numbers.finish(), strings.finish()], rowCount: 1000)
        }
        try catalog.createTable(definition, batches: batches)
        let n = PlanColumn(id: ColumnID(1), name: "n", dataType: .int64)
        let s = PlanColumn(id: ColumnID(2), name: "s", dataType: .utf8)
        let scan = LogicalPlan.scan(Scan(source: .table(definition), columns: [s, n], columnIndices: [1, 0],
                                         filters: [compare(.greaterOrEqual, .column(n), .literal(.int64(4990), .int64))]))
        let plan = LogicalPlan.aggregate(Aggregate(
            input: scan, groupKeys: [ProjectionItem(output: PlanColumn(id: ColumnID(3), name: "s", dataType: .utf8), expression: .column(s))],
            aggregates: [AggregateCall(function: .sum, arguments: [.column(n)], output: PlanColumn(id: ColumnID(4), name: "total", dataType: .decimal128(precision: 38, scale: 0)))]))
        let context = ExecutionContext(catalog: catalog)
        let rows = try executePlan(plan, context: context).flatMap(\.rows)
        let expected = Dictionary(grouping: 4990..<5000) { "v\(($0 % 1000) % 3)" }.mapValues { $0.reduce(0, +) }
        #expect(sortedLines(rows) == expected.map { "\($0.key)|\($0.value)" }.sorted())
        #expect(context.scannedSegmentCount + context.skippedSegmentCount == (try catalog.segments(of: definition.identifier).count))
    }

    @Test func limitAndOffsetStopPullingEarly() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32)], (0..<100).map { [int(Int32($0))] }, segmentSize: 4)
        let plan = LogicalPlan.limit(Limit(input: t, limit: 5, offset: 3))
        #expect(try fixture.run(plan).map { $0[0] } == (3..<8).map { int(Int32($0)) })
        let root = try PhysicalPlanner.makeOperator(for: plan, context: ExecutionContext(catalog: fixture.catalog))
        var total = 0
        while let batch = try root.next() { total += batch.rowCount }
        #expect(total == 5)
        #expect(root.producedRows == 5)
        #expect(root.children[0].producedRows == 8)
        #expect(try fixture.run(.limit(Limit(input: t, limit: 10, offset: 95))).count == 5)
        #expect(try fixture.run(.limit(Limit(input: t, limit: nil, offset: 98))).map { $0[0] } == [int(98), int(99)])
        #expect(try fixture.run(.limit(Limit(input: t, limit: 0))).isEmpty)
    }

    @Test func cancellationStopsTheQuery() throws {
        let fixture = Fixture()
        let t = fixture.table("t", [("a", .int32)], (0..<100).map { [int(Int32($0))] }, segmentSize: 10)
        let context = ExecutionContext(catalog: fixture.catalog)
        let root = try PhysicalPlanner.makeOperator(for: t, context: context)
        #expect(try root.next() != nil)
        context.cancel()
        #expect(context.isCancelled)
        #expect(throws: ExecutionError("query cancelled")) { try root.next() }
    }

    @Test func valuesProduceConstantRows() throws {
        let fixture = Fixture()
        let columns = [fixture.column("a", .int32), fixture.column("b", .utf8)]
        let plan = LogicalPlan.values(Values(columns: columns, rows: [
            [literal(1), .literal(.string("x"), .utf8)], [literal(2), .literal(.null, .utf8)],
        ]))
        #expect(lines(try fixture.run(plan)) == ["1|x", "2|NULL"])
    }
}

private extension Expression {
    /// `30 < a` turned into `NOT (30 < a)`, i.e. `a <= 30`, to exercise filters the pruning does not understand.
    var negatedComparison: Expression { .not(self) }
}
