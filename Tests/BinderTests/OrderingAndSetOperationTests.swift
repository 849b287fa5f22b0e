import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

@Suite struct OrderingTests {
    @Test func orderByAlias() throws {
        let bound = try plan("SELECT a AS x FROM t ORDER BY x DESC")
        guard case .sort(let sort) = bound, case .projection(let projection) = sort.input else {
            Issue.record("expected Sort over Projection, got \(bound)")
            return
        }
        #expect(sort.keys == [SortKey(expression: .column(projection.items[0].output), isAscending: false)])
        #expect(sort.keys[0].nullsFirst)
    }

    @Test func orderByPosition() throws {
        let bound = try plan("SELECT a, b FROM t ORDER BY 2 NULLS FIRST, 1")
        guard case .sort(let sort) = bound, case .projection(let projection) = sort.input else {
            Issue.record("expected Sort over Projection, got \(bound)")
            return
        }
        #expect(sort.keys.map(\.expression) == [.column(projection.items[1].output), .column(projection.items[0].output)])
        #expect(sort.keys.map(\.nullsFirst) == [true, false])
        let error = try #require(bindError("SELECT a FROM t ORDER BY 3"))
        #expect(error.message == "ORDER BY position 3 is not in select list")
        #expect(error.location?.column == 26)
    }

    @Test func orderByInputExpressionMatchingTheSelectList() throws {
        let bound = try plan("SELECT a + 1 AS y FROM t ORDER BY a + 1")
        guard case .sort(let sort) = bound, case .projection(let projection) = sort.input else {
            Issue.record("expected Sort over Projection, got \(bound)")
            return
        }
        #expect(projection.items.count == 1)
        #expect(sort.keys[0].expression == .column(projection.items[0].output))
    }

    @Test func orderByHiddenExpression() throws {
        let bound = try plan("SELECT a FROM t ORDER BY b * 2 LIMIT 5")
        guard case .projection(let final) = bound, case .limit(let limit) = final.input,
              case .sort(let sort) = limit.input, case .projection(let widened) = sort.input else {
            Issue.record("expected Projection over Limit over Sort over Projection, got \(bound)")
            return
        }
        #expect(limit.limit == 5)
        #expect(widened.items.count == 2)
        #expect(final.items.count == 1)
        #expect(final.items[0].expression == .column(widened.items[0].output))
        #expect(sort.keys[0].expression == .column(widened.items[1].output))
        #expect(bound.columns.map(\.name) == ["a"])
    }

    @Test func distinctOrderByMustBeInSelectList() throws {
        let error = try #require(bindError("SELECT DISTINCT a FROM t ORDER BY b"))
        #expect(error.message == "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
        #expect(error.location?.column == 35)
        let bound = try plan("SELECT DISTINCT a FROM t ORDER BY a")
        guard case .sort(let sort) = bound, case .distinct = sort.input else {
            Issue.record("expected Sort over Distinct, got \(bound)")
            return
        }
    }

    @Test func orderByAggregateInGroupedQuery() throws {
        let bound = try plan("SELECT c FROM t GROUP BY c ORDER BY sum(a) DESC, c")
        guard case .projection(let final) = bound, case .sort(let sort) = final.input,
              case .projection(let widened) = sort.input, case .aggregate(let aggregate) = widened.input else {
            Issue.record("expected Projection/Sort/Projection/Aggregate, got \(bound)")
            return
        }
        #expect(widened.items[1].expression == .column(aggregate.aggregates[0].output))
        #expect(sort.keys.count == 2)
    }

    @Test func limitAndOffset() throws {
        let bound = try plan("SELECT a FROM t LIMIT 10 OFFSET 5")
        guard case .limit(let limit) = bound else {
            Issue.record("expected Limit, got \(bound)")
            return
        }
        #expect(limit.limit == 10)
        #expect(limit.offset == 5)
        guard case .limit(let offsetOnly) = try plan("SELECT a FROM t OFFSET 2 + 1") else {
            Issue.record("expected Limit")
            return
        }
        #expect(offsetOnly.limit == nil)
        #expect(offsetOnly.offset == 3)
        let negative = try #require(bindError("SELECT a FROM t LIMIT -1"))
        #expect(negative.message == "LIMIT must not be negative")
        let text = try #require(bindError("SELECT a FROM t LIMIT 1.5"))
        #expect(text.message == "argument of LIMIT must be type bigint, not type numeric")
        let column = try #require(bindError("SELECT a FROM t LIMIT a"))
        #expect(column.message == "column \"a\" does not exist")
    }

    @Test func selectWithoutFrom() throws {
        let bound = try plan("SELECT 1 AS one, 'x'")
        guard case .projection(let projection) = bound, case .values(let values) = projection.input else {
            Issue.record("expected Projection over Values, got \(bound)")
            return
        }
        #expect(values.columns.isEmpty)
        #expect(values.rows.count == 1)
        #expect(values.rows[0].isEmpty)
        #expect(bound.columns.map(\.name) == ["one", "?column?"])
    }

