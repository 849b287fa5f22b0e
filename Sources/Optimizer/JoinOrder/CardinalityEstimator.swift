import Catalog
import LogicalPlan

/// What the estimator knows about one relation of a query graph.
public struct RelationStatistics: Hashable, Sendable {
    /// The rows the relation yields as it enters the region (a scan's own filters applied, the region's
    /// conjuncts not), at least 1.
    public var rows: Double
    /// The rows of the relation's table before any filter: the number of distinct values a key of this
    /// relation can take, for equi-join estimates. At least `rows`.
    public var domainRows: Double
    /// Distinct counts of the relation's columns, where the catalog's statistics know them.
    public var distinctCounts: [ColumnID: Double]

    /// The rows assumed for a relation whose size nothing tells (a file scan, a table without a catalog).
    public static let unknownRows = 1000.0

    public init(rows: Double, domainRows: Double? = nil, distinctCounts: [ColumnID: Double] = [:]) {
        let rows = rows.isFinite ? max(1, rows) : Self.unknownRows
        self.rows = rows
        self.domainRows = max(rows, domainRows.flatMap { $0.isFinite ? $0 : nil } ?? rows)
        self.distinctCounts = distinctCounts
    }

    /// The statistics of `plan`: for a table scan, the table's row count from the catalog (the sum of its
    /// segments' rows, or the stored statistics' row count) times the selectivity of the scan's filters, with
    /// the table's row count as domain and the statistics' distinct counts; for any other plan (or a table the
    /// catalog does not know), the estimate `JoinSideSelection` computes, else the plan's own estimate, else
    /// `unknownRows`.
    public static func of(_ plan: LogicalPlan, catalog: (any Catalog)?) -> RelationStatistics {
        if case .scan(let scan) = plan, case .table(let definition) = scan.source, let catalog,
           let tableRows = tableRowCount(definition.identifier, catalog: catalog) {
            var distinct: [ColumnID: Double] = [:]
            if let statistics = try? catalog.statistics(of: definition.identifier) {
                for (column, index) in zip(scan.columns, scan.columnIndices) where definition.columns.indices.contains(index) {
                    if let count = statistics.columns[definition.columns[index].name]?.distinctCount, count.isFinite, count >= 1 {
                        distinct[column.id] = min(count, tableRows)
                    }
                }
            }
            let selectivity = PredicateSelectivity.of(scan.filters) { expression in
                keyColumn(expression).flatMap { distinct[$0] }
            }
            return RelationStatistics(rows: tableRows * selectivity, domainRows: tableRows, distinctCounts: distinct)
        }
        let estimated = plan.transformedUp { JoinSideSelection.withEstimate($0, catalog: catalog) }.estimatedRowCount
        return RelationStatistics(rows: estimated ?? plan.estimatedRowCount ?? unknownRows)
    }

    private static func tableRowCount(_ identifier: TableIdentifier, catalog: any Catalog) -> Double? {
        if let segments = try? catalog.segments(of: identifier) {
            return Double(segments.reduce(0) { $0 + $1.rowCount })
        }
        if let statistics = try? catalog.statistics(of: identifier) { return Double(statistics.rowCount) }
        return nil
    }

    /// The column a join or filter key reads, when it is a column (perhaps cast).
    static func keyColumn(_ expression: Expression) -> ColumnID? {
        switch expression {
        case .column(let column): return column.id
        case .cast(let operand, _): return keyColumn(operand)
        default: return nil
        }
    }
}

