import Columnar
import LogicalPlan

/// Converts a vector to `type` when its type differs (a safety net: the binder normally coerces branches).
func coerced(_ vector: Vector, to type: DataType) throws -> Vector {
    if vector.dataType == type || type == .null { return vector }
    return Vector(try castColumnValues(vector.column, to: type), isConstant: vector.isConstant)
}

/// Evaluates `node` on the context rows at `positions` (nil for all rows).
func evaluate(_ node: any ExpressionNode, _ context: EvaluationContext, positions: [Int32]?) throws -> Vector {
    guard let positions, positions.count != context.rowCount else { return try node.evaluate(context) }
    return try context.withPositions(positions) { try node.evaluate($0) }
}

/// `CASE WHEN c1 THEN r1 ... ELSE e END`, evaluating each result only on the rows that reach it.
struct CaseNode: ExpressionNode {
    let branches: [(condition: any ExpressionNode, result: any ExpressionNode)]
    let elseResult: any ExpressionNode
    let dataType: DataType

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let count = context.rowCount
        var remaining: [Int32]? = nil
        var pieces: [ResultPiece] = []
        for branch in branches {
            if remaining?.isEmpty == true { break }
            let selected: [Int32]
            if let rows = remaining {
                selected = try context.withPositions(rows) { try branch.condition.selectTrue($0) }.map { rows[Int($0)] }
            } else {
                selected = try branch.condition.selectTrue(context)
            }
            if selected.isEmpty { continue }
            if selected.count == count { return try coerced(try branch.result.evaluate(context), to: dataType) }
            pieces.append(try piece(branch.result, context, positions: selected))
            remaining = removingPositions(selected, from: remaining, count: count)
        }
        if remaining == nil { return try coerced(try elseResult.evaluate(context), to: dataType) }
        if let rows = remaining, !rows.isEmpty {
            pieces.append(try piece(elseResult, context, positions: rows))
        }
        return assemble(dataType, count: count, pieces: pieces)
    }

    /// The values of `result` for the rows at `positions`: read in place from the whole context for a column
    /// reference or a constant (no gather), evaluated on just those rows otherwise.
    private func piece(_ result: any ExpressionNode, _ context: EvaluationContext, positions: [Int32]) throws -> ResultPiece {
        if result is ConstantNode || (result is ColumnReferenceNode && context.selection == nil) {
            return ResultPiece(positions: positions, vector: try coerced(try result.evaluate(context), to: dataType), isAligned: true)
        }
        let vector = try coerced(try Execution.evaluate(result, context, positions: positions), to: dataType)
        return ResultPiece(positions: positions, vector: vector, isAligned: false)
    }
}

/// `COALESCE(a, b, ...)`: each argument is evaluated only on the rows still NULL.
struct CoalesceNode: ExpressionNode {
    let arguments: [any ExpressionNode]
    let dataType: DataType

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let count = context.rowCount
        var nullRows: [Int32]? = nil
        var pieces: [ResultPiece] = []
        for argument in arguments {
            if nullRows?.isEmpty == true { break }
            let vector = try coerced(try Execution.evaluate(argument, context, positions: nullRows), to: dataType)
            if vector.isAllNull { continue }
            if nullRows == nil && vector.column.nullCount == 0 { return vector }
            if vector.isConstant {
                pieces.append(ResultPiece(positions: nullRows, vector: vector, isAligned: false))
                nullRows = []
                break
            }
            pieces.append(ResultPiece(positions: nullRows, vector: vector, isAligned: false))
            guard let validity = vector.column.validity else { nullRows = []; break }
            let stillNull = BitmapKernels.nullPositions(validity, count: vector.column.count)
            nullRows = nullRows.map { rows in stillNull.map { rows[Int($0)] } } ?? stillNull
        }
        if pieces.isEmpty { return .null(dataType) }
        return assemble(dataType, count: count, pieces: pieces)
    }
}