    @Test func derivedColumnNames() throws {
        // Function calls are named by their text (as DuckDB, whose TPC-H answer headers rely on it), other
        // expressions as PostgreSQL does.
        #expect(try outputColumns("""
            SELECT a, t.c, sum(a + 1), count(*), count(DISTINCT c), upper(c), a + 1, 'x', CAST(b AS int), b::text,
                   CASE WHEN a > 0 THEN 1 END, EXISTS (SELECT 1), (SELECT max(x) AS top FROM u)
            FROM t GROUP BY a, c, b
            """).map(\.0) == [
                "a", "c", "sum((a + 1))", "count_star()", "count(DISTINCT c)", "upper(c)", "?column?", "?column?", "b",
                "b", "case", "exists", "top",
            ])
    }
}

@Suite struct SetOperationTests {
    @Test func unionUnifiesTypes() throws {
        let bound = try plan("SELECT a FROM t UNION SELECT b FROM t")
        guard case .setOperation(let operation) = bound else {
            Issue.record("expected a set operation, got \(bound)")
            return
        }
        #expect(operation.kind == .union)
        #expect(!operation.isAll)
        #expect(operation.columns.map(\.dataType) == [.int64])
        #expect(operation.columns.map(\.name) == ["a"])
        #expect(operation.left.columns.map(\.dataType) == [.int64])
        guard case .projection(let cast) = operation.left, case .cast(_, .int64) = cast.items[0].expression else {
            Issue.record("expected a casting projection on the left, got \(operation.left)")
            return
        }
        let leftIDs = Set(operation.left.columns.map(\.id)), outputIDs = Set(operation.columns.map(\.id))
        #expect(leftIDs.isDisjoint(with: outputIDs))
    }

    @Test func unionErrors() throws {
        let types = try #require(bindError("SELECT a FROM t UNION SELECT c FROM t"))
        #expect(types.message == "UNION types integer and character varying cannot be matched")
        #expect(types.location?.column == 17)
        let count = try #require(bindError("SELECT a, b FROM t EXCEPT SELECT a FROM t"))
        #expect(count.message == "each EXCEPT query must have the same number of columns")
    }

    @Test func stringLiteralsAdoptTheOtherSidesType() throws {
        let bound = try plan("SELECT 1 UNION ALL SELECT '2'")
        guard case .setOperation(let operation) = bound, case .projection(let right) = operation.right else {
            Issue.record("expected a set operation, got \(bound)")
            return
        }
        #expect(operation.isAll)
        #expect(right.items[0].expression == .literal(.int32(2), .int32))
        #expect(try outputTypes("SELECT 'a' INTERSECT SELECT 'b'") == [.utf8])
        #expect(try outputTypes("SELECT NULL UNION SELECT e FROM t") == [.date32])
    }

    @Test func orderByOnSetOperation() throws {
        let bound = try plan("SELECT a, c FROM t UNION ALL SELECT a, x FROM u ORDER BY c DESC, 1 LIMIT 3")
        guard case .limit(let limit) = bound, case .sort(let sort) = limit.input,
              case .setOperation(let operation) = sort.input else {
            Issue.record("expected Limit over Sort over SetOperation, got \(bound)")
            return
        }
        #expect(sort.keys.map(\.expression) == [.column(operation.columns[1]), .column(operation.columns[0])])
        let error = try #require(bindError("SELECT a FROM t UNION SELECT a FROM u ORDER BY z"))
        #expect(error.message == "column \"z\" does not exist")
    }

    @Test func valuesLists() throws {
        let bound = try plan("VALUES (1, 'a'), (2.5, NULL)")
        guard case .values(let values) = bound else {
            Issue.record("expected Values, got \(bound)")
            return
        }
        #expect(values.columns.map(\.name) == ["column1", "column2"])
        #expect(values.columns.map(\.dataType) == [.decimal128(precision: 11, scale: 1), .utf8])
        #expect(values.rows[0][0] == .literal(.decimal(10, precision: 11, scale: 1), .decimal128(precision: 11, scale: 1)))
        #expect(values.rows[1][1] == .literal(.null, .utf8))
        // The parser rejects ragged VALUES lists itself; the binder checks too, for hand-built trees.
        let start = SQLSyntax.SourceLocation.start
        let one = SQLSyntax.Expression(kind: .literal(.integer("1")), location: start)
        let ragged = ValuesList(rows: [[one, one], [one]], location: start)
        let statement = Statement(kind: .query(Query(body: .values(ragged), location: start)), location: start, text: "")
        var binder = Binder(catalog: makeCatalog())
        #expect(throws: BindError("VALUES lists must all be the same length", location: start)) {
            try binder.bind(statement)
        }
        #expect(try outputColumns("SELECT * FROM (VALUES (1, 'x')) AS v(id, name) ORDER BY id").map(\.0) == ["id", "name"])
        let mismatch = try #require(bindError("VALUES (1), (DATE '2000-01-01')"))
        #expect(mismatch.message == "VALUES types integer and date cannot be matched")
    }
}
