#if canImport(Dispatch)
import Dispatch
#endif

/// Reads a CSV file into record batches typed by a schema.
///
/// The file is memory-mapped and scanned byte by byte: a batch of rows is first split into field spans,
/// then each column's fields are parsed straight from the bytes into the column's buffers. Values are
/// checked as they are parsed; the first bad one (in file order) throws a `CSVError` with its line and
/// column. The columns of a batch are parsed in parallel when `decodesColumnsInParallel` is set.
///
/// ```swift
/// let reader = try CSVReader(path: "lineitem.csv", options: CSVOptions(delimiter: UInt8(ascii: "|")), schema: schema)
/// for batch in try reader.readAll() { ... }
/// ```
public struct CSVReader: @unchecked Sendable {
    /// The number of rows in every batch but the last.
    public static let batchRowCount = 2048

    public let path: String
    public let options: CSVOptions
    public let schema: Schema
    private let file: MappedFile
    /// Whether the columns of each batch are parsed on several threads (rows are always split sequentially).
    public var decodesColumnsInParallel = true

    /// Opens (maps) the file. Throws `CSVError` when it cannot be opened or the schema has a type CSV cannot hold.
    public init(path: String, options: CSVOptions, schema: Schema) throws {
        self.path = path
        self.options = options
        self.schema = schema
        file = try CSVReader.map(path)
        for field in schema.fields where field.dataType == .interval {
            throw CSVError(path: path, line: 0, column: 0, message: "column \"\(field.name)\": INTERVAL values cannot be read from CSV")
        }
    }

    static func map(_ path: String) throws -> MappedFile {
        do {
            return try MappedFile(path: path)
        } catch let failure as FileError {
            throw CSVError(path: path, line: 0, column: 0, message: "could not open the file: \(failure.reason)")
        }
    }

    /// Reads the whole file.
    public func readAll() throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        try readBatches { batches.append($0) }
        return batches
    }

    /// Reads the file batch by batch, handing each batch to `body` as soon as it is parsed.
    public func readBatches(_ body: (RecordBatch) throws -> Void) throws {
        let columnCount = schema.fields.count
        guard columnCount > 0, file.size > 0 else { return }
        file.adviseSequential()
        let bytes = UnsafePointer(file.pointer.assumingMemoryBound(to: UInt8.self))
        var tokenizer = CSVTokenizer(bytes: bytes, count: file.size, path: path, options: options)
        if options.hasHeader {
            _ = try tokenizer.readRecord(skippingEmptyLines: true)
        }
        let rowLimit = CSVReader.batchRowCount
        let spans = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: columnCount * rowLimit)
        let rowStarts = UnsafeMutablePointer<Int>.allocate(capacity: rowLimit)
        let rowLines = UnsafeMutablePointer<Int>.allocate(capacity: rowLimit)
        defer {
            spans.deallocate()
            rowStarts.deallocate()
            rowLines.deallocate()
        }
        let nullText = Array(options.nullString.utf8)
        while true {
            let (rowCount, rowError) = tokenizer.readRows(columnCount: columnCount, maximumRows: rowLimit,
                                                          skippingEmptyLines: columnCount > 1, spans: spans,
                                                          stride: rowLimit, rowStarts: rowStarts, rowLines: rowLines)
            if rowCount == 0 {
                if let rowError { throw rowError }
                break
            }
            let decoder = CSVColumnDecoder(tokenizer: tokenizer, nullText: nullText, spans: spans, stride: rowLimit,
                                           rowStarts: rowStarts, rowLines: rowLines, rowCount: rowCount)
            let columns = try decodeColumns(decoder)
            // A malformed row comes after the rows decoded above, whose values were good.
            if let rowError { throw rowError }
            try body(RecordBatch(schema: schema, columns: columns, rowCount: rowCount))
        }
        withExtendedLifetime(file) {}
    }

    /// Decodes every column of a tokenized batch, in parallel when allowed.
    private func decodeColumns(_ decoder: CSVColumnDecoder) throws -> [Column] {
        let fields = schema.fields
        #if canImport(Dispatch)
        if decodesColumnsInParallel && fields.count > 1 {
            let results = UnsafeMutableBufferPointer<Result<Column, any Error>>.allocate(capacity: fields.count)
            defer {
                _ = results.deinitialize()
                results.deallocate()
            }
            let slots = UnsafeSendablePointer(results.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: fields.count) { index in
                slots.pointer.advanced(by: index).initialize(to: Result { try decoder.decode(column: index, field: fields[index]) })
            }
            var columns: [Column] = []
            columns.reserveCapacity(fields.count)
            var earliest: CSVError?
            for result in results {
                switch result {
                case .success(let column):
                    columns.append(column)
                case .failure(let error as CSVError):
                    if earliest == nil || (error.line, error.column) < (earliest!.line, earliest!.column) { earliest = error }
                case .failure(let error):
                    throw error
                }
            }
            if let earliest { throw earliest }
            return columns
        }
        #endif
        var columns: [Column] = []
        columns.reserveCapacity(fields.count)
        for (index, field) in fields.enumerated() {
            do {
                columns.append(try decoder.decode(column: index, field: field))
            } catch let error as CSVError {
                throw earliestError(error, decoder, after: index)
            }
        }
        return columns
    }

    /// Columns are decoded one after another, so the first error found may not be the first in the file:
    /// decodes the remaining columns too and returns the error nearest the start of the file.
    private func earliestError(_ first: CSVError, _ decoder: CSVColumnDecoder, after index: Int) -> CSVError {
        var earliest = first
        for (other, field) in schema.fields.enumerated() where other > index {
            do {
                _ = try decoder.decode(column: other, field: field)
            } catch let error as CSVError {
                if (error.line, error.column) < (earliest.line, earliest.column) { earliest = error }
            } catch {}
        }
        return earliest
    }
}

/// A pointer handed to worker threads that each write a distinct element.
private struct UnsafeSendablePointer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}
