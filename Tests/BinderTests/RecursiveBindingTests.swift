import Binder
import Columnar
import LogicalPlan
import SQLSyntax
import Testing

@Suite struct RecursiveBindingTests {
    private func recursiveCTE(_ sql: String) throws -> RecursiveCTE {
        try #require(firstNode(try plan(sql)) { if case .recursiveCTE(let node) = $0 { return node } else { return nil } })
    }

    @Test func recursiveTermReadsTheWorkingTable() throws {
        let cte = try recursiveCTE("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r")
        #expect(cte.name == "r")
        #expect(cte.isUnionAll)
        #expect(cte.columns.map(\.name) == ["n"])
        #expect(cte.columns.map(\.dataType) == cte.anchor.columns.map(\.dataType))
        #expect(cte.recursive.columns.map(\.dataType) == cte.anchor.columns.map(\.dataType))
        let scan = try #require(firstNode(cte.recursive) {
            if case .workingTableScan(let scan) = $0 { return scan } else { return nil }
        })
        #expect(scan.workingTable == cte.workingTable)
        #expect(scan.columns.map(\.name) == ["n"])
        // The anchor does not read it.
        #expect(firstNode(cte.anchor) { if case .workingTableScan = $0 { return true } else { return nil } } == nil)
    }

    @Test func unionWithoutAllAndTypesOfTheAnchor() throws {
        let cte = try recursiveCTE(
            "WITH RECURSIVE r AS (SELECT CAST(1 AS BIGINT) AS k UNION SELECT k + 1 FROM r WHERE k < 3) SELECT * FROM r")
        #expect(!cte.isUnionAll)
        #expect(cte.columns.map(\.dataType) == [.int64])
        #expect(cte.columns.map(\.name) == ["k"])
    }

    @Test func aRecursiveQueryReadTwiceIsBoundOnceAndShared() throws {
        let bound = try plan("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r a, r b")
        let recursive = allNodes(bound).compactMap { node -> Int? in
            if case .recursiveCTE(let cte) = node { return cte.workingTable } else { return nil }
        }
        #expect(recursive.count == 1)
        guard case .materializedCTE(let shared) = bound else {
            Issue.record("expected the CTE's rows to be shared")
            return
        }
        let references = allNodes(shared.body).compactMap { node -> WorkingTableScan? in
            if case .workingTableScan(let scan) = node { return scan } else { return nil }
        }
        #expect(references.map(\.workingTable) == [shared.workingTable, shared.workingTable])
        #expect(!recursive.contains(shared.workingTable))
        #expect(Set(references.flatMap { $0.columns.map(\.id) }).count == 2)
    }

    @Test func withoutSelfReferenceItIsAnOrdinaryCTE() throws {
        let bound = try plan("WITH RECURSIVE x(v) AS (SELECT 1 UNION ALL SELECT 2) SELECT v FROM x")
        #expect(firstNode(bound) { if case .recursiveCTE = $0 { return true } else { return nil } } == nil)
        #expect(firstNode(bound) { if case .setOperation = $0 { return true } else { return nil } } == true)
    }

    @Test func errors() throws {
        let inAnchor = try #require(bindError("WITH RECURSIVE r(n) AS (SELECT n FROM r UNION ALL SELECT 1) SELECT * FROM r"))
        #expect(inAnchor.message == "relation \"r\" does not exist")
        let columns = try #require(bindError(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n, n FROM r WHERE n < 3) SELECT * FROM r"))
        #expect(columns.message == "each UNION query must have the same number of columns")
        let ordered = try #require(bindError(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3 ORDER BY 1) SELECT * FROM r"))
        #expect(ordered.message == "ORDER BY, LIMIT and OFFSET are not supported in a recursive query")
    }
}
