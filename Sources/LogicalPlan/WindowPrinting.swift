// EXPLAIN-style text for window calls: `rank() OVER (PARTITION BY k ORDER BY v ASC NULLS LAST)`.

extension WindowCall {
    /// The call as SQL-like text, with its OVER clause (the frame only when it is not the default one).
    public var sqlText: String { sqlText(showColumnIDs: false) }

    /// The call as SQL-like text, optionally with column ids.
    public func sqlText(showColumnIDs: Bool) -> String {
        ExpressionPrinter(showColumnIDs: showColumnIDs).text(self)
    }
}

extension WindowFrame {
    /// The frame as SQL: `ROWS BETWEEN 2 PRECEDING AND CURRENT ROW`.
    public var sqlText: String {
        let printer = ExpressionPrinter(showColumnIDs: false)
        return printer.text(self)
    }
}

extension ExpressionPrinter {
    func text(_ call: WindowCall) -> String {
        let inside = call.function == .aggregate(.countStar) ? "*" : call.arguments.map { text($0).text }.joined(separator: ", ")
        let nulls = call.ignoresNulls ? " IGNORE NULLS" : ""
        var result = "\(call.function.sqlName)(\(inside)\(nulls))"
        if let filter = call.filter { result += " FILTER (WHERE \(text(filter).text))" }
        var clauses: [String] = []
        if !call.partitionBy.isEmpty {
            clauses.append("PARTITION BY " + call.partitionBy.map { text($0).text }.joined(separator: ", "))
        }
        if !call.orderBy.isEmpty {
            clauses.append("ORDER BY " + call.orderBy.map(text).joined(separator: ", "))
        }
        if call.function.usesFrame, call.frame != WindowFrame.defaultFrame(isOrdered: !call.orderBy.isEmpty) {
            clauses.append(text(call.frame))
        }
        return result + " OVER (" + clauses.joined(separator: " ") + ")"
    }

    func text(_ frame: WindowFrame) -> String {
        let units: String
        switch frame.units {
        case .rows: units = "ROWS"
        case .range: units = "RANGE"
        case .groups: units = "GROUPS"
        }
        let exclusion: String
        switch frame.exclusion {
        case .noOthers: exclusion = ""
        case .currentRow: exclusion = " EXCLUDE CURRENT ROW"
        case .group: exclusion = " EXCLUDE GROUP"
        case .ties: exclusion = " EXCLUDE TIES"
        }
        return "\(units) BETWEEN \(text(frame.start)) AND \(text(frame.end))\(exclusion)"
    }

    func text(_ bound: WindowFrame.Bound) -> String {
        switch bound {
        case .unboundedPreceding: return "UNBOUNDED PRECEDING"
        case .preceding(let offset): return text(offset).text + " PRECEDING"
        case .currentRow: return "CURRENT ROW"
        case .following(let offset): return text(offset).text + " FOLLOWING"
        case .unboundedFollowing: return "UNBOUNDED FOLLOWING"
        }
    }
}
