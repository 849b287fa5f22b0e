import Columnar

/// Text forms of types and values for catalog files: types as their SQL spelling (`DECIMAL(15,2)`),
/// values as `{"type": ..., "value": ...}` with exact text (decimals as unscaled integers, floats in
/// shortest round-trip form, dates as day numbers).
public enum CatalogCoding {
    /// Parses a type's SQL spelling as `DataType.description` writes it; nil when unknown.
    public static func dataType(from text: String) -> DataType? {
        switch text {
        case "NULL": return .null
        case "BOOLEAN": return .boolean
        case "TINYINT": return .int8
        case "SMALLINT": return .int16
        case "INTEGER": return .int32
        case "BIGINT": return .int64
        case "REAL": return .float32
        case "DOUBLE": return .float64
        case "DATE": return .date32
        case "INTERVAL": return .interval
        case "VARCHAR": return .utf8
        default:
            guard text.hasPrefix("DECIMAL("), text.hasSuffix(")") else { return nil }
            let inner = text.dropFirst("DECIMAL(".count).dropLast()
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let precision = Int(parts[0]), let scale = Int(parts[1]),
                  (1...DataType.maximumDecimalPrecision).contains(precision), scale >= 0, scale <= precision else { return nil }
            return .decimal128(precision: precision, scale: scale)
        }
    }
}

/// A `Value` as stored in JSON.
struct StoredValue: Codable, Hashable {
    var type: String
    var value: String?

    init(_ value: Value) {
        type = value.dataType.description
        switch value {
        case .null: self.value = nil
        case .boolean(let v): self.value = v ? "true" : "false"
        case .int8(let v): self.value = String(v)
        case .int16(let v): self.value = String(v)
        case .int32(let v): self.value = String(v)
        case .int64(let v): self.value = String(v)
        case .float32(let v): self.value = String(v)
        case .float64(let v): self.value = String(v)
        case .decimal(let v, _, _): self.value = String(v)
        case .date(let v): self.value = String(v)
        case .interval(let v): self.value = "\(v.months),\(v.days),\(v.nanoseconds)"
        case .string(let v): self.value = v
        }
    }

    /// The value, or nil when the stored text does not decode.
    var decoded: Value? {
        guard let dataType = CatalogCoding.dataType(from: type) else { return nil }
        if dataType == .null { return .null }
        guard let text = value else { return nil }
        switch dataType {
        case .null: return .null
        case .boolean: return text == "true" ? .boolean(true) : text == "false" ? .boolean(false) : nil
        case .int8: return Int8(text).map(Value.int8)
        case .int16: return Int16(text).map(Value.int16)
        case .int32: return Int32(text).map(Value.int32)
        case .int64: return Int64(text).map(Value.int64)
        case .float32: return Float(text).map(Value.float32)
        case .float64: return Double(text).map(Value.float64)
        case .decimal128(let precision, let scale):
            return Int128(text).map { .decimal($0, precision: precision, scale: scale) }
        case .date32: return Int32(text).map(Value.date)
        case .interval:
            let parts = text.split(separator: ",")
            guard parts.count == 3, let months = Int32(parts[0]), let days = Int32(parts[1]),
                  let nanoseconds = Int64(parts[2]) else { return nil }
            return .interval(IntervalValue(months: months, days: days, nanoseconds: nanoseconds))
        case .utf8: return .string(text)
        }
    }
}

/// `ColumnStatistics` as stored in JSON.
struct StoredColumnStatistics: Codable, Hashable {
    var nullCount: Int
    var distinctCount: Double?
    var minimum: StoredValue?
    var maximum: StoredValue?

    init(_ statistics: ColumnStatistics) {
        nullCount = statistics.nullCount
        distinctCount = statistics.distinctCount.flatMap { $0.isFinite ? $0 : nil }
        minimum = statistics.minimum.map(StoredValue.init)
        maximum = statistics.maximum.map(StoredValue.init)
    }

    var decoded: ColumnStatistics {
        ColumnStatistics(nullCount: nullCount, distinctCount: distinctCount,
                         minimum: minimum?.decoded, maximum: maximum?.decoded)
    }
}

struct StoredColumn: Codable, Hashable {
    var name: String
    var type: String
    var nullable: Bool
    /// The DEFAULT expression's SQL text; absent in catalogs written before defaults existed.
    var defaultExpression: String?

    enum CodingKeys: String, CodingKey {
        case name, type, nullable
        case defaultExpression = "default"
    }
}

/// A `KeyConstraint` as stored in JSON: `kind` is `primaryKey` or `unique`, `columns` the column positions.
struct StoredKeyConstraint: Codable, Hashable {
    var name: String
    var kind: String
    var columns: [Int]
}

struct StoredSegment: Codable, Hashable {
    /// The segment file's path relative to the catalog directory.
    var file: String
    var rowCount: Int
    var columns: [StoredColumnStatistics?]
}

struct StoredTable: Codable, Hashable {
    var schema: String
    var name: String
    var version: Int
    var columns: [StoredColumn]
    /// Absent in catalogs written before constraints existed (and when the table has none).
    var keyConstraints: [StoredKeyConstraint]?
    var segments: [StoredSegment]
}

struct StoredView: Codable, Hashable {
    var schema: String
    var name: String
    var sql: String
    var columnNames: [String]
}

struct StoredStatistics: Codable, Hashable {
    var schema: String
    var name: String
    var rowCount: Int
    var dataVersion: Int
    var columns: [String: StoredColumnStatistics]
}

/// The whole of `catalog.json`.
struct CatalogDocument: Codable, Hashable {
    var formatVersion: Int
    var tables: [StoredTable]
    var views: [StoredView]
    var statistics: [StoredStatistics]

    /// The format version this program reads; it writes 1 unless a table has constraints or defaults.
    static let currentFormatVersion = 2
    /// The version of catalogs with key constraints or column defaults, which older programs must not open.
    static let constraintsFormatVersion = 2
    /// The version of catalogs without them, readable by every version of the program.
    static let baseFormatVersion = 1

    init(formatVersion: Int = CatalogDocument.baseFormatVersion, tables: [StoredTable] = [], views: [StoredView] = [],
         statistics: [StoredStatistics] = []) {
        self.formatVersion = formatVersion
        self.tables = tables
        self.views = views
        self.statistics = statistics
    }
}
