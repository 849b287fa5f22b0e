import Columnar
import Testing

@Suite struct CSVReaderTests {
    static let allTypes = Schema([
        Field("b", .boolean), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("f32", .float32), Field("f64", .float64), Field("d", .decimal128(precision: 5, scale: 2)),
        Field("day", .date32), Field("s", .utf8),
    ])

    func read(_ text: String, _ schema: Schema, _ options: CSVOptions = CSVOptions()) throws -> [[Value]] {
        let path = writeTemporaryFile(text)
        return allRows(try CSVReader(path: path, options: options, schema: schema).readAll())
    }

    /// The error reading `text`, rendered without the path.
    func failure(_ text: String, _ schema: Schema, _ options: CSVOptions = CSVOptions()) -> String? {
        let path = writeTemporaryFile(text)
        do {
            _ = try CSVReader(path: path, options: options, schema: schema).readAll()
            return nil
        } catch let error as CSVError {
            #expect(error.description.hasPrefix(path + ":"))
            return "\(error.line):\(error.column): \(error.message)"
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func parsesEveryType() throws {
        let text = """
            true,1,2,3,4,1.5,2.25,12.34,2024-02-29,hello
            f,-128,-32768,-2147483648,-9223372036854775808,-1e3,1e-2,-0.5,1970-01-01,"wor,ld"
            ,,,,,,,,,
             YES , +7 ,0,0,9223372036854775807,inf,-0.1,  3 ,0001-01-01,ünï
            """
        let rows = try read(text, Self.allTypes)
        #expect(rows.count == 4)
        #expect(rows[0] == [.boolean(true), .int8(1), .int16(2), .int32(3), .int64(4), .float32(1.5), .float64(2.25),
                            .decimal(1234, precision: 5, scale: 2), .date(Int32(DateFormat.days(year: 2024, month: 2, day: 29))),
                            .string("hello")])
        #expect(rows[1] == [.boolean(false), .int8(-128), .int16(-32768), .int32(Int32.min), .int64(Int64.min),
                            .float32(-1000), .float64(0.01), .decimal(-50, precision: 5, scale: 2), .date(0), .string("wor,ld")])
        #expect(rows[2] == Array(repeating: Value.null, count: 10))
        #expect(rows[3] == [.boolean(true), .int8(7), .int16(0), .int32(0), .int64(Int64.max), .float32(.infinity),
                            .float64(-0.1), .decimal(300, precision: 5, scale: 2),
                            .date(Int32(DateFormat.days(year: 1, month: 1, day: 1))), .string("ünï")])
    }

    @Test func parsesDoublesExactly() throws {
        let texts = ["0.1", "123456789.123456789", "1e308", "4.9e-324", "-0", "3.141592653589793", "1234567890123456789012",
                     "0.30000000000000004", "2.2250738585072014E-308", "  42  "]
        let rows = try read(texts.joined(separator: "\n"), Schema([Field("x", .float64)]))
        #expect(rows.map { $0[0] } == texts.map { .float64(Double($0.trimmingSpaces)!) })
    }

    @Test func roundsDecimalsHalfAwayFromZero() throws {
        let rows = try read("1.005\n-1.005\n1.004\n1e2\n.5\n007.10\n-0.001", Schema([Field("d", .decimal128(precision: 6, scale: 2))]))
        #expect(rows.map { $0[0] } == [101, -101, 100, 10000, 50, 710, 0].map { .decimal($0, precision: 6, scale: 2) })
    }

    @Test func parsesDecimalExponentsAndRejectsHugeValuesWithoutOverflow() throws {
        let rows = try read("1.5e1\n-2.5E-1\n0.0001e4\n5e-3\n0e99999\n", Schema([Field("d", .decimal128(precision: 6, scale: 2))]))
        #expect(rows.map { $0[0] } == [1500, -25, 100, 1, 0].map { .decimal($0, precision: 6, scale: 2) })
        let huge = String(repeating: "9", count: 45)
        let wide = Schema([Field("d", .decimal128(precision: 38, scale: 0))])
        #expect(try read(String(repeating: "9", count: 38), wide) == [[.decimal(DecimalFormat.powersOfTen[38] - 1, precision: 38, scale: 0)]])
        #expect(failure(huge + "\n", wide) == "1:1: value \"\(huge)\" is out of range for type DECIMAL(38,0)")
        #expect(failure("1e38\n", wide) == "1:1: value \"1e38\" is out of range for type DECIMAL(38,0)")
        #expect(failure("1e999999999999\n", wide) == "1:1: value \"1e999999999999\" is out of range for type DECIMAL(38,0)")
        #expect(failure("1e\n", wide) == "1:1: invalid input syntax for type numeric: \"1e\"")
        #expect(failure("-\n", wide) == "1:1: invalid input syntax for type numeric: \"-\"")
    }

    @Test func handlesQuotesEscapesAndLineBreaks() throws {
        let text = "\"a\"\"b\",\"x\r\ny\"\r\n\"\",plain\r\n\"with,comma\",\"\"\"\"\r\n"
        let rows = try read(text, Schema([Field("a", .utf8), Field("b", .utf8)]))
        #expect(rows == [[.string("a\"b"), .string("x\r\ny")], [.string(""), .string("plain")],
                         [.string("with,comma"), .string("\"")]])
    }

    @Test func handlesDistinctEscapeCharacter() throws {
        let options = CSVOptions(escape: UInt8(ascii: "\\"))
        let rows = try read(#""a\"b","c\\d","x\y""# + "\n", Schema([Field("a", .utf8), Field("b", .utf8), Field("c", .utf8)]), options)
        #expect(rows == [[.string("a\"b"), .string("c\\d"), .string("x\\y")]])
    }

    @Test func treatsOnlyUnquotedNullTextAsNull() throws {
        let schema = Schema([Field("a", .utf8), Field("b", .utf8), Field("c", .int32)])
        let defaultRows = try read("\"\",,\n", schema)
        #expect(defaultRows == [[.string(""), .null, .null]])
        let options = CSVOptions(nullString: "NULL")
        let rows = try read("NULL,\"NULL\",NULL\n,x,1\n", schema, options)
        #expect(rows == [[.null, .string("NULL"), .null], [.string(""), .string("x"), .int32(1)]])
    }

    @Test func skipsHeaderBlankLinesAndTrailingDelimiters() throws {
        let options = CSVOptions(hasHeader: true, delimiter: UInt8(ascii: "|"))
        let rows = try read("a|b\n1|x|\n\n2|y|\n", Schema([Field("a", .int64), Field("b", .utf8)]), options)
        #expect(rows == [[.int64(1), .string("x")], [.int64(2), .string("y")]])
    }

    @Test func readsWithoutFinalNewlineAndWithBOM() throws {
        let path = writeTemporaryFile([0xEF, 0xBB, 0xBF] + Array("1,2\n3,4".utf8))
        let rows = allRows(try CSVReader(path: path, options: CSVOptions(), schema: Schema([Field("a", .int16), Field("b", .int16)])).readAll())
        #expect(rows == [[.int16(1), .int16(2)], [.int16(3), .int16(4)]])
    }

    @Test func splitsIntoBatchesOfTheStandardSize() throws {
        let text = (0..<5000).map { "\($0),s\($0)" }.joined(separator: "\n")
        let path = writeTemporaryFile(text)
        let batches = try CSVReader(path: path, options: CSVOptions(), schema: Schema([Field("n", .int32), Field("s", .utf8)])).readAll()
        #expect(batches.map(\.rowCount) == [CSVReader.batchRowCount, CSVReader.batchRowCount, 5000 - 2 * CSVReader.batchRowCount])
        #expect(batches[2].rows.last == [.int32(4999), .string("s4999")])
        #expect(batches.allSatisfy { $0.columns[0].nullCount == 0 })
    }

    @Test func emptyFileHasNoBatches() throws {
        let path = writeTemporaryFile("")
        #expect(try CSVReader(path: path, options: CSVOptions(), schema: Schema([Field("a", .int32)])).readAll().isEmpty)
        let headerOnly = writeTemporaryFile("a\n")
        #expect(try CSVReader(path: headerOnly, options: CSVOptions(hasHeader: true), schema: Schema([Field("a", .int32)])).readAll().isEmpty)
    }

    // MARK: Errors

    @Test func reportsWrongFieldCounts() {
        let schema = Schema([Field("a", .int32), Field("b", .int32), Field("c", .int32)])
        #expect(failure("a,b,c\n1,2\n", schema, CSVOptions(hasHeader: true)) == "2:4: expected 3 fields, found 2")
        #expect(failure("1,2,3\n1,2,3,4\n", schema) == "2:7: expected 3 fields, found 4")
    }

    @Test func reportsBadValues() {
        let ints = Schema([Field("a", .int32), Field("b", .int32)])
        #expect(failure("1,2\n1,12x\n", ints) == "2:3: invalid input syntax for type integer: \"12x\"")
        #expect(failure("1,\"\"\n", ints) == "1:3: invalid input syntax for type integer: \"\"")
        #expect(failure("300\n", Schema([Field("t", .int8)])) == "1:1: value \"300\" is out of range for type tinyint")
        #expect(failure("9223372036854775808\n", Schema([Field("t", .int64)]))
                == "1:1: value \"9223372036854775808\" is out of range for type bigint")
        #expect(failure("x,2021-02-30\n", Schema([Field("s", .utf8), Field("d", .date32)]))
                == "1:3: invalid input syntax for type date: \"2021-02-30\"")
        #expect(failure("123.45\n", Schema([Field("d", .decimal128(precision: 4, scale: 2))]))
                == "1:1: value \"123.45\" is out of range for type DECIMAL(4,2)")
        #expect(failure("1.2.3\n", Schema([Field("d", .decimal128(precision: 4, scale: 2))]))
                == "1:1: invalid input syntax for type numeric: \"1.2.3\"")
        #expect(failure("maybe\n", Schema([Field("b", .boolean)])) == "1:1: invalid input syntax for type boolean: \"maybe\"")
        #expect(failure("1e\n", Schema([Field("f", .float64)])) == "1:1: invalid input syntax for type double precision: \"1e\"")
        #expect(failure("1e999\n", Schema([Field("f", .float64)])) == "1:1: value \"1e999\" is out of range for type double precision")
    }

    @Test func reportsTheFirstErrorInFileOrder() {
        let schema = Schema([Field("a", .int32), Field("b", .int32)])
        #expect(failure("1,2\n3,x\n4,5\ny,6\n", schema) == "2:3: invalid input syntax for type integer: \"x\"")
        #expect(failure("1,2\n3,x\n4,5,6\n", schema) == "2:3: invalid input syntax for type integer: \"x\"")
        #expect(failure("1,2\n3,4\n\"5,6\n", schema) == "3:1: unterminated quoted field")
        var sequential = try? CSVReader(path: writeTemporaryFile("1,2\n3,x\ny,6\n"), options: CSVOptions(), schema: schema)
        sequential?.decodesColumnsInParallel = false
        #expect { try sequential?.readAll() } throws: { error in
            (error as? CSVError).map { "\($0.line):\($0.column): \($0.message)" } == "2:3: invalid input syntax for type integer: \"x\""
        }
    }

    @Test func sequentialAndParallelDecodingAgree() throws {
        let text = (0..<3000).map { "\($0),\($0 % 7 == 0 ? "" : "v\($0)"),\(Double($0) / 4)" }.joined(separator: "\n")
        let path = writeTemporaryFile(text)
        let schema = Schema([Field("a", .int64), Field("b", .utf8), Field("c", .float64)])
        var reader = try CSVReader(path: path, options: CSVOptions(), schema: schema)
        let parallel = allRows(try reader.readAll())
        reader.decodesColumnsInParallel = false
        #expect(allRows(try reader.readAll()) == parallel)
        #expect(parallel.count == 3000 && parallel[7] == [.int64(7), .null, .float64(1.75)])
    }

    @Test func reportsNullsInNotNullColumns() {
        let schema = Schema([Field("a", .int32), Field("c", .utf8, isNullable: false)])
        #expect(failure("1,x\n2,\n", schema) == "2:3: null value in column \"c\" violates not-null constraint")
    }

    @Test func reportsUnterminatedQuotesAndJunkAfterQuotes() {
        let schema = Schema([Field("a", .int32), Field("b", .utf8)])
        #expect(failure("1,\"abc\n2,3\n", schema) == "1:3: unterminated quoted field")
        #expect(failure("1,\"abc\"x\n", schema) == "1:8: unexpected character after closing quote")
    }

    @Test func reportsInvalidUTF8() {
        let path = writeTemporaryFile(Array("1,ok\n2,ab".utf8) + [0xFF] + Array("\n".utf8))
        do {
            _ = try CSVReader(path: path, options: CSVOptions(), schema: Schema([Field("a", .int32), Field("s", .utf8)])).readAll()
            Issue.record("expected an error")
        } catch let error as CSVError {
            #expect(error.line == 2 && error.column == 3)
            #expect(error.message == "invalid UTF-8 byte sequence in column \"s\"")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func countsLinesInsideQuotedFieldsAndCharactersNotBytes() {
        let schema = Schema([Field("s", .utf8), Field("n", .int32)])
        #expect(failure("\"a\nb\",x\n", schema) == "2:4: invalid input syntax for type integer: \"x\"")
        #expect(failure("é,zz\n", schema) == "1:3: invalid input syntax for type integer: \"zz\"")
        #expect(failure("a,1\r\nb,2\r\nc,q\r\n", schema) == "3:3: invalid input syntax for type integer: \"q\"")
    }

    @Test func rendersErrorsLikeDiagnostics() {
        let error = CSVError(path: "file.csv", line: 3, column: 7, message: "expected 4 fields, found 3")
        #expect(error.description == "file.csv:3:7: expected 4 fields, found 3")
    }

    @Test func refusesIntervalColumnsAndMissingFiles() {
        #expect(throws: CSVError.self) { try CSVReader(path: writeTemporaryFile("1"), options: CSVOptions(), schema: Schema([Field("i", .interval)])) }
        #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/file.csv", options: CSVOptions(), schema: Schema([Field("i", .int32)])) }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
