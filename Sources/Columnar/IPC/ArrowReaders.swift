/// Reads an Arrow IPC file by memory-mapping it. Columns borrow the mapped memory (zero copy) wherever
/// buffers are 64-byte aligned, which they always are in files `ArrowFileWriter` writes; other files are
/// read too, with misaligned buffers copied. Every offset in the file is bounds-checked: a corrupt file
/// throws `ArrowIPCError`, it never crashes.
public struct ArrowFileReader: @unchecked Sendable {
    private let file: MappedFile
    /// The file's schema. Dictionary-encoded fields have their values' type: they are read as plain columns.
    public let schema: Schema
    private let layout: ArrowSchemaLayout
    private let blocks: [ArrowBlock]
    /// The dictionaries of dictionary-encoded fields, by id, read when the file is opened.
    private let dictionaries: [Int64: Column]

    /// Maps and opens the file at `path`, reading its footer and schema.
    public init(path: String) throws {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch let failure as FileError {
            throw ArrowIPCError(path: path, offset: 0, message: "could not \(failure.operation) the file: \(failure.reason)")
        }
        self.file = file
        // Only the buffers of the columns read are fetched (see ArrowColumnDecoder), not the pages around them.
        file.adviseRandomAccess()
        let size = file.size
        let bytes = file.bytes
        let magic = ArrowFormat.magic
        guard size >= 8 + 10, bytes.prefix(6).elementsEqual(magic) else {
            throw ArrowIPCError(path: path, offset: 0, message: "not an Arrow IPC file (missing ARROW1 magic at the start)")
        }
        guard bytes[(size - 6)...].elementsEqual(magic) else {
            throw ArrowIPCError(path: path, offset: size - 6, message: "not an Arrow IPC file or truncated (missing ARROW1 magic at the end)")
        }
        let footerLength = Int(Int32(littleEndian: file.pointer.loadUnaligned(fromByteOffset: size - 10, as: Int32.self)))
        let footerStart = size - 10 - footerLength
        guard footerLength > 0, footerStart >= 8 else {
            throw ArrowIPCError(path: path, offset: size - 10, message: "invalid footer length \(footerLength)")
        }
        let reader = ArrowMetadataReader(path: path, origin: footerStart,
                                         buffer: FlatBuffer(base: UnsafeRawPointer(file.pointer + footerStart), count: footerLength))
        let footer = try reader.footer()
        for block in footer.recordBatches + footer.dictionaries where block.offset >= footerStart {
            throw ArrowIPCError(path: path, offset: footerStart, message: "record batch block at \(block.offset) lies past the data")
        }
        schema = footer.layout.schema
        layout = footer.layout
        blocks = footer.recordBatches
        var dictionaries: [Int64: Column] = [:]
        let decoder = ArrowColumnDecoder(path: path, region: file.pointer, regionSize: file.size, owner: file)
        for block in footer.dictionaries {
            let decoded = try ArrowMessageDecoder.decode(region: UnsafeRawPointer(file.pointer), size: file.size, at: block.offset, path: path)
            guard let decoded, decoded.message.tag == ArrowFormat.MessageTag.dictionaryBatch.rawValue,
                  let header = decoded.message.header else {
                throw ArrowIPCError(path: path, offset: block.offset, message: "a dictionary block does not point at a dictionary batch")
            }
            try ArrowDictionaries.add(decoded, header: header, layout: footer.layout, decoder: decoder, to: &dictionaries,
                                      offset: block.offset, allowReplacement: false)
        }
        self.dictionaries = dictionaries
    }

    /// The path of the file.
    public var path: String { file.path }

    /// The number of record batches in the file.
    public var recordBatchCount: Int { blocks.count }

    /// The total number of rows, read from each batch's metadata (does not touch column data).
    public func rowCount() throws -> Int {
        var total = 0
        for index in blocks.indices {
            total += try message(at: blocks[index].offset).metadata.length
        }
        return total
    }

    /// The mapped bytes of the file. Columns read from it point inside this region when zero-copy applies.
    public var mappedBytes: UnsafeRawBufferPointer { file.bytes }

