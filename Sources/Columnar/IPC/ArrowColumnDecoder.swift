/// Builds `Column`s from the buffers of a record batch body inside a region of memory (a mapped file or a
/// stream's bytes). Buffers that are 64-byte aligned are borrowed (zero copy, `owner` keeps the memory
/// alive); others are copied into aligned buffers. Every location and length is checked against the body
/// and the layout's needs before any byte is touched.
struct ArrowColumnDecoder {
    let path: String
    /// The whole region; offsets in errors are relative to its start.
    let region: UnsafeMutableRawPointer
    let regionSize: Int
    /// Keeps `region` alive for borrowing buffers.
    let owner: AnyObject

    func error(_ offset: Int, _ message: String) -> ArrowIPCError {
        ArrowIPCError(path: path, offset: offset, message: message)
    }

    /// Decodes the columns at `columnIndices` of a record batch whose body starts at `bodyStart`.
    func recordBatch(_ metadata: ArrowRecordBatchMetadata, schema: Schema, columnIndices: [Int]?,
                     bodyStart: Int, bodyLength: Int, messageOffset: Int) throws -> RecordBatch {
        guard bodyStart >= 0, bodyLength >= 0, bodyStart <= regionSize, bodyLength <= regionSize - bodyStart else {
            throw error(messageOffset, "record batch body (\(bodyLength) bytes at \(bodyStart)) extends past the end of the data")
        }
        guard metadata.nodes.count == schema.fields.count else {
            throw error(messageOffset, "record batch has \(metadata.nodes.count) field nodes, the schema \(schema.fields.count) fields")
        }
        var firstBuffer: [Int] = []
        firstBuffer.reserveCapacity(schema.fields.count)
        var bufferCount = 0
        for field in schema.fields {
            firstBuffer.append(bufferCount)
            bufferCount += ArrowFormat.bufferCount(field.dataType)
        }
        guard metadata.buffers.count == bufferCount else {
            throw error(messageOffset, "record batch has \(metadata.buffers.count) buffers, the schema needs \(bufferCount)")
        }
        let indices = columnIndices ?? Array(schema.fields.indices)
        var fields: [Field] = []
        var columns: [Column] = []
        fields.reserveCapacity(indices.count)
        columns.reserveCapacity(indices.count)
        for index in indices {
            guard index >= 0, index < schema.fields.count else {
                throw error(messageOffset, "column index \(index) is out of range (the schema has \(schema.fields.count) columns)")
            }
            let field = schema.fields[index]
            let node = metadata.nodes[index]
            guard node.length == metadata.length else {
                throw error(messageOffset, "column \"\(field.name)\" has \(node.length) rows, the record batch \(metadata.length)")
            }
            let start = firstBuffer[index]
            let locations = metadata.buffers[start..<(start + ArrowFormat.bufferCount(field.dataType))]
            fields.append(field)
            columns.append(try column(field, node: node, buffers: Array(locations), bodyStart: bodyStart, bodyLength: bodyLength))
        }
        return RecordBatch(schema: Schema(fields), columns: columns, rowCount: metadata.length)
    }

    private func column(_ field: Field, node: ArrowFieldNode, buffers: [ArrowBufferLocation],
                        bodyStart: Int, bodyLength: Int) throws -> Column {
        let count = node.length
        let type = field.dataType
        if type == .null {
            return Column(dataType: .null, count: count, nullCount: count, validity: nil, values: nil)
        }
        func load(_ location: ArrowBufferLocation, minimumLength: Int, what: String) throws -> Buffer {
            guard location.offset <= bodyLength, location.length <= bodyLength - location.offset else {
                throw error(bodyStart, "column \"\(field.name)\": \(what) buffer (\(location.length) bytes at body offset \(location.offset)) lies outside the \(bodyLength)-byte body")
            }
            guard location.length >= minimumLength else {
                throw error(bodyStart + location.offset, "column \"\(field.name)\": \(what) buffer has \(location.length) bytes, \(minimumLength) needed for \(count) rows")
            }
            let absolute = bodyStart + location.offset
            let pointer = region + absolute
            if location.length == 0 { return Buffer(capacity: 0) }
            if Int(bitPattern: pointer) % Buffer.alignment == 0 {
                let capacity = Swift.min(Buffer.roundedUp(location.length), regionSize - absolute)
                return Buffer(borrowing: pointer, capacity: capacity, owner: owner)
            }
            let copy = Buffer(capacity: location.length)
            copy.pointer.copyMemory(from: pointer, byteCount: location.length)
            return copy
        }
        var validity: Buffer?
        if node.nullCount > 0 {
            guard buffers[0].length > 0 else {
                throw error(bodyStart, "column \"\(field.name)\" has \(node.nullCount) nulls but no validity bitmap")
            }
            validity = try load(buffers[0], minimumLength: Bitmap.byteCount(forBits: count), what: "validity")
        }
        switch type {
        case .null:
            return Column(dataType: .null, count: count, nullCount: count, validity: nil, values: nil)
        case .boolean:
            let values = try load(buffers[1], minimumLength: Bitmap.byteCount(forBits: count), what: "values")
            return Column(dataType: type, count: count, nullCount: node.nullCount, validity: validity, values: values)
        case .utf8:
            let offsets: Buffer
            if count == 0 && buffers[1].length < 4 {
                offsets = Buffer(capacity: 4)
            } else {
                offsets = try load(buffers[1], minimumLength: (count + 1) * 4, what: "offsets")
            }
            let data = try load(buffers[2], minimumLength: 0, what: "data")
            try checkOffsets(offsets.typed(Int32.self), count: count, dataLength: buffers[2].length,
                             field: field, offset: bodyStart + buffers[1].offset)
            return Column(dataType: type, count: count, nullCount: node.nullCount, validity: validity, values: offsets, data: data)
        default:
            let width = type.byteWidth ?? 0
            let (needed, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow else { throw error(bodyStart, "column \"\(field.name)\": \(count) rows overflow") }
            let values = try load(buffers[1], minimumLength: needed, what: "values")
            return Column(dataType: type, count: count, nullCount: node.nullCount, validity: validity, values: values)
        }
    }

    /// Checks that string offsets are non-negative, non-decreasing and inside the data buffer.
    private func checkOffsets(_ offsets: UnsafeMutablePointer<Int32>, count: Int, dataLength: Int,
                              field: Field, offset: Int) throws {
        var previous = offsets[0]
        var valid = previous >= 0
        if valid {
            for index in 1..<(count + 1) {
                let current = offsets[index]
                valid = valid && current >= previous
                previous = current
            }
        }
        guard valid, Int(previous) <= dataLength else {
            throw error(offset, "column \"\(field.name)\": string offsets are out of order or point outside the \(dataLength)-byte data buffer")
        }
    }
}
