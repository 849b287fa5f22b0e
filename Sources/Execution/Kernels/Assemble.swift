import Columnar

/// One piece of a result put together from several vectors (CASE branches, COALESCE arguments...).
struct ResultPiece {
    /// The result rows the piece writes; nil for every row.
    var positions: [Int32]?
    /// The values: row `i` goes to `positions[i]` when `isAligned` is false; when it is true the vector has a row
    /// for every result row (or is constant) and row `p` goes to position `p`.
    var vector: Vector
    var isAligned: Bool
}

/// Builds a column of `count` rows of `type` by writing the pieces in order (later pieces overwrite earlier
/// ones); rows no piece writes are NULL. Every piece's vector must have type `type`.
func assemble(_ type: DataType, count: Int, pieces: [ResultPiece]) -> Vector {
    if type == .null { return Vector(nullColumn(.null, count: count)) }
    let validity = BitmapKernels.allocate(bits: count)
    let valid = validity.pointer
    @inline(__always)
    func forEachRow(_ piece: ResultPiece, _ body: (_ position: Int, _ source: Int) -> Void) {
        let constant = piece.vector.isConstant
        if let positions = piece.positions {
            for (index, position) in positions.enumerated() {
                let p = Int(position)
                body(p, constant ? 0 : (piece.isAligned ? p : index))
            }
        } else {
            for p in 0..<count { body(p, constant ? 0 : p) }
        }
    }
    // Validity first.
    for piece in pieces {
        let column = piece.vector.column
        if piece.vector.isAllNull {
            forEachRow(piece) { position, _ in Bitmap.clear(valid, position) }
        } else if let source = column.validity {
            let bits = UnsafeRawPointer(source.pointer)
            forEachRow(piece) { position, row in Bitmap.set(valid, position, to: Bitmap.isSet(bits, row)) }
        } else {
            forEachRow(piece) { position, _ in Bitmap.set(valid, position) }
        }
    }
    let nullCount = count - Bitmap.countSet(validity.pointer, bitCount: count)
    switch type {
    case .boolean:
        let values = BitmapKernels.allocate(bits: count)
        for piece in pieces where !piece.vector.isAllNull {
            let bits = UnsafeRawPointer(piece.vector.column.values!.pointer)
            forEachRow(piece) { position, row in Bitmap.set(values.pointer, position, to: Bitmap.isSet(bits, row)) }
        }
        return Vector(booleanColumn(values: values, validity: validity, nullCount: nullCount, count: count))
    case .utf8:
        // Which piece and row supplies each position (the last writer wins).
        var sourcePiece = [Int32](repeating: -1, count: count)
        var sourceRow = [Int32](repeating: 0, count: count)
        var total = 0
        for (pieceIndex, piece) in pieces.enumerated() where !piece.vector.isAllNull {
            forEachRow(piece) { position, row in
                sourcePiece[position] = Int32(pieceIndex)
                sourceRow[position] = Int32(row)
            }
        }
        let readers = pieces.map { $0.vector.isAllNull ? nil : StringReader($0.vector.column) }
        for position in 0..<count where sourcePiece[position] >= 0 {
            total += readers[Int(sourcePiece[position])]![Int(sourceRow[position])].count
        }
        var writer = StringColumnWriter(rows: count, estimatedBytes: total)
        for position in 0..<count {
            if sourcePiece[position] >= 0, Bitmap.isSet(valid, position) {
                writer.appendPart(readers[Int(sourcePiece[position])]![Int(sourceRow[position])])
            }
            writer.finishRow()
        }
        return Vector(writer.finish(validity: validity, nullCount: nullCount))
    default:
        let width = type.byteWidth ?? 1
        let values = Buffer(capacity: Swift.max(count, 1) * width)
        func scatter<T>(_ element: T.Type) {
            let out = values.typed(T.self)
            for piece in pieces where !piece.vector.isAllNull {
                let source = piece.vector.column.valuePointer(T.self)
                forEachRow(piece) { position, row in out[position] = source[row] }
            }
        }
        switch width {
        case 1: scatter(UInt8.self)
        case 2: scatter(UInt16.self)
        case 4: scatter(UInt32.self)
        case 8: scatter(UInt64.self)
        default: scatter((UInt64, UInt64).self)
        }
        return Vector(Column(dataType: type, count: count, nullCount: nullCount, validity: validity, values: values))
    }
}

/// The ascending positions in `all` (or 0..<count when nil) that are not in `taken` (ascending, a subset).
func removingPositions(_ taken: [Int32], from all: [Int32]?, count: Int) -> [Int32] {
    guard let all else { return complementPositions(taken, count: count) }
    var result: [Int32] = []
    result.reserveCapacity(all.count - taken.count)
    var next = 0
    for position in all {
        if next < taken.count && taken[next] == position { next += 1 } else { result.append(position) }
    }
    return result
}
