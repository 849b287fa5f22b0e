import Columnar
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ArrowIPCRobustnessTests {
    static let expectedTypesSchema = Schema([
        Field("b", .boolean), Field("i8", .int8), Field("i64", .int64), Field("f64", .float64),
        Field("d", .decimal128(precision: 5, scale: 2)), Field("day", .date32), Field("s", .utf8),
    ])
    static let expectedRows: [[Value]] = [
        [.boolean(true), .int8(1), .null, .float64(1.5), .decimal(123, precision: 5, scale: 2),
         .date(Int32(DateFormat.days(year: 2020, month: 1, day: 1))), .string("x")],
        [.null, .int8(-2), .int64(1 << 40), .null, .null, .null, .null],
        [.boolean(false), .null, .int64(-5), .float64(-0.25), .decimal(-450, precision: 5, scale: 2), .date(-1), .string("hello")],
    ]

    /// Opens a file and touches every value of every batch.
    @discardableResult
    func readEverything(_ path: String) throws -> [[Value]] {
        let reader = try ArrowFileReader(path: path)
        var rows: [[Value]] = []
        for index in 0..<reader.recordBatchCount { rows += try reader.recordBatch(at: index).rows }
        return rows
    }

    @Test func readsPyarrowFilesIncludingSlicedBatches() throws {
        let path = writeTemporaryFile(ArrowFixtures.pyarrowTypesFile, name: "types.arrow")
        let reader = try ArrowFileReader(path: path)
        #expect(reader.schema == Self.expectedTypesSchema)
        #expect(reader.recordBatchCount == 2)
        #expect(try reader.recordBatch(at: 0).rows == Self.expectedRows)
        #expect(try reader.recordBatch(at: 1).rows == Array(Self.expectedRows[1...2]))
        let stream = try ArrowStreamReader(bytes: ArrowFixtures.pyarrowTypesStream)
        #expect(stream.recordBatches.flatMap(\.rows) == Self.expectedRows)
    }

    @Test func rejectsUnsupportedTypes() {
        let timestamp = writeTemporaryFile(ArrowFixtures.pyarrowTimestampFile, name: "ts.arrow")
        #expect { try ArrowFileReader(path: timestamp) } throws: { error in
            (error as? ArrowIPCError)?.message == "field \"ts\": unsupported Arrow type Timestamp"
        }
    }

    @Test func decodesDictionaryEncodedStrings() throws {
        let path = writeTemporaryFile(ArrowFixtures.pyarrowDictionaryFile, name: "dict.arrow")
        let reader = try ArrowFileReader(path: path)
        #expect(reader.schema == Schema([Field("dict", .utf8)]))
        #expect(try reader.readAll().flatMap(\.rows) == [[.string("a")], [.string("b")], [.string("a")]])
        #expect(try ArrowIPCFile.readBatches(path: path).flatMap(\.rows).count == 3)
    }

    @Test func rejectsWrongMagicAndNamesTheFile() {
        let path = writeTemporaryFile("PARQUET1 not arrow at all, but long enough", name: "x.arrow")
        #expect { try ArrowFileReader(path: path) } throws: { error in
            let failure = error as? ArrowIPCError
            return failure?.path == path && failure?.offset == 0 && failure?.description.hasPrefix(path + ": at byte 0: ") == true
        }
        #expect(throws: ArrowIPCError.self) { try ArrowFileReader(path: "/nonexistent/x.arrow") }
    }

    @Test func truncatedFilesThrow() throws {
        let directory = makeTemporaryDirectory()
        let source = directory + "/full.arrow"
        try ArrowFileWriter.write([ArrowIPCTests.batch(rows: 50), ArrowIPCTests.batch(rows: 20, seed: 3)],
                                  schema: ArrowIPCTests.schema, to: source)
        let bytes = readFileBytes(source)
        for length in stride(from: 0, to: bytes.count, by: 97) {
            let path = directory + "/cut.arrow"
            _ = writeTemporaryFileAt(path, Array(bytes[0..<length]))
            #expect(throws: ArrowIPCError.self, "truncated at \(length)") { try readEverything(path) }
        }
        let stream = try ArrowStreamWriter.serialize([ArrowIPCTests.batch(rows: 30)], schema: ArrowIPCTests.schema)
        for length in stride(from: 0, to: stream.count, by: 97) {
            _ = try? ArrowStreamReader(bytes: Array(stream[0..<length])).recordBatches.map(\.rows)
        }
    }

    @Test func flippedBytesNeverCrash() throws {
        let directory = makeTemporaryDirectory()
        let ours = directory + "/ours.arrow"
        try ArrowFileWriter.write([ArrowIPCTests.batch(rows: 40)], schema: ArrowIPCTests.schema, to: ours)
        for original in [readFileBytes(ours), ArrowFixtures.pyarrowTypesFile, ArrowFixtures.pyarrowDictionaryFile] {
            var failures = 0
            var attempts = 0
            let path = directory + "/flipped.arrow"
            for position in stride(from: 0, to: original.count, by: 5) {
                for pattern: UInt8 in [0xFF, 0x01] {
                    var bytes = original
                    bytes[position] ^= pattern
                    _ = writeTemporaryFileAt(path, bytes)
                    attempts += 1
                    do { try readEverything(path) } catch { failures += 1 }
                }
            }
            // Damage to data bytes can still leave a readable file; damage to metadata must not.
            #expect(failures > 0 && attempts >= failures)
        }
        for position in stride(from: 0, to: ArrowFixtures.pyarrowTypesStream.count, by: 3) {
            var bytes = ArrowFixtures.pyarrowTypesStream
            bytes[position] ^= 0xFF
            _ = try? ArrowStreamReader(bytes: bytes).recordBatches.map(\.rows)
        }
    }

    @Test func hugeMetadataLengthsAndOffsetsThrow() throws {
        let path = makeTemporaryDirectory() + "/t.arrow"
        try ArrowFileWriter.write([ArrowIPCTests.batch(rows: 3)], schema: ArrowIPCTests.schema, to: path)
        var bytes = readFileBytes(path)
        // Footer length pointing before the start of the file.
        let footerLengthAt = bytes.count - 10
        for (index, byte) in [UInt8](arrayLiteral: 0xFF, 0xFF, 0xFF, 0x7F).enumerated() { bytes[footerLengthAt + index] = byte }
        _ = writeTemporaryFileAt(path, bytes)
        #expect { try ArrowFileReader(path: path) } throws: { error in
            (error as? ArrowIPCError)?.offset == footerLengthAt
        }
    }
}

/// Writes bytes to `path` (replacing it).
@discardableResult
func writeTemporaryFileAt(_ path: String, _ bytes: [UInt8]) -> String {
    let file = fopen(path, "wb")!
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    return path
}
