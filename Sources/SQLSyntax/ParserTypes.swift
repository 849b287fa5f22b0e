// Type names, normalized to canonical lowercase names.

extension SQLParser {
    /// Canonical names of single-word type aliases.
    static let typeAliases: [String: String] = [
        "int": "integer", "integer": "integer", "int4": "integer", "signed": "integer",
        "smallint": "smallint", "int2": "smallint", "short": "smallint",
        "bigint": "bigint", "int8": "bigint", "long": "bigint",
        "tinyint": "tinyint", "int1": "tinyint",
        "real": "real", "float4": "real",
        "float8": "double", "double": "double",
        "decimal": "decimal", "numeric": "decimal", "dec": "decimal",
        "varchar": "varchar", "text": "varchar", "string": "varchar", "bpchar": "varchar", "nvarchar": "varchar",
        "char": "varchar", "character": "varchar",
        "boolean": "boolean", "bool": "boolean", "logical": "boolean",
        "date": "date", "interval": "interval",
        "timestamp": "timestamp", "datetime": "timestamp", "timestamptz": "timestamptz",
        "time": "time",
    ]

    /// type name = word [word] [( integer {, integer} )] [WITH[OUT] TIME ZONE]
    mutating func parseTypeName() throws(SyntaxError) -> TypeName {
        let location = current.location
        guard current.kind == .word, !Keywords.reserved.contains(current.value) || current.value == "char" else {
            throw unexpectedToken()
        }
        let word = current.value
        advance()
        var name = Self.typeAliases[word] ?? word
        switch word {
        case "double":
            _ = consume("precision")
        case "char", "character":
            _ = consume("varying")
        case "float":
            let parameters = try parseTypeParameters()
            if let precision = parameters.first, precision <= 24, precision >= 1 {
                return TypeName(name: "real", location: location)
            }
            return TypeName(name: "double", location: location)
        default:
            break
        }
        var parameters = try parseTypeParameters()
        if name == "timestamp" || name == "time" {
            parameters = []
            if check("with"), token(ahead: 1).isWord("time") {
                advance()
                advance()
                try expect("zone")
                name += "tz"
            } else if consume("without") {
                try expect("time")
                try expect("zone")
            }
        }
        if checkSymbol("[") {
            throw unsupported("array type", at: current.location)
        }
        return TypeName(name: name, parameters: parameters, location: location)
    }

    /// [( integer {, integer} )]
    private mutating func parseTypeParameters() throws(SyntaxError) -> [Int] {
        guard consumeSymbol("(") else { return [] }
        var parameters: [Int] = []
        repeat {
            guard current.kind == .integer else { throw unexpectedToken() }
            guard let value = Int(current.value) else {
                throw SyntaxError(message: "type modifier \(current.value) is out of range", location: current.location)
            }
            parameters.append(value)
            advance()
        } while consumeSymbol(",")
        try expectSymbol(")")
        return parameters
    }
}
