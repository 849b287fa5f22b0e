import Columnar
import SQLSyntax

/// The default precision and scale of `DECIMAL` without parameters (DuckDB's).
let defaultDecimalType = DataType.decimal128(precision: 18, scale: 3)

/// Maps a type as written in SQL to a column type.
///
/// - Throws: `BindError` for unknown types, unsupported ones (TIMESTAMP) and bad decimal parameters.
func dataType(of typeName: TypeName) throws -> DataType {
    let name = typeName.name.lowercased()
    switch name {
    case "integer", "int", "int4", "signed":
        return .int32
    case "bigint", "int8", "long":
        return .int64
    case "smallint", "int2", "short":
        return .int16
    case "tinyint", "int1":
        return .int8
    case "real", "float4":
        return .float32
    case "double", "double precision", "float", "float8":
        return .float64
    case "decimal", "numeric", "dec":
        return try decimalType(typeName)
    case "varchar", "text", "char", "character", "character varying", "string", "bpchar", "nvarchar", "nchar":
        return .utf8
    case "date":
        return .date32
    case "boolean", "bool", "logical":
        return .boolean
    case "interval":
        return .interval
    case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "datetime":
        throw BindError("TIMESTAMP is not supported yet", location: typeName.location)
    case "time", "timetz", "time with time zone", "time without time zone":
        throw BindError("TIME is not supported yet", location: typeName.location)
    default:
        let known = ["integer", "bigint", "smallint", "tinyint", "real", "double", "decimal", "numeric", "varchar",
                     "text", "date", "boolean", "interval"]
        let hint = nearestName(to: name, among: known).map { "did you mean \($0)?" }
        throw BindError("type \"\(typeName.name)\" does not exist", location: typeName.location, hint: hint)
    }
}

/// `DECIMAL`, `DECIMAL(p)` or `DECIMAL(p, s)`.
private func decimalType(_ typeName: TypeName) throws -> DataType {
    switch typeName.parameters.count {
    case 0:
        return defaultDecimalType
    case 1, 2:
        let precision = typeName.parameters[0]
        let scale = typeName.parameters.count == 2 ? typeName.parameters[1] : 0
        guard precision >= 1, precision <= DataType.maximumDecimalPrecision else {
            throw BindError(
                "DECIMAL precision \(precision) must be between 1 and \(DataType.maximumDecimalPrecision)",
                location: typeName.location)
        }
        guard scale >= 0, scale <= precision else {
            throw BindError(
                "DECIMAL scale \(scale) must be between 0 and precision \(precision)", location: typeName.location)
        }
        return .decimal128(precision: precision, scale: scale)
    default:
        throw BindError("DECIMAL takes at most two parameters", location: typeName.location)
    }
}

/// The PostgreSQL spelling of a type, as used in error messages (`character varying`, `integer`, `numeric`).
func sqlTypeName(_ type: DataType) -> String {
    type.postgresName
}