/// Estimates the rows of every subset of a query graph's relations, once joined.
///
/// - A relation yields `RelationStatistics.rows`, times the selectivity of the region's conjuncts over it
///   alone (see `PredicateSelectivity`).
/// - Equi-join conjuncts work through their equivalence classes. Joining two relations of a class keeps
///   1 / max(ndv(x), ndv(y)) of the pairs, where ndv of a member is the catalog's distinct count when known;
///   otherwise the class's key is taken for a key of its smallest table (the foreign-key case:
///   `l_orderkey = o_orderkey` is orders' key, `c_nationkey = s_nationkey = n_nationkey` nation's), so ndv is
///   the smallest `domainRows` (unfiltered table rows) among the class's relations. `lineitem ⋈ orders` is
///   then |lineitem|, a filter on orders shrinks it proportionally, and `customer ⋈ supplier` on nation keys
///   is |customer| · |supplier| / 25. Relations of one class count once each: k of them divide by k − 1 ndvs.
/// - Classes joining the same two relations form a composite key, whose distinct count is the product of
///   theirs but at most max(largest of theirs, min(|X|, |Y|)): `partsupp ⋈ lineitem` on part and supplier
///   keys is |lineitem|, not |lineitem| · |partsupp| / (|part| · |supplier|).
/// - Any other conjunct over several relations multiplies by its `PredicateSelectivity`; a semi or anti
///   join by `semiJoinSelectivity`.
/// - Every estimate is at least one row.
/// Conjuncts and semi joins count once their relations are all in the set, and classes connect all their
/// relations in the set (`earliest`, what a rebuilt plan does); or conjuncts count once the relations under
/// the node where they were found are in the set, and classes connect only what those conjuncts do
/// (`original`, for costing the plan as it came). With `earliest` the estimate of a set does not depend on
/// the join order.
public struct CardinalityEstimator: Sendable {
    /// Where conjuncts apply when estimating a set.
    public enum Placement: Sendable {
        case earliest
        case original
    }

    public static let semiJoinSelectivity = 0.5

    public let graph: QueryGraph
    public let statistics: [RelationStatistics]
    /// Per predicate: its selectivity (1 for equi-join edges, which count through their class).
    private let factors: [Double]
    /// Per equivalence class: the distinct count of the key in each of its relations.
    private let classDistinctCounts: [[Int: Double]]

    /// An estimator over `graph` with one entry of `statistics` per relation.
    public init(graph: QueryGraph, statistics: [RelationStatistics]) {
        precondition(statistics.count == graph.relations.count, "one statistics entry per relation")
        self.graph = graph
        self.statistics = statistics
        var owners: [ColumnID: Int] = [:]
        for (index, relation) in graph.relations.enumerated() {
            for column in relation.columns { owners[column] = index }
        }
        func distinctCount(_ expression: Expression) -> Double? {
            guard let column = RelationStatistics.keyColumn(expression), let owner = owners[column],
                  let count = statistics[owner].distinctCounts[column] else { return nil }
            return min(count, statistics[owner].domainRows)
        }

        classDistinctCounts = graph.equivalenceClasses.map { equivalenceClass in
            var known: [Int: Double] = [:]
            for member in equivalenceClass.members {
                guard let count = distinctCount(member.expression) else { continue }
                known[member.relation] = min(known[member.relation] ?? count, count)
            }
            let relations = equivalenceClass.relations.relations
            let keyDomain = relations.map { known[$0] ?? statistics[$0].domainRows }.min() ?? 1
            return Dictionary(uniqueKeysWithValues: relations.map { ($0, max(1, known[$0] ?? keyDomain)) })
        }

        var factors = [Double](repeating: 1, count: graph.predicates.count)
        // Conjuncts over one relation are estimated together, so that a range's two bounds pair up as in a
        // scan's filters.
        var singleRelationConjuncts: [Int: [Int]] = [:]
        for (index, predicate) in graph.predicates.enumerated() where predicate.equivalenceClass == nil {
            if !predicate.isPinnedToRoot, predicate.relations.count == 1, let relation = predicate.relations.first {
                singleRelationConjuncts[relation, default: []].append(index)
            } else {
                factors[index] = PredicateSelectivity.of(predicate.expression, distinctCount: distinctCount)
            }
        }
        for indices in singleRelationConjuncts.values {
            let selectivities = PredicateSelectivity.factors(of: indices.map { graph.predicates[$0].expression },
                                                             distinctCount: distinctCount)
            for (index, selectivity) in zip(indices, selectivities) { factors[index] = selectivity }
        }
        self.factors = factors
    }

    /// An estimator over `graph` with statistics from the catalog (`RelationStatistics.of`).
    public init(graph: QueryGraph, catalog: (any Catalog)?) {
        self.init(graph: graph, statistics: graph.relations.map { RelationStatistics.of($0.plan, catalog: catalog) })
    }

