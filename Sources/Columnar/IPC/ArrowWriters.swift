/// Writes an Arrow IPC file: `ARROW1` and padding, the schema message, one message per record batch
/// (bodies 64-byte aligned), the end-of-stream marker, the footer with the batches' blocks, the footer
/// length and `ARROW1` again.
///
/// ```swift
/// var writer = try ArrowFileWriter(path: "t.arrow", schema: schema)
/// try writer.write(batch)
/// try writer.finish()
/// ```
public struct ArrowFileWriter {
    private let file: OutputFile
    /// The schema every batch must have.
    public let schema: Schema
    private var blocks: [ArrowBlock] = []
    private var isFinished = false

    /// Creates (or truncates) the file at `path` and writes the header and schema.
    /// Errors, here and in the other methods, are `ArrowIPCError`s.
    public init(path: String, schema: Schema) throws {
        let file = try reportingFileErrors(path) { try OutputFile(path: path) }
        self.file = file
        self.schema = schema
        try reportingFileErrors(path, file) {
            try file.write(ArrowFormat.magic + [0, 0])
            try ArrowMessageEncoder.writeSchema(schema, to: file)
        }
    }

    /// The path being written.
    public var path: String { file.path }

    /// Appends a record batch, which must have the writer's schema.
    public mutating func write(_ batch: RecordBatch) throws {
        precondition(!isFinished, "ArrowFileWriter.write after finish")
        let file = self.file
        blocks.append(try reportingFileErrors(file.path, file) {
            try ArrowMessageEncoder.writeRecordBatch(batch, schema: schema, to: file, path: file.path)
        })
    }

    /// Writes the footer and closes the file. With `synchronize`, fsyncs it before closing.
    public mutating func finish(synchronize: Bool = false) throws {
        precondition(!isFinished, "ArrowFileWriter.finish called twice")
        isFinished = true
        let footer = ArrowMetadataWriter.footer(schema: schema, recordBatches: blocks)
        try reportingFileErrors(file.path, file) {
            try ArrowMessageEncoder.writeEndOfStream(to: file)
            try file.write(footer)
            try file.write(integer: Int32(footer.count))
            try file.write(ArrowFormat.magic)
            try file.complete(synchronize: synchronize)
        }
    }

    /// Writes `batches` as a complete file.
    public static func write(_ batches: [RecordBatch], schema: Schema, to path: String, synchronize: Bool = false) throws {
        var writer = try ArrowFileWriter(path: path, schema: schema)
        for batch in batches { try writer.write(batch) }
        try writer.finish(synchronize: synchronize)
    }
}

/// Writes the Arrow IPC stream format: the schema message, record batch messages, and the end-of-stream
/// marker (`0xFFFFFFFF 0x00000000`).
public struct ArrowStreamWriter {
    /// The stream bytes of `batches`.
    public static func serialize(_ batches: [RecordBatch], schema: Schema) throws -> [UInt8] {
        let sink = ArrowMemorySink()
        try write(batches, schema: schema, to: sink, path: "<stream>")
        return sink.bytes
    }

    /// Writes `batches` as a stream file at `path`.
    public static func write(_ batches: [RecordBatch], schema: Schema, to path: String) throws {
        let file = try reportingFileErrors(path) { try OutputFile(path: path) }
        try reportingFileErrors(path, file) {
            try write(batches, schema: schema, to: file, path: path)
            try file.complete(synchronize: false)
        }
    }

    private static func write(_ batches: [RecordBatch], schema: Schema, to sink: some ArrowByteSink, path: String) throws {
        try ArrowMessageEncoder.writeSchema(schema, to: sink)
        for batch in batches {
            _ = try ArrowMessageEncoder.writeRecordBatch(batch, schema: schema, to: sink, path: path)
        }
        try ArrowMessageEncoder.writeEndOfStream(to: sink)
    }
}

/// Runs `body`, turning file system errors into `ArrowIPCError`s at the file's current position.
private func reportingFileErrors<T>(_ path: String, _ file: OutputFile? = nil, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as FileError {
        throw ArrowIPCError(path: path, offset: file?.position ?? 0,
                            message: "could not \(failure.operation) the file: \(failure.reason)")
    }
}
