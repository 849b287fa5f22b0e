import Columnar
import Testing

@Suite struct ArrowIPCTests {
    static let schema = Schema([
        Field("n", .null), Field("b", .boolean), Field("i8", .int8), Field("i16", .int16, isNullable: false),
        Field("i32", .int32), Field("i64", .int64), Field("f32", .float32), Field("f64", .float64),
        Field("d", .decimal128(precision: 20, scale: 3)), Field("day", .date32), Field("iv", .interval), Field("s", .utf8),
    ])

    /// A batch of every type; every third row null except in the NOT NULL column.
    static func batch(rows: Int, seed: Int = 0) -> RecordBatch {
        func values(_ make: (Int) -> Value) -> [Value] { (0..<rows).map { $0 % 3 == 1 ? .null : make($0 + seed) } }
        let columns = [
            Column.nulls(.null, count: rows),
            makeColumn(.boolean, values { .boolean($0 % 2 == 0) }),
            makeColumn(.int8, values { .int8(Int8(truncatingIfNeeded: $0)) }),
            makeColumn(.int16, (0..<rows).map { .int16(Int16(truncatingIfNeeded: $0 * 7 + seed)) }),
            makeColumn(.int32, values { .int32(Int32($0) * -3) }),
            makeColumn(.int64, values { .int64(Int64($0) << 40) }),
            makeColumn(.float32, values { .float32(Float($0) * 0.5) }),
            makeColumn(.float64, values { .float64(Double($0) / 3) }),
            makeColumn(.decimal128(precision: 20, scale: 3), values { .decimal(Int128($0) * 1_000_000_007 - 5, precision: 20, scale: 3) }),
            makeColumn(.date32, values { .date(Int32($0) - 500) }),
            makeColumn(.interval, values { .interval(IntervalValue(months: Int32($0), days: -Int32($0), nanoseconds: Int64($0) * 1_000)) }),
            makeColumn(.utf8, values { $0 % 5 == 0 ? .string("") : .string("row \($0) ✓") }),
        ]
        return RecordBatch(schema: schema, columns: columns, rowCount: rows)
    }

    @Test func fileRoundTripsEveryTypeWithNullsAndEmptyBatches() throws {
        let batches = [Self.batch(rows: 100), Self.batch(rows: 0), Self.batch(rows: 1, seed: 5), Self.batch(rows: 2048, seed: 9)]
        let path = makeTemporaryDirectory() + "/t.arrow"
        try ArrowFileWriter.write(batches, schema: Self.schema, to: path)
        let reader = try ArrowFileReader(path: path)
        #expect(reader.schema == Self.schema)
        #expect(reader.recordBatchCount == 4)
        #expect(try reader.rowCount() == 2149)
        for (index, batch) in batches.enumerated() {
            let read = try reader.recordBatch(at: index)
            #expect(read.rowCount == batch.rowCount)
            #expect(read.rows == batch.rows)
            #expect(read.columns.map(\.nullCount) == batch.columns.map(\.nullCount))
        }
    }

    @Test func readsSelectedColumnsInRequestedOrder() throws {
        let batch = Self.batch(rows: 10)
        let path = makeTemporaryDirectory() + "/t.arrow"
        try ArrowFileWriter.write([batch], schema: Self.schema, to: path)
        let read = try ArrowFileReader(path: path).recordBatch(at: 0, columnIndices: [11, 4])
        #expect(read.schema == Schema([Self.schema.fields[11], Self.schema.fields[4]]))
        #expect(read.rows == batch.rows.map { [$0[11], $0[4]] })
        #expect(throws: ArrowIPCError.self) { try ArrowFileReader(path: path).recordBatch(at: 0, columnIndices: [12]) }
        #expect(throws: ArrowIPCError.self) { try ArrowFileReader(path: path).recordBatch(at: 1) }
    }

    @Test func zeroRowTable() throws {
        let path = makeTemporaryDirectory() + "/empty.arrow"
        try ArrowFileWriter.write([], schema: Self.schema, to: path)
        let reader = try ArrowFileReader(path: path)
        #expect(reader.schema == Self.schema)
        #expect(reader.recordBatchCount == 0)
        let noColumns = makeTemporaryDirectory() + "/nothing.arrow"
        try ArrowFileWriter.write([], schema: Schema([]), to: noColumns)
        #expect(try ArrowFileReader(path: noColumns).schema == Schema([]))
    }