    /// Reads record batch `index`, with only the columns at `columnIndices` (in that order; all when nil).
    /// Only the requested columns' buffers are touched.
    public func recordBatch(at index: Int, columnIndices: [Int]? = nil) throws -> RecordBatch {
        guard index >= 0, index < blocks.count else {
            throw ArrowIPCError(path: path, offset: 0, message: "record batch \(index) does not exist (the file has \(blocks.count))")
        }
        let block = blocks[index]
        let (metadata, bodyStart, bodyLength) = try message(at: block.offset)
        let decoder = ArrowColumnDecoder(path: path, region: file.pointer, regionSize: file.size, owner: file)
        return try decoder.recordBatch(metadata, layout: layout, dictionaries: dictionaries, columnIndices: columnIndices,
                                       bodyStart: bodyStart, bodyLength: bodyLength, messageOffset: block.offset)
    }

    /// Reads every record batch.
    public func readAll(columnIndices: [Int]? = nil) throws -> [RecordBatch] {
        try (0..<blocks.count).map { try recordBatch(at: $0, columnIndices: columnIndices) }
    }

    private func message(at offset: Int) throws -> (metadata: ArrowRecordBatchMetadata, bodyStart: Int, bodyLength: Int) {
        let decoded = try ArrowMessageDecoder.decode(region: UnsafeRawPointer(file.pointer), size: file.size, at: offset, path: path)
        guard let decoded else {
            throw ArrowIPCError(path: path, offset: offset, message: "a record batch block points at the end-of-stream marker")
        }
        guard decoded.message.tag == ArrowFormat.MessageTag.recordBatch.rawValue, let header = decoded.message.header else {
            throw ArrowIPCError(path: path, offset: offset,
                                message: "expected a record batch message, found message type \(decoded.message.tag)")
        }
        let metadata = try decoded.reader.recordBatch(header)
        return (metadata, decoded.bodyStart, decoded.message.bodyLength)
    }
}

/// Locates and decodes one encapsulated message.
enum ArrowMessageDecoder {
    struct Decoded {
        var reader: ArrowMetadataReader
        var message: ArrowMetadataReader.Message
        var bodyStart: Int
        /// The offset just past the body.
        var end: Int
    }

