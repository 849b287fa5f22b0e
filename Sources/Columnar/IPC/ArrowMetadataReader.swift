/// Decodes Arrow metadata flatbuffers into `Schema`, record batch headers and footer blocks.
/// Errors come out as `ArrowIPCError`s carrying absolute offsets (`origin` + the flatbuffer position).
struct ArrowMetadataReader {
    let path: String
    /// The absolute offset of the flatbuffer in the file or stream, for error messages.
    let origin: Int
    let buffer: FlatBuffer

    func error(_ offset: Int, _ message: String) -> ArrowIPCError {
        ArrowIPCError(path: path, offset: origin + offset, message: message)
    }

    /// Runs `body`, turning flatbuffer bounds errors into `ArrowIPCError`s.
    func decoding<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as FlatBufferError {
            throw error(failure.offset, "corrupt metadata: \(failure.message)")
        }
    }

    // MARK: Schema

    func schema(_ table: FlatTable) throws -> Schema {
        try schemaLayout(table).schema
    }

    /// The schema and, per field, its dictionary encoding (nil for plain fields). A dictionary-encoded field's
    /// type in the schema is its values' type: readers decode such columns to plain columns.
    func schemaLayout(_ table: FlatTable) throws -> ArrowSchemaLayout {
        try decoding {
            let endianness = try table.scalar(0, default: Int16(0))
            guard endianness == 0 else { throw error(table.position, "big-endian Arrow data is not supported") }
            guard let fields = try table.vector(1, elementSize: 4) else { return ArrowSchemaLayout(schema: Schema([]), dictionaryEncodings: []) }
            var result: [Field] = []
            var encodings: [ArrowDictionaryEncoding?] = []
            result.reserveCapacity(fields.count)
            for index in 0..<fields.count {
                let (field, encoding) = try field(fields.table(index), index: index)
                result.append(field)
                encodings.append(encoding)
            }
            return ArrowSchemaLayout(schema: Schema(result), dictionaryEncodings: encodings)
        }
    }

    private func field(_ table: FlatTable, index: Int) throws -> (Field, ArrowDictionaryEncoding?) {
        let name = try table.string(0) ?? "column\(index)"
        let nullable = try table.bool(1, default: false)
        var encoding: ArrowDictionaryEncoding?
        if let dictionary = try table.table(4) {
            encoding = try dictionaryEncoding(dictionary, fieldName: name)
        }
        let tagValue = try table.scalar(2, default: UInt8(0))
        guard let tag = ArrowFormat.TypeTag(rawValue: tagValue) else {
            throw error(table.position, "field \"\(name)\" has unknown Arrow type tag \(tagValue)")
        }
        let typeTable = try table.table(3)
        let dataType = try decodeType(tag, typeTable, fieldName: name, position: table.position)
        if let children = try table.vector(5, elementSize: 4), children.count > 0 {
            throw error(table.position, "field \"\(name)\": nested Arrow type \(tag.name) is not supported")
        }
        return (Field(name, dataType, isNullable: nullable), encoding)
    }

    /// A field's DictionaryEncoding table: the dictionary id and the index type (signed Int32 when absent).
    private func dictionaryEncoding(_ table: FlatTable, fieldName: String) throws -> ArrowDictionaryEncoding {
        let id = try table.scalar(0, default: Int64(0))
        var bitWidth = 32
        var isSigned = true
        if let indexType = try table.table(1) {
            bitWidth = try Int(indexType.scalar(0, default: Int32(0)))
            isSigned = try indexType.bool(1, default: false)
        }
        guard [8, 16, 32, 64].contains(bitWidth) else {
            throw error(table.position, "field \"\(fieldName)\": invalid dictionary index bit width \(bitWidth)")
        }
        return ArrowDictionaryEncoding(id: id, indexBitWidth: bitWidth, isIndexSigned: isSigned)
    }

    private func decodeType(_ tag: ArrowFormat.TypeTag, _ typeTable: FlatTable?, fieldName: String, position: Int) throws -> DataType {
        func unsupported(_ detail: String) -> ArrowIPCError {
            error(position, "field \"\(fieldName)\": unsupported Arrow type \(detail)")
        }
        func required() throws -> FlatTable {
            guard let typeTable else { throw error(position, "field \"\(fieldName)\": missing \(tag.name) type table") }
            return typeTable
        }
        switch tag {
        case .null: return .null
        case .bool: return .boolean
        case .utf8: return .utf8
        case .int:
            let type = try required()
            let bitWidth = try type.scalar(0, default: Int32(0))
            let signed = try type.bool(1, default: false)
            guard signed else { throw unsupported("UInt\(bitWidth)") }
            switch bitWidth {
            case 8: return .int8
            case 16: return .int16
            case 32: return .int32
            case 64: return .int64
            default: throw unsupported("Int(bitWidth: \(bitWidth))")
            }
        case .floatingPoint:
            let precision = try required().scalar(0, default: Int16(0))
            switch precision {
            case 1: return .float32
            case 2: return .float64
            default: throw unsupported(precision == 0 ? "Float16" : "FloatingPoint(precision: \(precision))")
            }
        case .decimal:
            let type = try required()
            let precision = try Int(type.scalar(0, default: Int32(0)))
            let scale = try Int(type.scalar(1, default: Int32(0)))
            let bitWidth = try type.scalar(2, default: Int32(128))
            guard bitWidth == 128 else { throw unsupported("Decimal\(bitWidth)") }
            guard (1...DataType.maximumDecimalPrecision).contains(precision), scale >= 0, scale <= precision else {
                throw unsupported("Decimal(precision: \(precision), scale: \(scale))")
            }
            return .decimal128(precision: precision, scale: scale)
        case .date:
            let unit = try typeTable?.scalar(0, default: Int16(1)) ?? 1
            guard unit == 0 else { throw unsupported("Date(MILLISECOND)") }
            return .date32
        case .interval:
            let unit = try required().scalar(0, default: Int16(0))
            guard unit == 2 else { throw unsupported(unit == 0 ? "Interval(YEAR_MONTH)" : "Interval(DAY_TIME)") }
            return .interval
        default:
            throw unsupported(tag.name)
        }
    }

    // MARK: Messages

    /// The decoded root of a Message: its header's tag and table and its body length.
    struct Message {
        var tag: UInt8
        var header: FlatTable?
        var bodyLength: Int
    }

    func message() throws -> Message {
        try decoding {
            let root = try buffer.root()
            let version = try root.scalar(0, default: Int16(0))
            guard version >= 3 else { throw error(root.position, "Arrow metadata version V\(version + 1) is too old") }
            let tag = try root.scalar(1, default: UInt8(0))
            let header = try root.table(2)
            let bodyLength = try Int(root.scalar(3, default: Int64(0)))
            guard bodyLength >= 0 else { throw error(root.position, "negative message body length \(bodyLength)") }
            return Message(tag: tag, header: header, bodyLength: bodyLength)
        }
    }

    func recordBatch(_ table: FlatTable) throws -> ArrowRecordBatchMetadata {
        try decoding {
            let length = try Int(table.scalar(0, default: Int64(0)))
            guard length >= 0, length <= Int(Int32.max) else {
                throw error(table.position, "invalid record batch length \(length)")
            }
            if try table.table(3) != nil {
                throw error(table.position, "compressed record batches are not supported")
            }
            var nodes: [ArrowFieldNode] = []
            if let vector = try table.vector(1, elementSize: 16) {
                nodes.reserveCapacity(vector.count)
                for index in 0..<vector.count {
                    let position = vector.elementPosition(index)
                    let nodeLength = try Int(buffer.load(Int64.self, at: position))
                    let nullCount = try Int(buffer.load(Int64.self, at: position + 8))
                    guard nodeLength >= 0, nodeLength <= Int(Int32.max), nullCount >= 0, nullCount <= nodeLength else {
                        throw error(position, "invalid field node (length \(nodeLength), null count \(nullCount))")
                    }
                    nodes.append(ArrowFieldNode(length: nodeLength, nullCount: nullCount))
                }
            }
            var buffers: [ArrowBufferLocation] = []
            if let vector = try table.vector(2, elementSize: 16) {
                buffers.reserveCapacity(vector.count)
                for index in 0..<vector.count {
                    let position = vector.elementPosition(index)
                    let offset = try Int(buffer.load(Int64.self, at: position))
                    let bufferLength = try Int(buffer.load(Int64.self, at: position + 8))
                    guard offset >= 0, bufferLength >= 0 else {
                        throw error(position, "invalid buffer (offset \(offset), length \(bufferLength))")
                    }
                    buffers.append(ArrowBufferLocation(offset: offset, length: bufferLength))
                }
            }
            return ArrowRecordBatchMetadata(length: length, nodes: nodes, buffers: buffers)
        }
    }

    /// A DictionaryBatch header: the dictionary id, its values as a one-column record batch, and whether the
    /// values extend (rather than replace) the dictionary.
    func dictionaryBatch(_ table: FlatTable) throws -> (id: Int64, data: ArrowRecordBatchMetadata, isDelta: Bool) {
        let (id, dataTable, isDelta) = try decoding {
            (try table.scalar(0, default: Int64(0)), try table.table(1), try table.bool(2, default: false))
        }
        guard let dataTable else { throw error(table.position, "dictionary batch \(id) has no data") }
        return (id, try recordBatch(dataTable), isDelta)
    }

    // MARK: Footer

    func footer() throws -> (layout: ArrowSchemaLayout, recordBatches: [ArrowBlock], dictionaries: [ArrowBlock]) {
        let root = try decoding { try buffer.root() }
        guard let schemaTable = try decoding({ try root.table(1) }) else {
            throw error(root.position, "the footer has no schema")
        }
        let layout = try schemaLayout(schemaTable)
        return try decoding {
            func blocks(_ slot: Int, _ what: String) throws -> [ArrowBlock] {
                var blocks: [ArrowBlock] = []
                if let vector = try root.vector(slot, elementSize: 24) {
                    blocks.reserveCapacity(vector.count)
                    for index in 0..<vector.count {
                        let position = vector.elementPosition(index)
                        let offset = try Int(buffer.load(Int64.self, at: position))
                        let metadataLength = try Int(buffer.load(Int32.self, at: position + 8))
                        let bodyLength = try Int(buffer.load(Int64.self, at: position + 16))
                        guard offset >= 0, metadataLength >= 0, bodyLength >= 0 else {
                            throw error(position, "invalid \(what) block (offset \(offset))")
                        }
                        blocks.append(ArrowBlock(offset: offset, metadataLength: metadataLength, bodyLength: bodyLength))
                    }
                }
                return blocks
            }
            return (layout, try blocks(3, "record batch"), try blocks(2, "dictionary batch"))
        }
    }
}
