import Columnar

/// Draws a result as a box table that fits a terminal width, like DuckDB's: names and types in the header,
/// numbers right-aligned, long values cut with an ellipsis, and the middle rows elided for long results.
struct TableRenderer {
    let result: QueryResult
    let width: Int
    /// Rows shown at most; the rest are elided in the middle.
    static let maximumRows = 40

    func render() -> String {
        let fields = result.fields
        guard !fields.isEmpty else { return "" }
        let total = result.rowCount
        var shownRows: [[Value]] = []
        var elided = false
        let rows = result.rows
        if total > Self.maximumRows {
            shownRows = Array(rows.prefix(Self.maximumRows / 2)) + Array(rows.suffix(Self.maximumRows / 2))
            elided = true
        } else {
            shownRows = rows
        }
        let header = fields.map(\.name)
        let types = fields.map { $0.dataType.description.lowercased() }
        let cells = shownRows.map { row in row.map { $0.isNull ? "NULL" : $0.description } }
        var widths = fields.indices.map { index in
            max(header[index].count, types[index].count, cells.map { displayWidth($0[index]) }.max() ?? 0)
        }
        // Shrink the widest columns until the table fits (3 characters of border per column, plus one).
        let minimumWidth = 5
        while widths.reduce(0, +) + 3 * widths.count + 1 > width,
              let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > minimumWidth {
            widths[widest] -= 1
        }
        let rightAligned = fields.map { $0.dataType.isNumeric }
        func line(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
        }
        func row(_ values: [String], center: Bool) -> String {
            "│" + values.enumerated().map { index, value in
                let text = fit(value, widths[index])
                let padding = widths[index] - displayWidth(text)
                if center {
                    let left = padding / 2
                    return " " + String(repeating: " ", count: left) + text + String(repeating: " ", count: padding - left) + " "
                }
                return rightAligned[index]
                    ? " " + String(repeating: " ", count: padding) + text + " "
                    : " " + text + String(repeating: " ", count: padding) + " "
            }.joined(separator: "│") + "│\n"
        }
        var output = line("┌", "┬", "┐")
        output += row(header, center: true)
        output += row(types, center: true)
        output += line("├", "┼", "┤")
        for (index, values) in cells.enumerated() {
            if elided && index == Self.maximumRows / 2 {
                output += row(widths.map { _ in "·" }, center: true)
                output += row(widths.map { _ in "·" }, center: true)
            }
            output += row(values, center: false)
        }
        output += line("└", "┴", "┘")
        if elided || total != 1 {
            output += "\(total) row\(total == 1 ? "" : "s")" + (elided ? " (\(Self.maximumRows) shown)" : "") + "\n"
        }
        return output
    }

    private func displayWidth(_ text: String) -> Int { text.count }

    private func fit(_ text: String, _ width: Int) -> String {
        let flattened = text.replacingOccurrences(of: "\n", with: "\\n")
        guard flattened.count > width else { return flattened }
        return String(flattened.prefix(max(width - 1, 0))) + "…"
    }
}
