import Columnar
import Testing

/// Thousands of random mutations (bit flips, overwritten bytes and integers, truncations, cut-out chunks) of
/// Arrow IPC files and streams, ours and pyarrow's, including dictionary-encoded ones: reading must either
/// succeed or throw an `ArrowIPCError`, never crash or throw anything else.
@Suite struct ArrowIPCFuzzTests {
    /// A small deterministic generator (xorshift64*), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    }

    enum Mutation: CaseIterable {
        case flipBits, setByte, setInteger, truncate, cutChunk
    }

    static func mutate(_ original: [UInt8], _ random: inout Generator) -> (bytes: [UInt8], mutation: Mutation) {
        var bytes = original
        let mutation = Mutation.allCases[random.below(Mutation.allCases.count)]
        switch mutation {
        case .flipBits:
            for _ in 0...random.below(3) {
                bytes[random.below(bytes.count)] ^= UInt8(1) << UInt8(random.below(8))
            }
        case .setByte:
            let values: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, UInt8(truncatingIfNeeded: random.next())]
            bytes[random.below(bytes.count)] = values[random.below(values.count)]
        case .setInteger:
            let values: [UInt32] = [0, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, UInt32(truncatingIfNeeded: random.next()), 1, 64]
            let value = values[random.below(values.count)]
            let position = random.below(max(1, bytes.count - 4))
            for index in 0..<4 where position + index < bytes.count {
                bytes[position + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))
            }
        case .truncate:
            bytes = Array(bytes[0..<random.below(bytes.count)])
        case .cutChunk:
            let start = random.below(bytes.count)
            let length = 1 + random.below(min(64, bytes.count - start))
            bytes.removeSubrange(start..<(start + length))
        }
        return (bytes, mutation)
    }

    /// Small batches of every type (so that most mutations land in metadata), including an empty one.
    static func oursFile(directory: String) throws -> [UInt8] {
        let path = directory + "/ours.arrow"
        try ArrowFileWriter.write([ArrowIPCTests.batch(rows: 7), ArrowIPCTests.batch(rows: 0), ArrowIPCTests.batch(rows: 3, seed: 2)],
                                  schema: ArrowIPCTests.schema, to: path)
        return readFileBytes(path)
    }

    @Test func mutatedFilesThrowIPCErrorsOrRead() throws {
        let directory = makeTemporaryDirectory()
        let corpus: [(String, [UInt8])] = [
            ("ours", try Self.oursFile(directory: directory)),
            ("pyarrow types", ArrowFixtures.pyarrowTypesFile),
            ("pyarrow dictionary", ArrowFixtures.pyarrowDictionaryFile),
            ("pyarrow dictionary deltas", ArrowDictionaryFixtures.deltaFile),
        ]
        var random = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var attempts = 0, failures = 0
        let path = directory + "/mutated.arrow"
        for (name, original) in corpus {
            for _ in 0..<800 {
                let (bytes, mutation) = Self.mutate(original, &random)
                writeTemporaryFileAt(path, bytes)
                attempts += 1
                do {
                    let reader = try ArrowFileReader(path: path)
                    for index in 0..<reader.recordBatchCount { _ = try reader.recordBatch(at: index).rows }
                    _ = try ArrowIPCFile.readBatches(path: path).map(\.rows)
                    #expect(mutation != .truncate || bytes.count == original.count, "\(name): a truncated file was read")
                } catch is ArrowIPCError {
                    failures += 1
                } catch {
                    Issue.record("\(name), \(mutation): unexpected error \(error)")
                }
            }
        }
        #expect(attempts == 3200)
        #expect(failures > attempts / 4)
    }

    @Test func mutatedStreamsThrowIPCErrorsOrRead() throws {
        let ours = try ArrowStreamWriter.serialize([ArrowIPCTests.batch(rows: 5), ArrowIPCTests.batch(rows: 0)],
                                                   schema: ArrowIPCTests.schema)
        let corpus: [(String, [UInt8])] = [
            ("ours", ours),
            ("pyarrow types", ArrowFixtures.pyarrowTypesStream),
            ("pyarrow replacement dictionary", ArrowDictionaryFixtures.replacementStream),
        ]
        var random = Generator(state: 0x0123_4567_89AB_CDEF)
        var attempts = 0
        for (name, original) in corpus {
            for _ in 0..<700 {
                let (bytes, mutation) = Self.mutate(original, &random)
                attempts += 1
                do {
                    _ = try ArrowStreamReader(bytes: bytes).recordBatches.map(\.rows)
                } catch is ArrowIPCError {
                } catch {
                    Issue.record("\(name), \(mutation): unexpected error \(error)")
                }
            }
        }
        #expect(attempts == 2100)
    }

    @Test func dictionaryDeltasAndReplacementsDecode() throws {
        let path = writeTemporaryFile(ArrowDictionaryFixtures.deltaFile, name: "delta.arrow")
        let reader = try ArrowFileReader(path: path)
        #expect(reader.schema == Schema([Field("k", .utf8), Field("n", .int32)]))
        #expect(reader.recordBatchCount == 2)
        let keys: [Value] = ["x", "yy", nil, "x", "zzz", "x", "yy"].map { $0.map(Value.string) ?? .null }
        let numbers: [Value] = [1, 2, 3, 4, 5, nil, 7].map { $0.map { Value.int32(Int32($0)) } ?? .null }
        #expect(try reader.readAll().flatMap(\.rows) == zip(keys, numbers).map { [$0, $1] })
        // Only the requested column is decoded.
        #expect(try reader.recordBatch(at: 1, columnIndices: [0]).rows == [[.string("zzz")], [.string("x")], [.string("yy")]])

        let stream = try ArrowStreamReader(bytes: ArrowDictionaryFixtures.replacementStream)
        #expect(stream.recordBatches.flatMap(\.rows).map { $0[0] } ==
                ["x", "yy", nil, "x", "q", "p"].map { $0.map(Value.string) ?? .null })
    }

    @Test func dictionaryIndexOutOfRangeThrows() throws {
        // Somewhere in the file is the int8 index 1 of row 1 of the first batch. Setting each byte that holds a 1 to 9
        // in turn, one of the damaged files must report exactly that index as out of range (the dictionary has 3
        // entries: a file's dictionaries, deltas included, are read when it is opened).
        let original = ArrowDictionaryFixtures.deltaFile
        var messages: [String] = []
        for index in original.indices where original[index] == 1 {
            var bytes = original
            bytes[index] = 9
            let path = writeTemporaryFile(bytes, name: "bad-index.arrow")
            do {
                _ = try ArrowFileReader(path: path).recordBatch(at: 0)
            } catch let error as ArrowIPCError {
                messages.append(error.message)
            }
        }
        #expect(messages.contains("column \"k\": dictionary index 9 at row 1 is outside the 3-entry dictionary"))
    }
}