    /// The estimated rows of joining the relations in `set`, with the conjuncts and semi joins that apply
    /// within it.
    public func rows(of set: RelationSet, placement: Placement = .earliest) -> Double {
        rows(of: set, placement: placement) { index in
            let semiJoin = graph.semiJoins[index]
            switch placement {
            case .earliest: return (semiJoin.isPinnedToRoot ? graph.allRelations : semiJoin.relations).isSubset(of: set)
            case .original: return semiJoin.originalPlacement.isSubset(of: set)
            }
        }
    }

    /// The estimated rows of joining the relations in `set` with the conjuncts that apply within it, after
    /// the semi joins (by index in the graph) for which `appliesSemiJoin` holds.
    public func rows(of set: RelationSet, placement: Placement, appliesSemiJoin: (Int) -> Bool) -> Double {
        var rows = 1.0
        for relation in set.relations { rows *= statistics[relation].rows }
        // (first relation, second relation, class): the class's key joins the two relations.
        var keyEdges: [(first: Int, second: Int, equivalenceClass: Int)] = []
        for (index, predicate) in graph.predicates.enumerated() where applies(predicate, within: set, placement) {
            if let equivalenceClass = predicate.equivalenceClass, let edge = predicate.equiJoin {
                if placement == .original { keyEdges.append((edge.left, edge.right, equivalenceClass)) }
            } else {
                rows *= factors[index]
            }
        }
        if placement == .earliest {
            for (index, equivalenceClass) in graph.equivalenceClasses.enumerated() {
                let members = equivalenceClass.relations.intersection(set).relations
                for (position, first) in members.enumerated() {
                    for second in members[(position + 1)...] { keyEdges.append((first, second, index)) }
                }
            }
        }
        rows /= keyDivisor(keyEdges)
        for index in graph.semiJoins.indices where appliesSemiJoin(index) { rows *= Self.semiJoinSelectivity }
        return rows.isFinite ? max(1, rows) : .greatestFiniteMagnitude
    }

    /// The product of the distinct counts of the keys that `edges` join on, each class counted once per
    /// relation it brings in (a spanning forest per class), with classes joining the same two relations
    /// taken as one composite key (pairs sharing the most classes go first, so composite keys stay together).
    private func keyDivisor(_ edges: [(first: Int, second: Int, equivalenceClass: Int)]) -> Double {
        guard !edges.isEmpty else { return 1 }
        var pairs: [(first: Int, second: Int, classes: [Int])] = []
        for edge in edges {
            let (first, second) = (min(edge.first, edge.second), max(edge.first, edge.second))
            if let index = pairs.firstIndex(where: { $0.first == first && $0.second == second }) {
                if !pairs[index].classes.contains(edge.equivalenceClass) { pairs[index].classes.append(edge.equivalenceClass) }
            } else {
                pairs.append((first, second, [edge.equivalenceClass]))
            }
        }
        pairs.sort { left, right in
            if left.classes.count != right.classes.count { return left.classes.count > right.classes.count }
            return (left.first, left.second) < (right.first, right.second)
        }
        // Per class, a union-find over relations.
        var parents: [Int: [Int: Int]] = [:]
        func root(_ relation: Int, _ equivalenceClass: Int) -> Int {
            var current = relation
            while let parent = parents[equivalenceClass]?[current], parent != current { current = parent }
            return current
        }
        var divisor = 1.0
        for pair in pairs {
            var distinctCounts: [Double] = []
            for equivalenceClass in pair.classes {
                let (first, second) = (root(pair.first, equivalenceClass), root(pair.second, equivalenceClass))
                guard first != second else { continue }
                parents[equivalenceClass, default: [:]][max(first, second)] = min(first, second)
                let counts = classDistinctCounts[equivalenceClass]
                distinctCounts.append(max(counts[pair.first] ?? 1, counts[pair.second] ?? 1))
            }
            guard let largest = distinctCounts.max() else { continue }
            let keyDomain = min(statistics[pair.first].domainRows, statistics[pair.second].domainRows)
            divisor *= max(1, min(distinctCounts.reduce(1, *), max(largest, keyDomain)))
        }
        return divisor
    }

    private func applies(_ predicate: JoinPredicate, within set: RelationSet, _ placement: Placement) -> Bool {
        let at: RelationSet
        switch placement {
        case .earliest: at = predicate.isPinnedToRoot ? graph.allRelations : predicate.relations
        case .original: at = predicate.originalPlacement
        }
        return at.isSubset(of: set)
    }
}
