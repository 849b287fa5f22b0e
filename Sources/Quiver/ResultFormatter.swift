import Columnar

/// The ways a result can be printed (`--format`).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// A box-drawn table that fits the terminal; the default on a terminal.
    case table
    /// RFC 4180 CSV with a header line; the default otherwise.
    case csv
    /// Tab-separated values with a header line; tabs, newlines and backslashes in values are escaped.
    case tsv
    /// A JSON array with one object per row.
    case json
    /// A GitHub-flavoured Markdown table.
    case markdown
}

/// Turns query results into text.
public enum ResultFormatter {
    /// Formats a result. `width` is the terminal width the table format fits into.
    public static func format(_ result: QueryResult, as format: OutputFormat, width: Int = 120) -> String {
        switch format {
        case .table: return TableRenderer(result: result, width: width).render()
        case .csv: return delimited(result, separator: ",", quoteAll: false)
        case .tsv: return delimited(result, separator: "\t", quoteAll: true)
        case .json: return json(result)
        case .markdown: return markdown(result)
        }
    }

    /// A value's text for CSV, TSV and Markdown: empty for NULL.
    static func plainText(_ value: Value) -> String {
        value.isNull ? "" : value.description
    }

    private static func delimited(_ result: QueryResult, separator: String, quoteAll: Bool) -> String {
        func field(_ text: String) -> String {
            if quoteAll {
                var escaped = ""
                for character in text {
                    switch character {
                    case "\t": escaped += "\\t"
                    case "\n": escaped += "\\n"
                    case "\r": escaped += "\\r"
                    case "\\": escaped += "\\\\"
                    default: escaped.append(character)
                    }
                }
                return escaped
            }
            if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return text
        }
        var output = result.fields.map { field($0.name) }.joined(separator: separator) + "\n"
        for batch in result.batches {
            for row in 0..<batch.rowCount {
                output += batch.columns.map { column in
                    if quoteAll, column.isNull(row) { return "NULL" }
                    let value = column.scalar(at: row)
                    // An empty string must differ from NULL in CSV: quote it.
                    if !quoteAll, case .string(let text) = value, text.isEmpty { return "\"\"" }
                    return field(plainText(value))
                }.joined(separator: separator)
                output += "\n"
            }
        }
        return output
    }

    private static func jsonString(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private static func jsonValue(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let v): return v ? "true" : "false"
        case .int8, .int16, .int32, .int64, .decimal: return value.description
        case .float32, .float64:
            let text = value.description
            return text.contains("Infinity") || text == "NaN" ? "null" : text
        case .date, .interval, .string: return jsonString(value.description)
        }
    }

    private static func json(_ result: QueryResult) -> String {
        let names = result.fields.map { jsonString($0.name) }
        var rows: [String] = []
        for batch in result.batches {
            for row in 0..<batch.rowCount {
                let members = batch.columns.enumerated().map { index, column in
                    "\(names[index]):\(jsonValue(column.scalar(at: row)))"
                }
                rows.append("{" + members.joined(separator: ",") + "}")
            }
        }
        return rows.isEmpty ? "[]\n" : "[\n" + rows.joined(separator: ",\n") + "\n]\n"
    }

    private static func markdown(_ result: QueryResult) -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
        }
        var output = "| " + result.fields.map { cell($0.name) }.joined(separator: " | ") + " |\n"
        output += "|" + result.fields.map { $0.dataType.isNumeric ? "---:|" : "---|" }.joined() + "\n"
        for row in result.rows {
            output += "| " + row.map { cell($0.isNull ? "NULL" : $0.description) }.joined(separator: " | ") + " |\n"
        }
        return output
    }
}