    @Test func readColumnsBorrowTheMapping() throws {
        let batch = Self.batch(rows: 300)
        let path = makeTemporaryDirectory() + "/t.arrow"
        try ArrowFileWriter.write([batch], schema: Self.schema, to: path)
        let reader = try ArrowFileReader(path: path)
        let read = try reader.recordBatch(at: 0)
        let mapping = reader.mappedBytes
        let start = UInt(bitPattern: mapping.baseAddress!)
        func inside(_ buffer: Buffer?) -> Bool {
            guard let buffer else { return false }
            let address = UInt(bitPattern: buffer.pointer)
            return address >= start && address < start + UInt(mapping.count) && address % 64 == 0
        }
        for column in read.columns where column.dataType != .null {
            #expect(inside(column.values), "values of \(column.dataType)")
            if column.nullCount > 0 { #expect(inside(column.validity)) }
        }
        #expect(inside(read.columns[11].data))
        // The mapping outlives the reader: columns keep it alive.
        let column = try ArrowFileReader(path: path).recordBatch(at: 0, columnIndices: [11]).columns[0]
        #expect(column.string(at: 2) == "row 2 ✓")
    }

    @Test func streamRoundTrip() throws {
        let batches = [Self.batch(rows: 7), Self.batch(rows: 0), Self.batch(rows: 3000, seed: 1)]
        let bytes = try ArrowStreamWriter.serialize(batches, schema: Self.schema)
        #expect(Array(bytes.suffix(8)) == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
        let stream = try ArrowStreamReader(bytes: bytes)
        #expect(stream.schema == Self.schema)
        #expect(stream.recordBatches.map(\.rows) == batches.map(\.rows))
        let path = makeTemporaryDirectory() + "/t.arrows"
        try ArrowStreamWriter.write(batches, schema: Self.schema, to: path)
        #expect(try ArrowStreamReader(path: path).recordBatches.map(\.rowCount) == [7, 0, 3000])
    }

    @Test func fileLayoutFollowsTheSpec() throws {
        let path = makeTemporaryDirectory() + "/t.arrow"
        try ArrowFileWriter.write([Self.batch(rows: 5)], schema: Self.schema, to: path)
        let bytes = readFileBytes(path)
        #expect(Array(bytes.prefix(8)) == Array("ARROW1".utf8) + [0, 0])
        #expect(Array(bytes.suffix(6)) == Array("ARROW1".utf8))
        #expect(Array(bytes[8..<12]) == [0xFF, 0xFF, 0xFF, 0xFF])
        // The metadata length after the continuation marker is a multiple of 8.
        let metadataLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        #expect(metadataLength % 8 == 0)
    }

    @Test func slicedStringColumnsAreRebasedOnWrite() throws {
        let strings = makeColumn(.utf8, [.string("alpha"), .string("beta"), .null, .string("gamma")])
        let offsets = Buffer(capacity: 3 * 4)
        offsets.typed(Int32.self)[0] = 5
        offsets.typed(Int32.self)[1] = 9
        offsets.typed(Int32.self)[2] = 9
        // A column viewing rows 1...2 of `strings` without copying, offsets starting at 5.
        let validity = Buffer(capacity: 1)
        Bitmap.set(validity.pointer, 0)
        let view = Column(dataType: .utf8, count: 2, nullCount: 1, validity: validity, values: offsets, data: strings.data)
        let schema = Schema([Field("s", .utf8)])
        let path = makeTemporaryDirectory() + "/t.arrow"
        try ArrowFileWriter.write([RecordBatch(schema: schema, columns: [view], rowCount: 2)], schema: schema, to: path)
        #expect(try ArrowFileReader(path: path).recordBatch(at: 0).rows == [[.string("beta")], [.null]])
    }

    @Test func writerRejectsMismatchedBatches() throws {
        let path = makeTemporaryDirectory() + "/t.arrow"
        var writer = try ArrowFileWriter(path: path, schema: Schema([Field("a", .int32)]))
        let wrong = RecordBatch(schema: Schema([Field("a", .int64)]), columns: [makeColumn(.int64, [.int64(1)])], rowCount: 1)
        #expect(throws: ArrowIPCError.self) { try writer.write(wrong) }
        try writer.finish()
        #expect(throws: ArrowIPCError.self) { try ArrowFileWriter(path: "/nonexistent/dir/x.arrow", schema: Schema([])) }
    }
}
