/// A destination for IPC bytes: a file or an in-memory array.
protocol ArrowByteSink: AnyObject {
    /// The number of bytes written so far.
    var position: Int { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func writeZeros(_ count: Int) throws
}

extension ArrowByteSink {
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func write<T: FixedWidthInteger>(integer value: T) throws {
        var littleEndian = value.littleEndian
        try withUnsafeBytes(of: &littleEndian) { try write($0) }
    }
}

extension OutputFile: ArrowByteSink {}

/// Collects IPC bytes in memory.
final class ArrowMemorySink: ArrowByteSink {
    var bytes: [UInt8] = []
    var position: Int { bytes.count }
    func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
    func writeZeros(_ count: Int) throws { bytes.append(contentsOf: repeatElement(0, count: count)) }
}

/// Turns record batches into encapsulated IPC messages: `0xFFFFFFFF`, metadata length, Message flatbuffer,
/// padding, then the body with every buffer 64-byte aligned and padded.
enum ArrowMessageEncoder {
    /// One body buffer: memory to copy (kept alive by `owner`) and its length.
    struct BodyPart {
        var pointer: UnsafeRawPointer?
        var length: Int
        var owner: AnyObject?
    }

    /// Checks that `batch` matches `schema` column for column.
    static func validate(_ batch: RecordBatch, against schema: Schema, path: String, offset: Int) throws {
        guard batch.columns.count == schema.fields.count else {
            throw ArrowIPCError(path: path, offset: offset,
                                message: "record batch has \(batch.columns.count) columns, the schema \(schema.fields.count)")
        }
        for (index, column) in batch.columns.enumerated() {
            let field = schema.fields[index]
            guard column.dataType == field.dataType else {
                throw ArrowIPCError(path: path, offset: offset,
                                    message: "column \"\(field.name)\" is \(column.dataType), the schema says \(field.dataType)")
            }
            guard column.count == batch.rowCount else {
                throw ArrowIPCError(path: path, offset: offset,
                                    message: "column \"\(field.name)\" has \(column.count) rows, the batch \(batch.rowCount)")
            }
        }
    }

    /// The body buffers of one column, in Arrow's order (validity first).
    static func bodyParts(of column: Column) -> [BodyPart] {
        let count = column.count
        var parts: [BodyPart] = []
        if column.dataType == .null { return parts }
        if column.nullCount > 0, let validity = column.validity {
            parts.append(BodyPart(pointer: UnsafeRawPointer(validity.pointer), length: Bitmap.byteCount(forBits: count), owner: validity))
        } else {
            parts.append(BodyPart(pointer: nil, length: 0, owner: nil))
        }
        switch column.dataType {
        case .null:
            break
        case .boolean:
            parts.append(part(column.values, length: Bitmap.byteCount(forBits: count)))
        case .utf8:
            guard let offsetsBuffer = column.values, let data = column.data, count > 0 else {
                // An empty string column: one zero offset, no data.
                let zero = Buffer(capacity: 4)
                parts.append(BodyPart(pointer: UnsafeRawPointer(zero.pointer), length: 4, owner: zero))
                parts.append(BodyPart(pointer: nil, length: 0, owner: nil))
                return parts
            }
            let offsets = offsetsBuffer.typed(Int32.self)
            let first = Int(offsets[0])
            let dataLength = Int(offsets[count]) - first
            if first == 0 {
                parts.append(part(offsetsBuffer, length: (count + 1) * 4))
            } else {
                let rebased = Buffer(capacity: (count + 1) * 4)
                let target = rebased.typed(Int32.self)
                for index in 0...count { target[index] = offsets[index] &- Int32(truncatingIfNeeded: first) }
                parts.append(BodyPart(pointer: UnsafeRawPointer(rebased.pointer), length: (count + 1) * 4, owner: rebased))
            }
            parts.append(BodyPart(pointer: UnsafeRawPointer(data.pointer + first), length: dataLength, owner: data))
        default:
            parts.append(part(column.values, length: count * (column.dataType.byteWidth ?? 0)))
        }
        return parts
    }

    private static func part(_ buffer: Buffer?, length: Int) -> BodyPart {
        guard let buffer, length > 0 else { return BodyPart(pointer: nil, length: 0, owner: nil) }
        return BodyPart(pointer: UnsafeRawPointer(buffer.pointer), length: length, owner: buffer)
    }

    /// Writes a message whose metadata is `flatbuffer`, padded so the body that follows starts on a 64-byte
    /// boundary of the sink. Returns the metadata length including the 8-byte prefix.
    @discardableResult
    static func writeMetadata(_ flatbuffer: [UInt8], to sink: some ArrowByteSink) throws -> Int {
        let start = sink.position
        let unpadded = start + 8 + flatbuffer.count
        let padding = (ArrowFormat.bodyAlignment - unpadded % ArrowFormat.bodyAlignment) % ArrowFormat.bodyAlignment
        try sink.write(integer: ArrowFormat.continuationMarker)
        try sink.write(integer: Int32(flatbuffer.count + padding))
        try sink.write(flatbuffer)
        try sink.writeZeros(padding)
        return 8 + flatbuffer.count + padding
    }

    /// Writes the schema message.
    static func writeSchema(_ schema: Schema, to sink: some ArrowByteSink) throws {
        try writeMetadata(ArrowMetadataWriter.schemaMessage(schema), to: sink)
    }

    /// Writes one record batch message and returns its block (for a file footer).
    static func writeRecordBatch(_ batch: RecordBatch, schema: Schema, to sink: some ArrowByteSink, path: String) throws -> ArrowBlock {
        let start = sink.position
        try validate(batch, against: schema, path: path, offset: start)
        var parts: [BodyPart] = []
        var nodes: [ArrowFieldNode] = []
        for column in batch.columns {
            nodes.append(ArrowFieldNode(length: column.count, nullCount: column.dataType == .null ? column.count : column.nullCount))
            parts.append(contentsOf: bodyParts(of: column))
        }
        var locations: [ArrowBufferLocation] = []
        var bodyLength = 0
        for part in parts {
            locations.append(ArrowBufferLocation(offset: bodyLength, length: part.length))
            bodyLength += Buffer.roundedUp(part.length)
        }
        let metadata = ArrowRecordBatchMetadata(length: batch.rowCount, nodes: nodes, buffers: locations)
        let flatbuffer = ArrowMetadataWriter.recordBatchMessage(metadata, bodyLength: bodyLength)
        let metadataLength = try writeMetadata(flatbuffer, to: sink)
        for part in parts {
            if let pointer = part.pointer, part.length > 0 {
                try sink.write(UnsafeRawBufferPointer(start: pointer, count: part.length))
            }
            try sink.writeZeros(Buffer.roundedUp(part.length) - part.length)
            withExtendedLifetime(part.owner) {}
        }
        return ArrowBlock(offset: start, metadataLength: metadataLength, bodyLength: bodyLength)
    }

    /// Writes the end-of-stream marker.
    static func writeEndOfStream(to sink: some ArrowByteSink) throws {
        try sink.write(integer: ArrowFormat.continuationMarker)
        try sink.write(integer: Int32(0))
    }
}
