/// The logical type of a column, following the Arrow columnar format.
///
/// Every case maps to one Arrow physical layout: fixed-width values in one buffer, bit-packed booleans,
/// or UTF-8 strings as 32-bit offsets plus a data buffer.
public enum DataType: Sendable, Hashable, CustomStringConvertible {
    /// The type of the untyped `NULL` literal. Arrow's Null layout: no buffers.
    case null
    /// Bit-packed booleans.
    case boolean
    case int8
    case int16
    case int32
    case int64
    case float32
    case float64
    /// An exact decimal stored as a 128-bit two's-complement integer scaled by `10^scale`.
    case decimal128(precision: Int, scale: Int)
    /// Days since 1970-01-01.
    case date32
    /// Arrow's MonthDayNano interval: months, days and nanoseconds, independently.
    case interval
    /// UTF-8 text with 32-bit offsets.
    case utf8

    /// The largest precision a `decimal128` may have.
    public static let maximumDecimalPrecision = 38

    /// The number of bytes one value takes in the values buffer, or `nil` for booleans, strings and null.
    public var byteWidth: Int? {
        switch self {
        case .int8: return 1
        case .int16: return 2
        case .int32, .float32, .date32: return 4
        case .int64, .float64: return 8
        case .decimal128, .interval: return 16
        case .null, .boolean, .utf8: return nil
        }
    }

    /// Whether values of this type are integers (of any width).
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64: return true
        default: return false
        }
    }

    /// Whether values of this type are floating-point numbers.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Whether values of this type are decimals.
    public var isDecimal: Bool {
        if case .decimal128 = self { return true }
        return false
    }

    /// Whether values of this type are numbers of any kind.
    public var isNumeric: Bool { isInteger || isFloatingPoint || isDecimal }

    /// The type's name as PostgreSQL spells it in error messages (`integer`, `numeric`, `character varying`).
    public var postgresName: String {
        switch self {
        case .null: return "unknown"
        case .boolean: return "boolean"
        case .int8: return "tinyint"
        case .int16: return "smallint"
        case .int32: return "integer"
        case .int64: return "bigint"
        case .float32: return "real"
        case .float64: return "double precision"
        case .decimal128: return "numeric"
        case .date32: return "date"
        case .interval: return "interval"
        case .utf8: return "character varying"
        }
    }

    /// The SQL spelling of the type, as `DESCRIBE` shows it.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .boolean: return "BOOLEAN"
        case .int8: return "TINYINT"
        case .int16: return "SMALLINT"
        case .int32: return "INTEGER"
        case .int64: return "BIGINT"
        case .float32: return "REAL"
        case .float64: return "DOUBLE"
        case .decimal128(let precision, let scale): return "DECIMAL(\(precision),\(scale))"
        case .date32: return "DATE"
        case .interval: return "INTERVAL"
        case .utf8: return "VARCHAR"
        }
    }
}

/// Arrow's MonthDayNano interval value. The three parts are independent: a month is not a number of days.
@frozen
public struct IntervalValue: Sendable, Hashable {
    public var months: Int32
    public var days: Int32
    public var nanoseconds: Int64

    @inlinable
    public init(months: Int32 = 0, days: Int32 = 0, nanoseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.nanoseconds = nanoseconds
    }
}
