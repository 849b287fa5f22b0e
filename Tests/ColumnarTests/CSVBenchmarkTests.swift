import Columnar
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Timing of large loads, run by hand: `QUIVER_CSV_BENCH=/path/lineitem.csv swift test -c release --filter CSVBenchmark`.
/// The file must have TPC-H lineitem's 16 columns, `|`-delimited, without a header.
@Suite struct CSVBenchmarkTests {
    static let path = ProcessInfoLite.environment("QUIVER_CSV_BENCH")

    static let lineitem = Schema([
        Field("l_orderkey", .int64, isNullable: false), Field("l_partkey", .int64), Field("l_suppkey", .int64),
        Field("l_linenumber", .int32), Field("l_quantity", .decimal128(precision: 15, scale: 2)),
        Field("l_extendedprice", .decimal128(precision: 15, scale: 2)), Field("l_discount", .decimal128(precision: 15, scale: 2)),
        Field("l_tax", .decimal128(precision: 15, scale: 2)), Field("l_returnflag", .utf8), Field("l_linestatus", .utf8),
        Field("l_shipdate", .date32), Field("l_commitdate", .date32), Field("l_receiptdate", .date32),
        Field("l_shipinstruct", .utf8), Field("l_shipmode", .utf8), Field("l_comment", .utf8),
    ])

    @Test(.enabled(if: path != nil)) func loadLineitem() throws {
        let path = try #require(Self.path)
        let start = ProcessInfoLite.now()
        let reader = try CSVReader(path: path, options: CSVOptions(delimiter: UInt8(ascii: "|")), schema: Self.lineitem)
        var rows = 0
        try reader.readBatches { rows += $0.rowCount }
        let seconds = ProcessInfoLite.now() - start
        print("CSV lineitem: \(rows) rows in \(seconds) s")
        #expect(rows > 0)
        if let arrowPath = ProcessInfoLite.environment("QUIVER_ARROW_BENCH") {
            let writeStart = ProcessInfoLite.now()
            var writer = try ArrowFileWriter(path: arrowPath, schema: Self.lineitem)
            try reader.readBatches { try writer.write($0) }
            try writer.finish()
            print("CSV->Arrow: \(ProcessInfoLite.now() - writeStart) s")
            let readStart = ProcessInfoLite.now()
            let arrow = try ArrowFileReader(path: arrowPath)
            var arrowRows = 0
            for index in 0..<arrow.recordBatchCount { arrowRows += try arrow.recordBatch(at: index).rowCount }
            print("Arrow read: \(arrowRows) rows in \(ProcessInfoLite.now() - readStart) s")
            #expect(arrowRows == rows)
        }
    }
}

enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
