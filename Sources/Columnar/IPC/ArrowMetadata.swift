/// An error reading or writing Arrow IPC data: names the file (or stream) and the byte offset of the problem.
public struct ArrowIPCError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file path, or `<stream>` for in-memory streams.
    public var path: String
    /// The byte offset in the file or stream where the problem was found.
    public var offset: Int
    public var message: String

    public init(path: String, offset: Int, message: String) {
        self.path = path
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(path): at byte \(offset): \(message)" }
}

/// Constants and flatbuffer slot numbers of Arrow's Schema.fbs, Message.fbs and File.fbs.
enum ArrowFormat {
    /// `ARROW1`, the magic at both ends of an IPC file.
    static let magic: [UInt8] = Array("ARROW1".utf8)
    static let continuationMarker: UInt32 = 0xFFFF_FFFF
    /// MetadataVersion.V5.
    static let metadataVersion: Int16 = 4
    /// Body buffers are padded to this many bytes (Arrow requires 8 and recommends 64).
    static let bodyAlignment = 64

    /// The `Type` union's members, by their union tag.
    enum TypeTag: UInt8 {
        case none = 0, null, int, floatingPoint, binary, utf8, bool, decimal, date, time, timestamp, interval, list,
             structType, union, fixedSizeBinary, fixedSizeList, map, duration, largeBinary, largeUtf8, largeList,
             runEndEncoded, binaryView, utf8View, listView, largeListView

        var name: String {
            switch self {
            case .none: return "NONE"
            case .null: return "Null"
            case .int: return "Int"
            case .floatingPoint: return "FloatingPoint"
            case .binary: return "Binary"
            case .utf8: return "Utf8"
            case .bool: return "Bool"
            case .decimal: return "Decimal"
            case .date: return "Date"
            case .time: return "Time"
            case .timestamp: return "Timestamp"
            case .interval: return "Interval"
            case .list: return "List"
            case .structType: return "Struct"
            case .union: return "Union"
            case .fixedSizeBinary: return "FixedSizeBinary"
            case .fixedSizeList: return "FixedSizeList"
            case .map: return "Map"
            case .duration: return "Duration"
            case .largeBinary: return "LargeBinary"
            case .largeUtf8: return "LargeUtf8"
            case .largeList: return "LargeList"
            case .runEndEncoded: return "RunEndEncoded"
            case .binaryView: return "BinaryView"
            case .utf8View: return "Utf8View"
            case .listView: return "ListView"
            case .largeListView: return "LargeListView"
            }
        }
    }

    /// The `MessageHeader` union's members.
    enum MessageTag: UInt8 {
        case none = 0, schema, dictionaryBatch, recordBatch, tensor, sparseTensor
    }

    /// The number of buffers a column of `type` has in a record batch body.
    static func bufferCount(_ type: DataType) -> Int {
        switch type {
        case .null: return 0
        case .utf8: return 3
        default: return 2
        }
    }
}

/// How a dictionary-encoded field stores its values: integer indices into the dictionary with id `id`.
struct ArrowDictionaryEncoding: Equatable {
    var id: Int64
    /// 8, 16, 32 or 64.
    var indexBitWidth: Int
    var isIndexSigned: Bool
}

/// A schema read from IPC metadata plus, per field, its dictionary encoding (nil for plain fields).
struct ArrowSchemaLayout {
    /// The fields, dictionary-encoded ones with their values' type.
    var schema: Schema
    var dictionaryEncodings: [ArrowDictionaryEncoding?]

    /// The dictionary encoding of field `index`, nil when it is a plain field.
    func encoding(_ index: Int) -> ArrowDictionaryEncoding? {
        index < dictionaryEncodings.count ? dictionaryEncodings[index] : nil
    }

    /// The number of body buffers field `index` has: validity and indices for a dictionary-encoded field.
    func bufferCount(_ index: Int) -> Int {
        encoding(index) != nil ? 2 : ArrowFormat.bufferCount(schema.fields[index].dataType)
    }
}

/// Where one message lives in an IPC file, as the footer records it.
struct ArrowBlock {
    var offset: Int
    var metadataLength: Int
    var bodyLength: Int
}

/// One buffer of a record batch body: an offset relative to the body start and a length.
struct ArrowBufferLocation {
    var offset: Int
    var length: Int
}

/// One array's length and null count.
struct ArrowFieldNode {
    var length: Int
    var nullCount: Int
}

/// The metadata of a RecordBatch message.
struct ArrowRecordBatchMetadata {
    var length: Int
    var nodes: [ArrowFieldNode]
    var buffers: [ArrowBufferLocation]
}

// MARK: - Writing metadata

