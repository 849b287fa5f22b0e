import Catalog
import Testing
@testable import Binder

@Suite struct ConstraintBindingTests {
    private func createdTable(_ sql: String) throws -> TableDefinition? {
        guard case .createTable(let definition, _) = try bind(sql) else {
            Issue.record("not CREATE TABLE: \(sql)")
            return nil
        }
        return definition
    }

    @Test func keysGetPostgresNamesAndPrimaryKeysAreNotNull() throws {
        let table = try #require(try createdTable("""
            CREATE TABLE t (a INT PRIMARY KEY, b TEXT UNIQUE, c INT, d INT, UNIQUE (c, d), CONSTRAINT mine UNIQUE (d))
            """))
        #expect(table.keyConstraints == [
            KeyConstraint(name: "t_pkey", kind: .primaryKey, columnIndices: [0]),
            KeyConstraint(name: "t_b_key", kind: .unique, columnIndices: [1]),
            KeyConstraint(name: "t_c_d_key", kind: .unique, columnIndices: [2, 3]),
            KeyConstraint(name: "mine", kind: .unique, columnIndices: [3]),
        ])
        #expect(table.columns.map(\.isNullable) == [false, true, true, true])
        let composite = try #require(try createdTable("CREATE TABLE p (a INT, b INT, PRIMARY KEY (b, a))"))
        #expect(composite.primaryKey?.columnIndices == [1, 0])
        #expect(composite.columns.map(\.isNullable) == [false, false])
    }

    @Test func repeatedKeysCollapseAndNamesAreNumbered() throws {
        let table = try #require(try createdTable("CREATE TABLE t (a INT PRIMARY KEY UNIQUE, b INT CONSTRAINT t_b_key UNIQUE, UNIQUE (b, a))"))
        #expect(table.keyConstraints.map(\.name) == ["t_pkey", "t_b_key", "t_b_a_key"])
        let clash = try #require(try createdTable("CREATE TABLE t (a INT CONSTRAINT t_a_key PRIMARY KEY, b INT, UNIQUE (a, b), UNIQUE (a))"))
        #expect(clash.keyConstraints.map(\.name) == ["t_a_key", "t_a_b_key"])
    }

    @Test func defaultsAreStoredAsText() throws {
        let table = try #require(try createdTable("CREATE TABLE t (a INT DEFAULT 1 + 2, b VARCHAR DEFAULT 'x', c DATE)"))
        #expect(table.columns.map(\.defaultExpression) == ["1 + 2", "'x'", nil])
    }

    @Test func constraintErrorsHavePositions() throws {
        let twoKeys = try #require(bindError("CREATE TABLE t (a INT PRIMARY KEY, b INT PRIMARY KEY)"))
        #expect(twoKeys.message == "multiple primary keys for table \"t\" are not allowed")
        #expect(twoKeys.location?.column == 42)
        let missing = try #require(bindError("CREATE TABLE t (a INT, UNIQUE (b))"))
        #expect(missing.message == "column \"b\" named in key does not exist")
        #expect(missing.location?.column == 32)
        let badDefault = try #require(bindError("CREATE TABLE t (a DATE DEFAULT 1)"))
        #expect(badDefault.message == "column \"a\" is of type date but default expression is of type integer")
        #expect(badDefault.location?.column == 32)
        let twoDefaults = try #require(bindError("CREATE TABLE t (a INT DEFAULT 1 DEFAULT 2)"))
        #expect(twoDefaults.message == "multiple default values specified for column \"a\" of table \"t\"")
        let subquery = try #require(bindError("CREATE TABLE t (a INT DEFAULT (SELECT 1))"))
        #expect(subquery.message == "cannot use subquery in DEFAULT expression")
        let check = try #require(bindError("CREATE TABLE t (a INT, CHECK (a > 0))"))
        #expect(check.message == "CHECK constraints are not supported yet")
        #expect(check.location?.column == 24)
    }
}
