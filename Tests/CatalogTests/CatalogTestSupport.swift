import Catalog
import Columnar
#if canImport(Glibc)
import Glibc
#endif

func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/quiver-catalog-XXXXXX".utf8CString)
    let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: result!)
}

func listDirectory(_ path: String) -> [String] {
    guard let handle = opendir(path) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func writeFile(_ path: String, _ text: String) {
    let file = fopen(path, "wb")!
    fputs(text, file)
    fclose(file)
}

func readText(_ path: String) -> String {
    guard let file = fopen(path, "rb") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if count == 0 { break }
        bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

let ordersIdentifier = TableIdentifier(name: "orders")
let ordersDefinition = TableDefinition(identifier: ordersIdentifier, columns: [
    ColumnDefinition(name: "id", dataType: .int64, isNullable: false),
    ColumnDefinition(name: "amount", dataType: .decimal128(precision: 10, scale: 2)),
    ColumnDefinition(name: "note", dataType: .utf8),
])

/// A batch of `orders` rows with ids `ids`: amount = id * 1.25 (null for multiples of 4), note "n<id>" (null for
/// multiples of 5).
func ordersBatch(_ ids: Range<Int>) -> RecordBatch {
    var id = ColumnBuilder(.int64, capacity: ids.count)
    var amount = ColumnBuilder(.decimal128(precision: 10, scale: 2), capacity: ids.count)
    var note = ColumnBuilder(.utf8, capacity: ids.count)
    for value in ids {
        id.append(Int64(value))
        if value % 4 == 0 { amount.appendNull() } else { amount.append(Int128(value) * 125) }
        if value % 5 == 0 { note.appendNull() } else { note.append(string: "n\(value)") }
    }
    return RecordBatch(schema: ordersDefinition.schema, columns: [id.finish(), amount.finish(), note.finish()], rowCount: ids.count)
}

func expectedOrdersRows(_ ids: Range<Int>) -> [[Value]] {
    ids.map { value in
        [.int64(Int64(value)),
         value % 4 == 0 ? .null : .decimal(Int128(value) * 125, precision: 10, scale: 2),
         value % 5 == 0 ? .null : .string("n\(value)")]
    }
}

/// Every row of a table, reading every column.
func scanRows(_ catalog: any Catalog, _ identifier: TableIdentifier, columns: [Int] = [0, 1, 2]) throws -> [[Value]] {
    try catalog.segments(of: identifier).flatMap { try $0.readBatches(columnIndices: columns) }.flatMap(\.rows)
}

/// Deletes a directory tree (test clean-up).
func removeTree(_ path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    if status.st_mode & S_IFMT == S_IFDIR {
        for name in listDirectory(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}
