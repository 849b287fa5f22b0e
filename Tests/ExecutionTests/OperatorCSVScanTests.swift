import Catalog
import Columnar
@testable import Execution
import Foundation
import LogicalPlan
import Testing

@Suite struct OperatorCSVScanTests {
    @Test func scansACSVFileWithColumnSelection() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("operators-\(UUID().uuidString).csv").path
        try "id,name\n1,alpha\n2,\n3,gamma\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fixture = Fixture()
        let schema = Schema([Field("id", .int32), Field("name", .utf8)])
        let scan = Scan(source: .csvFile(path: path, options: CSVOptions(hasHeader: true), schema: schema),
                        columns: [fixture.column("name", .utf8), fixture.column("id", .int32)], columnIndices: [1, 0])
        let batches = try fixture.batches(.scan(scan))
        #expect(lines(batches.flatMap(\.rows)) == ["alpha|1", "NULL|2", "gamma|3"])
        #expect(batches.allSatisfy { $0.schema.fields.map(\.name) == ["name", "id"] })
    }

    @Test func missingFileIsAnError() throws {
        let fixture = Fixture()
        let scan = Scan(source: .csvFile(path: "/nonexistent/operators.csv", options: CSVOptions(), schema: Schema([Field("a", .int32)])),
                        columns: [fixture.column("a", .int32)], columnIndices: [0])
        #expect(throws: (any Error).self) { try fixture.run(.scan(scan)) }
    }
}
