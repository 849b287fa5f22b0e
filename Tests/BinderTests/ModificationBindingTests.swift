import Binder
import Catalog
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

@Suite struct ModificationBindingTests {
    /// The bound UPDATE or DELETE of `sql`.
    func modification(_ sql: String) throws -> BoundTableModification {
        switch try bind(sql) {
        case .update(let modification), .delete(let modification): return modification
        default:
            Issue.record("not UPDATE or DELETE: \(sql)")
            throw BindError("not a modification")
        }
    }

    @Test func updateRewritesEveryColumnWithCaseWhereTheConditionHolds() throws {
        let update = try modification("UPDATE t SET c = 'x', d = d * 2, e = '2024-01-02' WHERE a > 1")
        #expect(update.kind == .update && update.command == "UPDATE")
        #expect(update.table.identifier == TableIdentifier(name: "t"))
        #expect(update.matchCount?.columns.map(\.dataType) == [.int64])
        guard case .projection(let projection)? = update.rewrite, case .scan(let scan) = projection.input else {
            Issue.record("the rewrite is not a projection over a scan")
            return
        }
        #expect(Set(scan.columns.map(\.id)) == update.targetColumns)
        #expect(projection.items.map(\.output.name) == ["a", "b", "c", "d", "e", "f"])
        #expect(projection.items.map(\.output.dataType) == update.table.columns.map(\.dataType))
        // Untouched columns pass through; assigned ones are CASE WHEN condition THEN value ELSE old END.
        #expect(projection.items[0].expression == .column(scan.columns[0]))
        guard case .caseWhen(let whens, let elseResult, let type) = projection.items[4].expression else {
            Issue.record("e is not a CASE")
            return
        }
        #expect(type == .date32)
        #expect(whens.first?.result == .literal(.date(Int32(DateFormat.days(year: 2024, month: 1, day: 2))), .date32))
        #expect(elseResult == .column(scan.columns[4]))
        // DECIMAL(15,2) * 2 is cast back to the column's type.
        guard case .caseWhen(let decimalWhens, _, _) = projection.items[3].expression,
              case .cast(_, .decimal128(15, 2))? = decimalWhens.first?.result else {
            Issue.record("d is not cast back to DECIMAL(15,2)")
            return
        }
    }

    @Test func updateWithoutWhereAssignsDirectly() throws {
        let update = try modification("UPDATE strict AS s SET note = upper(s.note)")
        #expect(update.matchCount == nil)
        guard case .projection(let projection)? = update.rewrite else {
            Issue.record("no projection")
            return
        }
        guard case .function(.upper, _, .utf8) = projection.items[1].expression else {
            Issue.record("note is not upper(note)")
            return
        }
        #expect(projection.items[0].output.isNullable == false)
    }

    @Test func deleteKeepsTheRowsWhereTheConditionIsNotTrue() throws {
        let all = try modification("DELETE FROM u")
        #expect(all.kind == .delete && all.matchCount == nil && all.rewrite == nil)
        let some = try modification("DELETE FROM u WHERE x LIKE 'a%'")
        guard case .filter(let filter)? = some.rewrite, case .function(.isNotTrue, _, .boolean) = filter.predicate else {
            Issue.record("the rewrite does not keep rows where the condition is not true")
            return
        }
        guard case .aggregate(let aggregate)? = some.matchCount else {
            Issue.record("no count")
            return
        }
        #expect(aggregate.aggregates.map(\.function) == [.countStar])
    }

    @Test func errors() {
        let cases: [(String, String, Int)] = [
            ("UPDATE t SET zz = 1", "column \"zz\" of relation \"t\" does not exist", 14),
            ("UPDATE t SET a = 1, a = 2", "multiple assignments to same column \"a\"", 21),
            ("UPDATE t SET e = 5", "column \"e\" is of type date but expression is of type integer", 18),
            ("UPDATE t SET a = 'x'", "invalid input syntax for type integer: \"x\"", 18),
            ("UPDATE t SET a = 1 WHERE a", "argument of WHERE must be type boolean, not type integer", 26),
            ("UPDATE big_a SET big = 1", "cannot update view \"big_a\"", 8),
            ("DELETE FROM big_a", "cannot delete view \"big_a\"", 13),
            ("DELETE FROM nosuch", "relation \"nosuch\" does not exist", 13),
            ("DELETE FROM t WHERE t.zz = 1", "column t.zz does not exist", 21),
            ("UPDATE t AS x SET a = t.a", "missing FROM-clause entry for table \"t\"", 23),
        ]
        for (sql, message, column) in cases {
            let error = bindError(sql)
            #expect(error?.message == message, "\(sql)")
            #expect(error?.location?.column == column, "\(sql)")
        }
    }

    @Test func copyFormatsAndReadArrow() throws {
        guard case .copyToArrow(_, let path) = try bind("COPY t TO 'out.arrow'") else {
            Issue.record("a .arrow path is not written as Arrow")
            return
        }
        #expect(path == "out.arrow")
        guard case .copyTo = try bind("COPY t TO 'out.arrow' (FORMAT CSV)") else {
            Issue.record("FORMAT CSV is not CSV")
            return
        }
        guard case .copyFromArrow(let table, _) = try bind("COPY u FROM 'in.data' (FORMAT ARROW)") else {
            Issue.record("FORMAT ARROW is not Arrow")
            return
        }
        #expect(table == TableIdentifier(name: "u"))
        #expect(bindError("SELECT * FROM read_arrow('/nonexistent/file.arrow')")?.message.contains("could not open the file") == true)
        #expect(bindError("SELECT * FROM read_arrow(1)")?.message == "read_arrow takes one argument, the file path as a string")
        #expect(bindError("SELECT * FROM read_arow('x')")?.hint == "did you mean \"read_arrow\"?")
    }
}
