import Columnar
import Testing

@Suite struct CSVInferenceTests {
    @Test func infersTypesFromHeaderFile() throws {
        let path = writeTemporaryFile("""
            id,name,price,day,flag,empty,mixed
            1,a,1.5,2020-01-01,true,,1
            2,,2,2020-01-02,FALSE,,x
            007,c,-3e2,2020-12-31,true,,2
            """)
        let schema = try CSVReader.inferSchema(path: path, options: CSVOptions(hasHeader: true))
        #expect(schema == Schema([Field("id", .int64), Field("name", .utf8), Field("price", .float64), Field("day", .date32),
                                  Field("flag", .boolean), Field("empty", .utf8), Field("mixed", .utf8)]))
        let rows = allRows(try CSVReader(path: path, options: CSVOptions(hasHeader: true), schema: schema).readAll())
        #expect(rows[2] == [.int64(7), .string("c"), .float64(-300), .date(Int32(DateFormat.days(year: 2020, month: 12, day: 31))),
                            .boolean(true), .null, .string("2")])
    }

    @Test func namesColumnsWithoutHeader() throws {
        let path = writeTemporaryFile("1,2.5\n3,4\n")
        let schema = try CSVReader.inferSchema(path: path, options: CSVOptions())
        #expect(schema == Schema([Field("column0", .int64), Field("column1", .float64)]))
    }

    @Test func sniffDetectsHeaders() throws {
        let withHeader = writeTemporaryFile("a,b\n1,x\n2,y\n")
        let sniffed = try CSVReader.sniff(path: withHeader, options: CSVOptions())
        #expect(sniffed.hasHeader)
        #expect(sniffed.schema == Schema([Field("a", .int64), Field("b", .utf8)]))
        let withoutHeader = writeTemporaryFile("0,x\n1,x\n2,y\n")
        let plain = try CSVReader.sniff(path: withoutHeader, options: CSVOptions())
        #expect(!plain.hasHeader)
        #expect(plain.schema == Schema([Field("column0", .int64), Field("column1", .utf8)]))
    }

    @Test func deduplicatesAndFillsHeaderNames() throws {
        let path = writeTemporaryFile("a,a,\n1,2,3\n")
        let schema = try CSVReader.inferSchema(path: path, options: CSVOptions(hasHeader: true))
        #expect(schema.fields.map(\.name) == ["a", "a_1", "column2"])
    }

    @Test func inferenceHonorsSampleSizeAndReportsRaggedRows() throws {
        let path = writeTemporaryFile("1\n2\nx\n")
        #expect(try CSVReader.inferSchema(path: path, options: CSVOptions(), sampleRows: 1).fields[0].dataType == .int64)
        #expect(try CSVReader.inferSchema(path: path, options: CSVOptions()).fields[0].dataType == .utf8)
        let ragged = writeTemporaryFile("a,b\n1\n")
        #expect(throws: CSVError(path: ragged, line: 2, column: 2, message: "expected 2 fields, found 1")) {
            try CSVReader.inferSchema(path: ragged, options: CSVOptions(hasHeader: true))
        }
        #expect(throws: CSVError.self) { try CSVReader.inferSchema(path: writeTemporaryFile(""), options: CSVOptions()) }
    }
}

@Suite struct CSVWriterTests {
    @Test func roundTripsEveryTypeAndTrickyStrings() throws {
        let schema = Schema([Field("b", .boolean), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32),
                             Field("i64", .int64), Field("f32", .float32), Field("f64", .float64),
                             Field("d", .decimal128(precision: 38, scale: 4)), Field("day", .date32), Field("s", .utf8)])
        let strings: [Value] = [.string("plain"), .string("with,comma"), .string("quote\"inside"), .string("line\nbreak"),
                                .string(""), .string(" padded "), .null, .string("crlf\r\n")]
        let count = strings.count
        func values(_ make: (Int) -> Value) -> [Value] { (0..<count).map { $0 == 6 ? .null : make($0) } }
        let columns = [
            makeColumn(.boolean, values { .boolean($0 % 2 == 0) }),
            makeColumn(.int8, values { .int8(Int8($0) - 100) }),
            makeColumn(.int16, values { .int16(Int16($0) * -1000) }),
            makeColumn(.int32, values { .int32(Int32($0) * 123_456) }),
            makeColumn(.int64, values { .int64($0 == 0 ? Int64.min : Int64($0) * 1_000_000_000_000) }),
            makeColumn(.float32, values { .float32(Float($0) / 10) }),
            makeColumn(.float64, values { .float64($0 == 0 ? 0.1 + 0.2 : -Double($0) * 1e-7) }),
            makeColumn(.decimal128(precision: 38, scale: 4), values {
                .decimal($0 == 0 ? -(DecimalFormat.powersOfTen[38] - 1) : Int128($0) * 12345 - 5, precision: 38, scale: 4)
            }),
            makeColumn(.date32, values { .date(Int32($0 * 1000 - 3000)) }),
            makeColumn(.utf8, strings),
        ]
        let batch = RecordBatch(schema: schema, columns: columns, rowCount: count)
        let directory = makeTemporaryDirectory()
        for options in [CSVOptions(hasHeader: true), CSVOptions(delimiter: UInt8(ascii: "|"), nullString: "NULL"),
                        CSVOptions(hasHeader: true, escape: UInt8(ascii: "\\"))] {
            let path = directory + "/out.csv"
            try CSVWriter.write([batch, batch], schema: schema, to: path, options: options)
            let back = try CSVReader(path: path, options: options, schema: schema).readAll()
            #expect(allRows(back) == batch.rows + batch.rows)
        }
    }

    @Test func writesQuotedFieldsOnlyWhenNeeded() throws {
        let schema = Schema([Field("name", .utf8), Field("n", .int32)])
        let batch = RecordBatch(schema: schema, columns: [
            makeColumn(.utf8, [.string("a"), .string("b,c"), .string("say \"hi\""), .string(""), .null]),
            makeColumn(.int32, [.int32(1), .int32(-2), .null, .int32(0), .int32(5)]),
        ], rowCount: 5)
        let path = makeTemporaryDirectory() + "/out.csv"
        try CSVWriter.write([batch], schema: schema, to: path, options: CSVOptions(hasHeader: true))
        let text = String(decoding: readFileBytes(path), as: UTF8.self)
        #expect(text == "name,n\na,1\n\"b,c\",-2\n\"say \"\"hi\"\"\",\n\"\",0\n,5\n")
    }
}