enum ArrowMetadataWriter {
    /// Writes the type table of `type` and returns its union tag and offset.
    static func writeType(_ type: DataType, into builder: inout FlatBufferBuilder) -> (ArrowFormat.TypeTag, FlatBufferBuilder.Offset) {
        func integer(_ bitWidth: Int32) -> (ArrowFormat.TypeTag, FlatBufferBuilder.Offset) {
            builder.startTable()
            builder.add(slot: 0, bitWidth)
            builder.add(slot: 1, true)
            return (.int, builder.endTable())
        }
        switch type {
        case .null:
            builder.startTable()
            return (.null, builder.endTable())
        case .boolean:
            builder.startTable()
            return (.bool, builder.endTable())
        case .int8: return integer(8)
        case .int16: return integer(16)
        case .int32: return integer(32)
        case .int64: return integer(64)
        case .float32, .float64:
            builder.startTable()
            builder.add(slot: 0, Int16(type == .float32 ? 1 : 2))
            return (.floatingPoint, builder.endTable())
        case .decimal128(let precision, let scale):
            builder.startTable()
            builder.add(slot: 0, Int32(precision))
            builder.add(slot: 1, Int32(scale))
            builder.add(slot: 2, Int32(128))
            return (.decimal, builder.endTable())
        case .date32:
            builder.startTable()
            builder.add(slot: 0, Int16(0)) // DateUnit.DAY
            return (.date, builder.endTable())
        case .interval:
            builder.startTable()
            builder.add(slot: 0, Int16(2)) // IntervalUnit.MONTH_DAY_NANO
            return (.interval, builder.endTable())
        case .utf8:
            builder.startTable()
            return (.utf8, builder.endTable())
        }
    }

    /// Writes a Schema table.
    static func writeSchema(_ schema: Schema, into builder: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset {
        var fieldOffsets: [FlatBufferBuilder.Offset] = []
        for field in schema.fields {
            let name = builder.create(string: field.name)
            let (tag, typeOffset) = writeType(field.dataType, into: &builder)
            let children = builder.create(offsets: [])
            builder.startTable()
            builder.add(slot: 0, offset: name)
            builder.add(slot: 1, field.isNullable)
            builder.add(slot: 2, tag.rawValue)
            builder.add(slot: 3, offset: typeOffset)
            builder.add(slot: 5, offset: children)
            fieldOffsets.append(builder.endTable())
        }
        let fields = builder.create(offsets: fieldOffsets)
        builder.startTable()
        builder.add(slot: 0, Int16(0)) // Endianness.Little
        builder.add(slot: 1, offset: fields)
        return builder.endTable()
    }

    /// A complete Message flatbuffer holding a Schema.
    static func schemaMessage(_ schema: Schema) -> [UInt8] {
        var builder = FlatBufferBuilder()
        let header = writeSchema(schema, into: &builder)
        return finishMessage(&builder, tag: .schema, header: header, bodyLength: 0)
    }

    /// A complete Message flatbuffer holding a RecordBatch header.
    static func recordBatchMessage(_ metadata: ArrowRecordBatchMetadata, bodyLength: Int) -> [UInt8] {
        var builder = FlatBufferBuilder(capacity: 256 + 32 * (metadata.nodes.count + metadata.buffers.count))
        let nodes = builder.createVector(count: metadata.nodes.count, elementSize: 16, alignment: 8) { builder, index in
            builder.place(Int64(metadata.nodes[index].nullCount))
            builder.place(Int64(metadata.nodes[index].length))
        }
        let buffers = builder.createVector(count: metadata.buffers.count, elementSize: 16, alignment: 8) { builder, index in
            builder.place(Int64(metadata.buffers[index].length))
            builder.place(Int64(metadata.buffers[index].offset))
        }
        builder.startTable()
        builder.add(slot: 0, Int64(metadata.length))
        builder.add(slot: 1, offset: nodes)
        builder.add(slot: 2, offset: buffers)
        let header = builder.endTable()
        return finishMessage(&builder, tag: .recordBatch, header: header, bodyLength: bodyLength)
    }

    private static func finishMessage(_ builder: inout FlatBufferBuilder, tag: ArrowFormat.MessageTag,
                                      header: FlatBufferBuilder.Offset, bodyLength: Int) -> [UInt8] {
        builder.startTable()
        builder.add(slot: 3, Int64(bodyLength))
        builder.add(slot: 0, ArrowFormat.metadataVersion)
        builder.add(slot: 1, tag.rawValue)
        builder.add(slot: 2, offset: header)
        let message = builder.endTable()
        return builder.finish(root: message)
    }

    /// A complete Footer flatbuffer.
    static func footer(schema: Schema, recordBatches: [ArrowBlock]) -> [UInt8] {
        var builder = FlatBufferBuilder(capacity: 1024 + 24 * recordBatches.count)
        let schemaOffset = writeSchema(schema, into: &builder)
        func blocks(_ list: [ArrowBlock]) -> FlatBufferBuilder.Offset {
            builder.createVector(count: list.count, elementSize: 24, alignment: 8) { builder, index in
                builder.place(Int64(list[index].bodyLength))
                builder.pad(4)
                builder.place(Int32(list[index].metadataLength))
                builder.place(Int64(list[index].offset))
            }
        }
        let dictionaries = blocks([])
        let batches = blocks(recordBatches)
        builder.startTable()
        builder.add(slot: 0, ArrowFormat.metadataVersion)
        builder.add(slot: 1, offset: schemaOffset)
        builder.add(slot: 2, offset: dictionaries)
        builder.add(slot: 3, offset: batches)
        let footer = builder.endTable()
        return builder.finish(root: footer)
    }
}
