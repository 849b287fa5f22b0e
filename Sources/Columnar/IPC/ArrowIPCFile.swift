/// Reads an Arrow IPC file in either of Arrow's two IPC formats: the file format (`ARROW1` magic at both ends,
/// memory-mapped, only the requested columns touched) or the stream format (a sequence of messages). This is
/// what `read_arrow` and `COPY ... FROM ... (FORMAT ARROW)` use; errors are `ArrowIPCError`s.
public enum ArrowIPCFile {
    /// Whether the file at `path` starts with the file format's `ARROW1` magic; false when it starts like a
    /// stream (a continuation marker, or nothing at all). Throws for anything else.
    public static func isFileFormat(path: String) throws -> Bool {
        let file = try mapped(path)
        if file.size >= 6 && file.bytes.prefix(6).elementsEqual(ArrowFormat.magic) { return true }
        if file.size == 0 || (file.size >= 4 && file.bytes.prefix(4).allSatisfy { $0 == 0xFF }) { return false }
        throw ArrowIPCError(path: path, offset: 0,
                            message: "not an Arrow IPC file (no ARROW1 magic) or stream (no continuation marker)")
    }

    /// The schema of the file (dictionary-encoded fields with their values' type).
    public static func schema(path: String) throws -> Schema {
        if try isFileFormat(path: path) { return try ArrowFileReader(path: path).schema }
        return try ArrowStreamReader(path: path).schema
    }

    /// Every record batch of the file, with only the columns at `columnIndices` (all when nil). When
    /// `expectedSchema` is given, the file's column types must match it (the file may have changed since a
    /// query was planned against it).
    public static func readBatches(path: String, columnIndices: [Int]? = nil, expectedSchema: Schema? = nil) throws -> [RecordBatch] {
        let schema: Schema
        let batches: [RecordBatch]
        if try isFileFormat(path: path) {
            let reader = try ArrowFileReader(path: path)
            schema = reader.schema
            try check(schema, against: expectedSchema, path: path)
            batches = try reader.readAll(columnIndices: columnIndices)
        } else {
            let reader = try ArrowStreamReader(path: path)
            schema = reader.schema
            try check(schema, against: expectedSchema, path: path)
            guard let columnIndices else { return reader.recordBatches }
            batches = try reader.recordBatches.map { batch in
                var fields: [Field] = []
                var columns: [Column] = []
                for index in columnIndices {
                    guard index >= 0, index < batch.columns.count else {
                        throw ArrowIPCError(path: path, offset: 0, message: "column index \(index) is out of range (the file has \(batch.columns.count) columns)")
                    }
                    fields.append(batch.schema.fields[index])
                    columns.append(batch.columns[index])
                }
                return RecordBatch(schema: Schema(fields), columns: columns, rowCount: batch.rowCount)
            }
        }
        return batches
    }

    private static func check(_ schema: Schema, against expected: Schema?, path: String) throws {
        guard let expected else { return }
        guard schema.fields.map(\.dataType) == expected.fields.map(\.dataType) else {
            throw ArrowIPCError(path: path, offset: 0, message: "the file's columns changed since the statement was planned")
        }
    }

    private static func mapped(_ path: String) throws -> MappedFile {
        do {
            return try MappedFile(path: path)
        } catch let failure as FileError {
            throw ArrowIPCError(path: path, offset: 0, message: "could not \(failure.operation) the file: \(failure.reason)")
        }
    }
}
