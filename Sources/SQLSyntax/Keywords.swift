/// Keyword tables used by the parser.
enum Keywords {
    /// Words that can never be used as an unquoted identifier (column, table or
    /// alias name without `AS`). Function-call syntax is still allowed for the
    /// ones in `functionNameKeywords`.
    static let reserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "between", "both",
        "case", "cast", "check", "collate", "constraint", "create", "cross", "current_date",
        "current_time", "current_timestamp", "default", "desc", "distinct", "do", "else", "end",
        "except", "exists", "extract", "false", "fetch", "for", "foreign", "from", "full", "grant",
        "group", "having", "ilike", "in", "inner", "intersect", "into", "is", "isnull", "join",
        "lateral", "leading", "left", "like", "limit", "natural", "not", "notnull", "null", "offset",
        "on", "only", "or", "order", "outer", "over", "primary", "qualify", "references", "returning",
        "right", "select", "similar", "some", "symmetric", "table", "then", "to", "trailing", "true",
        "union", "unique", "using", "values", "when", "where", "window", "with",
    ]

    /// Reserved words that may still be called as functions, e.g. `left(s, 3)`.
    static let functionNameKeywords: Set<String> = ["left", "right"]

    /// Keywords that can start a statement, for "did you mean" hints.
    static let statementStarts: [String] = [
        "select", "with", "values", "create", "drop", "insert", "update", "delete", "copy", "explain", "analyze",
        "set", "reset", "show", "describe",
    ]

    /// Statement keywords that are recognized but not supported.
    static let unsupportedStatements: [String: String] = [
        "alter": "ALTER", "truncate": "TRUNCATE",
        "begin": "BEGIN", "commit": "COMMIT", "rollback": "ROLLBACK", "start": "START TRANSACTION",
        "pragma": "PRAGMA", "attach": "ATTACH", "detach": "DETACH", "grant": "GRANT",
        "revoke": "REVOKE", "vacuum": "VACUUM", "merge": "MERGE", "call": "CALL", "prepare": "PREPARE",
        "execute": "EXECUTE", "deallocate": "DEALLOCATE", "load": "LOAD", "install": "INSTALL",
        "checkpoint": "CHECKPOINT", "export": "EXPORT", "import": "IMPORT", "use": "USE",
        "summarize": "SUMMARIZE", "pivot": "PIVOT", "unpivot": "UNPIVOT", "from": "FROM-first queries",
        "table": "TABLE", "reindex": "REINDEX", "comment": "COMMENT", "listen": "LISTEN",
        "notify": "NOTIFY", "lock": "LOCK", "declare": "DECLARE", "fetch": "FETCH", "close": "CLOSE",
        "savepoint": "SAVEPOINT", "release": "RELEASE",
    ]

    /// Interval units, mapped to their canonical singular name.
    static let intervalUnits: [String: String] = [
        "year": "year", "years": "year", "month": "month", "months": "month", "day": "day",
        "days": "day", "hour": "hour", "hours": "hour", "minute": "minute", "minutes": "minute",
        "second": "second", "seconds": "second", "week": "week", "weeks": "week",
        "quarter": "quarter", "quarters": "quarter", "millisecond": "millisecond",
        "milliseconds": "millisecond", "microsecond": "microsecond", "microseconds": "microsecond",
        "decade": "decade", "decades": "decade", "century": "century", "centuries": "century",
        "millennium": "millennium", "millennia": "millennium",
    ]

    /// Words that may start a query.
    static let queryStarts: Set<String> = ["select", "with", "values"]
}
