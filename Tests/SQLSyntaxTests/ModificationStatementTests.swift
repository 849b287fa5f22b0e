import Testing
@testable import SQLSyntax

@Suite("UPDATE and DELETE")
struct ModificationStatementTests {
    @Test func updateWithAssignmentsAndWhere() throws {
        let parsed = try statement("UPDATE main.t SET a = a + 1, \"B\" = 'x' WHERE a > 2 AND b IS NULL")
        guard case .update(let update) = parsed.kind else {
            Issue.record("not UPDATE")
            return
        }
        #expect(update.table.parts.map(\.value) == ["main", "t"])
        #expect(update.alias == nil)
        #expect(update.assignments.map(\.column.value) == ["a", "B"])
        #expect(update.assignments[1].column.isQuoted)
        #expect(update.assignments.map { sExpression($0.value) } == ["(+ a 1)", "'x'"])
        #expect(update.whereClause.map(sExpression) == "(AND (> a 2) (IS NULL b))")
        #expect(update.assignments[0].column.location == SourceLocation(line: 1, column: 19, offset: 18))
    }

    @Test func updateAliasesAndNoWhere() throws {
        for sql in ["UPDATE t AS q SET x = q.y", "UPDATE t q SET x = q.y"] {
            guard case .update(let update) = try statement(sql).kind else {
                Issue.record("not UPDATE: \(sql)")
                continue
            }
            #expect(update.alias?.value == "q")
            #expect(update.whereClause == nil)
            #expect(update.assignments.map { sExpression($0.value) } == ["q.y"])
        }
        // SET right after the table name is the keyword, not an alias.
        guard case .update(let plain) = try statement("UPDATE t SET set = 1").kind else {
            Issue.record("not UPDATE")
            return
        }
        #expect(plain.alias == nil)
        #expect(plain.assignments.map(\.column.value) == ["set"])
    }

    @Test func deleteForms() throws {
        guard case .delete(let all) = try statement("DELETE FROM t").kind else {
            Issue.record("not DELETE")
            return
        }
        #expect(all.table.baseName == "t")
        #expect(all.alias == nil && all.whereClause == nil)
        guard case .delete(let some) = try statement("delete from s.t as x where x.a in (1, 2)").kind else {
            Issue.record("not DELETE")
            return
        }
        #expect(some.table.dottedName == "s.t")
        #expect(some.alias?.value == "x")
        #expect(some.whereClause.map(sExpression) == "(IN x.a (1 2))")
    }

    @Test func statementTextAndScripts() throws {
        let statements = try Parser.parse("UPDATE t SET a = 1; DELETE FROM t WHERE a = 1;")
        #expect(statements.map(\.text) == ["UPDATE t SET a = 1", "DELETE FROM t WHERE a = 1"])
    }

    @Test func errors() {
        let cases: [(String, String, Int)] = [
            ("UPDATE t SET a = DEFAULT", "SET column = DEFAULT is not supported yet", 18),
            ("UPDATE t SET (a, b) = (1, 2)", "assigning several columns at once is not supported yet", 14),
            ("UPDATE t SET t.a = 1", "a qualified column name in SET is not supported yet", 15),
            ("UPDATE t SET a = 1 RETURNING a", "RETURNING is not supported yet", 20),
            ("DELETE FROM t WHERE a = 1 RETURNING *", "RETURNING is not supported yet", 27),
            ("DELETE FROM t WHERE CURRENT OF c", "WHERE CURRENT OF is not supported yet", 21),
            ("UPDATE ONLY t SET a = 1", "UPDATE ONLY is not supported yet", 8),
        ]
        for (sql, message, column) in cases {
            let error = parseError(sql)
            #expect(error?.message == message, "\(sql)")
            #expect(error?.location.column == column, "\(sql)")
        }
        #expect(parseError("DELETE t") != nil)
        #expect(parseError("UPDATE t a = 1") != nil)
        #expect(parseError("UPDATE t SET a") != nil)
        #expect(parseError("UPDATE t SET") != nil)
    }
}
