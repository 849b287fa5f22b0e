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

    /// Decodes the columns at `columnIndices` of a record batch of a plain schema (no dictionary encoding).
    func recordBatch(_ metadata: ArrowRecordBatchMetadata, schema: Schema, columnIndices: [Int]?,
                     bodyStart: Int, bodyLength: Int, messageOffset: Int) throws -> RecordBatch {
        try recordBatch(metadata, layout: ArrowSchemaLayout(schema: schema, dictionaryEncodings: []), dictionaries: [:],
                        columnIndices: columnIndices, bodyStart: bodyStart, bodyLength: bodyLength, messageOffset: messageOffset)
    }

    /// Decodes the columns at `columnIndices` of a record batch whose body starts at `bodyStart`.
    /// Dictionary-encoded columns are decoded to plain columns of their values' type with `dictionaries`.
    func recordBatch(_ metadata: ArrowRecordBatchMetadata, layout: ArrowSchemaLayout, dictionaries: [Int64: Column],
                     columnIndices: [Int]?, bodyStart: Int, bodyLength: Int, messageOffset: Int) throws -> RecordBatch {
        let schema = layout.schema
        guard bodyStart >= 0, bodyLength >= 0, bodyStart <= regionSize, bodyLength <= regionSize - bodyStart else {
            throw error(messageOffset, "record batch body (\(bodyLength) bytes at \(bodyStart)) extends past the end of the data")
        }
        guard metadata.nodes.count == schema.fields.count else {
            throw error(messageOffset, "record batch has \(metadata.nodes.count) field nodes, the schema \(schema.fields.count) fields")
        }
        var firstBuffer: [Int] = []
        firstBuffer.reserveCapacity(schema.fields.count)
        var bufferCount = 0
        for index in schema.fields.indices {
            firstBuffer.append(bufferCount)
            bufferCount += layout.bufferCount(index)
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
            let locations = Array(metadata.buffers[start..<(start + layout.bufferCount(index))])
            fields.append(field)
            if let encoding = layout.encoding(index) {
                guard let dictionary = dictionaries[encoding.id] else {
                    throw error(messageOffset, "column \"\(field.name)\" refers to dictionary \(encoding.id), which the data does not define")
                }
                columns.append(try dictionaryColumn(field, encoding: encoding, dictionary: dictionary, node: node,
                                                    buffers: locations, bodyStart: bodyStart, bodyLength: bodyLength))
            } else {
                columns.append(try column(field, node: node, buffers: locations, bodyStart: bodyStart, bodyLength: bodyLength))
            }
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
            try self.load(location, minimumLength: minimumLength, what: what, field: field, count: count,
                          bodyStart: bodyStart, bodyLength: bodyLength)
        }
        let validity = try validityBuffer(field, node: node, buffers: buffers, bodyStart: bodyStart, bodyLength: bodyLength)
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

    /// Borrows (when 64-byte aligned) or copies one body buffer after checking it lies inside the body and
    /// holds at least `minimumLength` bytes.
    private func load(_ location: ArrowBufferLocation, minimumLength: Int, what: String, field: Field, count: Int,
                      bodyStart: Int, bodyLength: Int) throws -> Buffer {
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
            // A mapped file reads exactly this buffer's pages (the file is mapped for random access).
            (owner as? MappedFile)?.prefetch(offset: absolute, length: location.length)
            let capacity = Swift.min(Buffer.roundedUp(location.length), regionSize - absolute)
            return Buffer(borrowing: pointer, capacity: capacity, owner: owner)
        }
        let copy = Buffer(capacity: location.length)
        copy.pointer.copyMemory(from: pointer, byteCount: location.length)
        return copy
    }

    /// The validity bitmap of a column (buffer 0), nil when it has no nulls.
    private func validityBuffer(_ field: Field, node: ArrowFieldNode, buffers: [ArrowBufferLocation],
                                bodyStart: Int, bodyLength: Int) throws -> Buffer? {
        guard node.nullCount > 0, field.dataType != .null || !buffers.isEmpty else { return nil }
        guard let location = buffers.first, location.length > 0 else {
            throw error(bodyStart, "column \"\(field.name)\" has \(node.nullCount) nulls but no validity bitmap")
        }
        return try load(location, minimumLength: Bitmap.byteCount(forBits: node.length), what: "validity", field: field,
                        count: node.length, bodyStart: bodyStart, bodyLength: bodyLength)
    }

    /// Decodes a dictionary-encoded column (validity and integer indices) into a plain column of the
    /// dictionary's type. Every index of a non-null row is checked against the dictionary's size.
    private func dictionaryColumn(_ field: Field, encoding: ArrowDictionaryEncoding, dictionary: Column, node: ArrowFieldNode,
                                  buffers: [ArrowBufferLocation], bodyStart: Int, bodyLength: Int) throws -> Column {
        let count = node.length
        guard dictionary.dataType == field.dataType else {
            throw error(bodyStart, "column \"\(field.name)\": its dictionary holds \(dictionary.dataType), the schema says \(field.dataType)")
        }
        let validity = try validityBuffer(field, node: node, buffers: buffers, bodyStart: bodyStart, bodyLength: bodyLength)
        let width = encoding.indexBitWidth / 8
        let (needed, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw error(bodyStart, "column \"\(field.name)\": \(count) rows overflow") }
        let indexBuffer = try load(buffers[1], minimumLength: needed, what: "indices", field: field, count: count,
                                   bodyStart: bodyStart, bodyLength: bodyLength)
        // Positions in the dictionary, -1 for null rows.
        var positions = [Int](repeating: -1, count: count)
        let raw = UnsafeRawPointer(indexBuffer.pointer)
        let dictionaryCount = dictionary.count
        var totalBytes = 0
        for row in 0..<count {
            if let validity, !Bitmap.isSet(validity.pointer, row) { continue }
            let position: Int
            switch (encoding.indexBitWidth, encoding.isIndexSigned) {
            case (8, true): position = Int(raw.loadUnaligned(fromByteOffset: row, as: Int8.self))
            case (8, false): position = Int(raw.loadUnaligned(fromByteOffset: row, as: UInt8.self))
            case (16, true): position = Int(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: row * 2, as: Int16.self)))
            case (16, false): position = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: row * 2, as: UInt16.self)))
            case (32, true): position = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: row * 4, as: Int32.self)))
            case (32, false): position = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: row * 4, as: UInt32.self)))
            case (_, true): position = Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: row * 8, as: Int64.self)))
            default:
                let value = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: row * 8, as: UInt64.self))
                position = value > UInt64(Int.max) ? -1 : Int(value)
            }
            guard position >= 0, position < dictionaryCount else {
                throw error(bodyStart + buffers[1].offset, "column \"\(field.name)\": dictionary index \(position) at row \(row) is outside the \(dictionaryCount)-entry dictionary")
            }
            positions[row] = position
            if field.dataType == .utf8, !dictionary.isNull(position) {
                totalBytes += dictionary.stringBytes(at: position).count
                guard totalBytes <= Int(Int32.max) else {
                    throw error(bodyStart, "column \"\(field.name)\": decoded strings exceed 2 GiB in one batch")
                }
            }
        }
        var builder = ColumnBuilder(field.dataType, capacity: count)
        for position in positions {
            if position < 0 {
                builder.appendNull()
            } else {
                builder.append(from: dictionary, index: position)
            }
        }
        return builder.finish()
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