/// `NULLIF(a, b)`: NULL where `a = b`, otherwise `a`.
struct NullIfNode: ExpressionNode {
    let left: any ExpressionNode
    let right: any ExpressionNode
    let storage: ComparisonStorage?
    let dataType: DataType

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let a = try coerced(try left.evaluate(context), to: dataType)
        if a.isAllNull { return a }
        let b = try right.evaluate(context)
        guard let storage, !b.isAllNull, b.dataType == a.dataType else { return a }
        let count = a.isConstant && b.isConstant ? 1 : context.rowCount
        let equal = compareVectors(.equal, storage, a, b, count: count)
        let equalBits = truthBitmaps(equal, count: count).isTrue
        let isEqual = equalBits.typed(UInt64.self)
        let full = a.isConstant && count > 1 ? broadcast(a.column, count: count) : a.column
        let validity = BitmapKernels.allocate(bits: count)
        let out = validity.typed(UInt64.self)
        let sourceBits = full.validity.map { BitmapKernels.readable($0, count: count) }
        let source = sourceBits?.typed(UInt64.self)
        defer { withExtendedLifetime((equalBits, sourceBits)) {} }
        for index in 0..<BitmapKernels.wordCount(count) { out[index] = (source?[index] ?? ~0) & ~isEqual[index] }
        let nullCount = count - BitmapKernels.countSet(UnsafePointer(out), count: count)
        let column = Column(dataType: full.dataType, count: count, nullCount: nullCount, validity: validity,
                            values: full.values, data: full.data)
        return Vector(column, isConstant: a.isConstant && b.isConstant)
    }
}

/// `GREATEST(...)` / `LEAST(...)`, ignoring NULLs (NULL only when every argument is NULL), as PostgreSQL does.
struct ExtremumNode: ExpressionNode {
    let arguments: [any ExpressionNode]
    let storage: ComparisonStorage
    let isGreatest: Bool
    let dataType: DataType

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let vectors = try arguments.map { try coerced(try $0.evaluate(context), to: dataType) }.filter { !$0.isAllNull }
        if vectors.isEmpty { return .null(dataType) }
        if vectors.count == 1 { return vectors[0] }
        let allConstant = vectors.allSatisfy(\.isConstant)
        let count = allConstant ? 1 : context.rowCount
        // best[i]: the index of the argument holding row i's result so far (-1: none yet).
        var best = [Int32](repeating: -1, count: count)
        let comparison: ComparisonOperator = isGreatest ? .greater : .less
        let better = BitmapKernels.allocate(bits: count)
        for (argumentIndex, vector) in vectors.enumerated() {
            let validity = vector.validity.map { UnsafeRawPointer($0.pointer) }
            if argumentIndex == 0 {
                for row in 0..<count where validity.map({ Bitmap.isSet($0, row) }) ?? true { best[row] = 0 }
                continue
            }
            // Compare against every earlier argument's value where it is the current best.
            for earlierIndex in 0..<argumentIndex {
                let earlier = vectors[earlierIndex]
                comparisonWords(comparison, storage, vector, earlier, into: better.typed(UInt64.self), count: count)
                for row in 0..<count where best[row] == Int32(earlierIndex) {
                    if (validity.map { Bitmap.isSet($0, row) } ?? true) && Bitmap.isSet(better.pointer, row) {
                        best[row] = Int32(argumentIndex)
                    }
                }
            }
            for row in 0..<count where best[row] < 0 && (validity.map { Bitmap.isSet($0, row) } ?? true) {
                best[row] = Int32(argumentIndex)
            }
        }
        var pieces: [ResultPiece] = []
        for (argumentIndex, vector) in vectors.enumerated() {
            let positions = (0..<count).filter { best[$0] == Int32(argumentIndex) }.map { Int32($0) }
            if !positions.isEmpty { pieces.append(ResultPiece(positions: positions, vector: vector, isAligned: true)) }
        }
        let result = assemble(dataType, count: count, pieces: pieces)
        return Vector(result.column, isConstant: allConstant)
    }
}