    /// Decodes the message at `offset`; nil at an end-of-stream marker (or the end of the region).
    static func decode(region: UnsafeRawPointer, size: Int, at offset: Int, path: String) throws -> Decoded? {
        guard offset >= 0, offset <= size else {
            throw ArrowIPCError(path: path, offset: offset, message: "message offset lies outside the \(size)-byte data")
        }
        if offset == size { return nil }
        guard size - offset >= 4 else {
            throw ArrowIPCError(path: path, offset: offset, message: "truncated message header")
        }
        var metadataStart = offset + 4
        var length = UInt32(littleEndian: region.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        if length == ArrowFormat.continuationMarker {
            guard size - offset >= 8 else {
                throw ArrowIPCError(path: path, offset: offset, message: "truncated message header")
            }
            length = UInt32(littleEndian: region.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            metadataStart = offset + 8
        }
        if length == 0 { return nil }
        let metadataLength = Int(Int32(bitPattern: length))
        guard metadataLength > 0, metadataLength <= size - metadataStart else {
            throw ArrowIPCError(path: path, offset: offset, message: "message metadata length \(metadataLength) extends past the end of the data")
        }
        let reader = ArrowMetadataReader(path: path, origin: metadataStart,
                                         buffer: FlatBuffer(base: region + metadataStart, count: metadataLength))
        let message = try reader.message()
        let bodyStart = metadataStart + metadataLength
        guard message.bodyLength <= size - bodyStart else {
            throw ArrowIPCError(path: path, offset: offset, message: "message body of \(message.bodyLength) bytes extends past the end of the data")
        }
        return Decoded(reader: reader, message: message, bodyStart: bodyStart, end: bodyStart + message.bodyLength)
    }
}

/// Reads the Arrow IPC stream format from memory or a file. Columns borrow the stream's bytes (kept alive
/// by the reader's storage) where aligned.
public struct ArrowStreamReader: @unchecked Sendable {
    /// The stream's schema.
    public let schema: Schema
    /// The stream's record batches.
    public let recordBatches: [RecordBatch]

    /// Reads a stream from bytes (copied once into aligned storage).
    public init(bytes: [UInt8]) throws {
        let storage = Buffer(capacity: bytes.count)
        bytes.withUnsafeBytes { source in
            if source.count > 0 { storage.pointer.copyMemory(from: source.baseAddress!, byteCount: source.count) }
        }
        try self.init(region: storage.pointer, size: bytes.count, owner: storage, path: "<stream>")
    }

    /// Reads a stream file by memory-mapping it.
    public init(path: String) throws {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch let failure as FileError {
            throw ArrowIPCError(path: path, offset: 0, message: "could not \(failure.operation) the file: \(failure.reason)")
        }
        try self.init(region: file.pointer, size: file.size, owner: file, path: path)
    }

    private init(region: UnsafeMutableRawPointer, size: Int, owner: AnyObject, path: String) throws {
        guard let first = try ArrowMessageDecoder.decode(region: region, size: size, at: 0, path: path) else {
            throw ArrowIPCError(path: path, offset: 0, message: "the stream has no schema message")
        }
        guard first.message.tag == ArrowFormat.MessageTag.schema.rawValue, let header = first.message.header else {
            throw ArrowIPCError(path: path, offset: 0, message: "the stream does not start with a schema message")
        }
        let layout = try first.reader.schemaLayout(header)
        let schema = layout.schema
        let decoder = ArrowColumnDecoder(path: path, region: region, regionSize: size, owner: owner)
        var dictionaries: [Int64: Column] = [:]
        var batches: [RecordBatch] = []
        var offset = first.end
        while let next = try ArrowMessageDecoder.decode(region: UnsafeRawPointer(region), size: size, at: offset, path: path) {
            switch next.message.tag {
            case ArrowFormat.MessageTag.recordBatch.rawValue:
                guard let header = next.message.header else {
                    throw ArrowIPCError(path: path, offset: offset, message: "record batch message without a header")
                }
                let metadata = try next.reader.recordBatch(header)
                batches.append(try decoder.recordBatch(metadata, layout: layout, dictionaries: dictionaries, columnIndices: nil,
                                                       bodyStart: next.bodyStart, bodyLength: next.message.bodyLength,
                                                       messageOffset: offset))
            case ArrowFormat.MessageTag.dictionaryBatch.rawValue:
                guard let header = next.message.header else {
                    throw ArrowIPCError(path: path, offset: offset, message: "dictionary batch message without a header")
                }
                try ArrowDictionaries.add(next, header: header, layout: layout, decoder: decoder, to: &dictionaries,
                                          offset: offset, allowReplacement: true)
            default:
                throw ArrowIPCError(path: path, offset: offset, message: "unexpected message type \(next.message.tag) in the stream")
            }
            offset = next.end
        }
        self.schema = schema
        recordBatches = batches
    }
}

/// Reads DictionaryBatch messages into the dictionaries that dictionary-encoded columns are decoded with.
enum ArrowDictionaries {
    /// Decodes the dictionary batch `decoded` (whose header is `header`) and stores or extends its dictionary.
    /// A non-delta batch for an id already present replaces it only when `allowReplacement` (streams); files
    /// may only extend dictionaries with deltas.
    static func add(_ decoded: ArrowMessageDecoder.Decoded, header: FlatTable, layout: ArrowSchemaLayout,
                    decoder: ArrowColumnDecoder, to dictionaries: inout [Int64: Column], offset: Int,
                    allowReplacement: Bool) throws {
        let (id, data, isDelta) = try decoded.reader.dictionaryBatch(header)
        guard let fieldIndex = layout.dictionaryEncodings.firstIndex(where: { $0?.id == id }) else {
            throw ArrowIPCError(path: decoder.path, offset: offset, message: "dictionary batch \(id) belongs to no field of the schema")
        }
        let field = layout.schema.fields[fieldIndex]
        let valueSchema = Schema([Field(field.name, field.dataType, isNullable: true)])
        let batch = try decoder.recordBatch(data, schema: valueSchema, columnIndices: nil, bodyStart: decoded.bodyStart,
                                            bodyLength: decoded.message.bodyLength, messageOffset: offset)
        let values = batch.columns[0]
        if let existing = dictionaries[id] {
            if isDelta {
                let (total, overflow) = existing.count.addingReportingOverflow(values.count)
                guard !overflow, total <= Int(Int32.max) else {
                    throw ArrowIPCError(path: decoder.path, offset: offset, message: "dictionary \(id) grows past \(Int32.max) entries")
                }
                var builder = ColumnBuilder(field.dataType, capacity: total)
                builder.append(from: existing, range: 0..<existing.count)
                builder.append(from: values, range: 0..<values.count)
                dictionaries[id] = builder.finish()
            } else if allowReplacement {
                dictionaries[id] = values
            } else {
                throw ArrowIPCError(path: decoder.path, offset: offset, message: "dictionary \(id) is defined twice (files allow only deltas)")
            }
        } else {
            dictionaries[id] = values
        }
    }
}
