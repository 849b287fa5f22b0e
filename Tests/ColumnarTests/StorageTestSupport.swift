import Columnar
#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary directory for one test.
func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/quiver-columnar-XXXXXX".utf8CString)
    let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: result!)
}

/// Writes bytes to a new file in a fresh temporary directory and returns its path.
func writeTemporaryFile(_ bytes: [UInt8], name: String = "data.csv") -> String {
    let path = makeTemporaryDirectory() + "/" + name
    let file = fopen(path, "wb")!
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    return path
}

func writeTemporaryFile(_ text: String, name: String = "data.csv") -> String {
    writeTemporaryFile(Array(text.utf8), name: name)
}

func readFileBytes(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { return [] }
    defer { fclose(file) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if count == 0 { break }
        result += chunk[0..<count]
    }
    return result
}

/// All rows of `batches`, as scalars.
func allRows(_ batches: [RecordBatch]) -> [[Value]] {
    batches.flatMap(\.rows)
}

/// Builds a column from scalars.
func makeColumn(_ type: DataType, _ values: [Value]) -> Column {
    var builder = ColumnBuilder(type, capacity: values.count)
    for value in values { builder.append(value) }
    return builder.finish()
}
