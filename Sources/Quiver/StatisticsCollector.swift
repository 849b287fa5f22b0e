import Catalog
import Columnar

/// ANALYZE: gathers table statistics from the data and stores them in the catalog.
///
/// Row counts, null counts and min/max come from merging the per-segment statistics that every segment
/// keeps; distinct counts are left unknown until the cost-based optimizer brings its sketches.
enum StatisticsCollector {
    static func analyze(_ identifier: TableIdentifier, catalog: any Catalog) throws {
        guard let definition = try catalog.table(identifier) else { throw CatalogError.tableNotFound(identifier) }
        let segments = try catalog.segments(of: identifier)
        var rowCount = 0
        var columns = definition.columns.map { _ in ColumnStatistics() }
        var known = definition.columns.map { _ in true }
        for segment in segments {
            rowCount += segment.rowCount
            for index in columns.indices {
                guard index < segment.columnStatistics.count, let statistics = segment.columnStatistics[index] else {
                    known[index] = false
                    continue
                }
                columns[index].nullCount += statistics.nullCount
                columns[index].minimum = ValueOrdering.minimum(columns[index].minimum, statistics.minimum)
                columns[index].maximum = ValueOrdering.maximum(columns[index].maximum, statistics.maximum)
            }
        }
        var byName: [String: ColumnStatistics] = [:]
        for (index, column) in definition.columns.enumerated() where known[index] {
            byName[column.name] = columns[index]
        }
        try catalog.setStatistics(TableStatistics(rowCount: rowCount, columns: byName, dataVersion: definition.version), of: identifier)
    }
}

/// Orders scalars of the same type, for merging min/max.
enum ValueOrdering {
    static func isLess(_ left: Value, _ right: Value) -> Bool? {
        switch (left, right) {
        case (.boolean(let a), .boolean(let b)): return !a && b
        case (.int8(let a), .int8(let b)): return a < b
        case (.int16(let a), .int16(let b)): return a < b
        case (.int32(let a), .int32(let b)): return a < b
        case (.int64(let a), .int64(let b)): return a < b
        case (.float32(let a), .float32(let b)): return a < b
        case (.float64(let a), .float64(let b)): return a < b
        case (.decimal(let a, _, let s1), .decimal(let b, _, let s2)) where s1 == s2: return a < b
        case (.date(let a), .date(let b)): return a < b
        case (.string(let a), .string(let b)): return Array(a.utf8).lexicographicallyPrecedes(b.utf8)
        default: return nil
        }
    }

    static func minimum(_ current: Value?, _ candidate: Value?) -> Value? {
        guard let current, !current.isNull else { return candidate }
        guard let candidate, !candidate.isNull else { return current }
        return isLess(candidate, current) == true ? candidate : current
    }

    static func maximum(_ current: Value?, _ candidate: Value?) -> Value? {
        guard let current, !current.isNull else { return candidate }
        guard let candidate, !candidate.isNull else { return current }
        return isLess(current, candidate) == true ? candidate : current
    }
}
