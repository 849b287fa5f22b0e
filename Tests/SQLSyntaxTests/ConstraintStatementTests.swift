import Testing
@testable import SQLSyntax

@Suite("Constraints")
struct ConstraintStatementTests {
    private func createTable(_ sql: String) throws -> CreateTable {
        guard case .createTable(let create) = try statement(sql).kind else {
            Issue.record("not CREATE TABLE: \(sql)")
            return CreateTable(name: QualifiedName(parts: [], location: .start), columns: [])
        }
        return create
    }

    @Test func columnConstraints() throws {
        let create = try createTable("""
            CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE NOT NULL, c INT NULL DEFAULT -1,
                            d VARCHAR CONSTRAINT d_default DEFAULT 'x' || 'y', e INT CONSTRAINT e_key UNIQUE,
                            f INT CHECK (f > 0), g INT CONSTRAINT g_nn NOT NULL)
            """)
        #expect(create.columns.map(\.name.value) == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(create.columns.map(\.isNotNull) == [false, true, false, false, false, false, true])
        #expect(create.columns[0].constraints.map(\.kind) == [.primaryKey])
        #expect(create.columns[1].constraints.map(\.kind) == [.unique])
        guard case .defaultValue(let minusOne, let text)? = create.columns[2].constraints.first?.kind else {
            Issue.record("no DEFAULT on c")
            return
        }
        #expect(sExpression(minusOne) == "(- 1)")
        #expect(text == "-1")
        guard case .defaultValue(_, let concatenation)? = create.columns[3].constraints.first?.kind else {
            Issue.record("no DEFAULT on d")
            return
        }
        #expect(concatenation == "'x' || 'y'")
        #expect(create.columns[3].constraints.first?.name?.value == "d_default")
        #expect(create.columns[4].constraints.first?.name?.value == "e_key")
        guard case .check(_, let condition)? = create.columns[5].constraints.first?.kind else {
            Issue.record("no CHECK on f")
            return
        }
        #expect(condition == "f > 0")
        #expect(create.columns[6].constraints.isEmpty)
        #expect(create.constraints.isEmpty)
    }

    @Test func defaultStopsBeforeNotNull() throws {
        let create = try createTable("CREATE TABLE t (a INT DEFAULT 0 NOT NULL, b DATE DEFAULT DATE '2020-01-01')")
        #expect(create.columns[0].isNotNull)
        guard case .defaultValue(_, let text)? = create.columns[0].constraints.first?.kind,
              case .defaultValue(_, let date)? = create.columns[1].constraints.first?.kind else {
            Issue.record("missing DEFAULT")
            return
        }
        #expect(text == "0")
        #expect(date == "DATE '2020-01-01'")
    }

    @Test func tableConstraints() throws {
        let create = try createTable("CREATE TABLE t3(a INT, b INT, c INT, UNIQUE(a,b,c))")
        #expect(create.columns.count == 3)
        #expect(create.constraints.count == 1)
        guard case .unique(let columns)? = create.constraints.first?.kind else {
            Issue.record("no UNIQUE")
            return
        }
        #expect(columns.map(\.value) == ["a", "b", "c"])

        let keyed = try createTable("""
            CREATE TABLE k (a INT, b INT, CONSTRAINT k_pk PRIMARY KEY (a DESC, b), CHECK (a < b), UNIQUE (b))
            """)
        #expect(keyed.constraints.count == 3)
        guard case .primaryKey(let key)? = keyed.constraints.first?.kind else {
            Issue.record("no PRIMARY KEY")
            return
        }
        #expect(key.map(\.value) == ["a", "b"])
        #expect(keyed.constraints[0].name?.value == "k_pk")
        #expect(keyed.constraints[0].location.column == 31)
        guard case .check(_, let text) = keyed.constraints[1].kind else {
            Issue.record("no CHECK")
            return
        }
        #expect(text == "a < b")
    }

    @Test func insertDefaults() throws {
        guard case .insert(let defaults) = try statement("INSERT INTO t DEFAULT VALUES").kind else {
            Issue.record("not INSERT")
            return
        }
        #expect(defaults.source == nil)
        #expect(defaults.sourceLocation.column == 15)
        guard case .insert(let insert) = try statement("INSERT INTO t VALUES (1, DEFAULT), (DEFAULT, 2)").kind,
              case .values(let values)? = insert.source?.body else {
            Issue.record("not INSERT ... VALUES")
            return
        }
        #expect(values.rows.map { $0.map(sExpression) } == [["1", "DEFAULT"], ["DEFAULT", "2"]])
        #expect(parseError("INSERT INTO t (a) DEFAULT VALUES")?.hint == "DEFAULT VALUES takes no column list")
    }

    @Test func constraintErrors() {
        #expect(parseError("CREATE TABLE t (a INT CONSTRAINT c)")?.location.column == 35)
        #expect(parseError("CREATE TABLE t (a INT, PRIMARY (a))")?.message == "syntax error at or near \"PRIMARY\"")
        #expect(parseError("CREATE TABLE t (a INT CHECK a > 0)")?.location.column == 29)
    }
}
