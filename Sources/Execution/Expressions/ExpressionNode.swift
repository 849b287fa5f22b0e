import Columnar
import LogicalPlan

/// The rows an expression is evaluated on: every row of a batch, or the rows a selection lists (in its order,
/// possibly repeating). Results have one row per context row; "positions" index those rows.
struct EvaluationContext {
    let batch: RecordBatch
    let selection: UnsafeBufferPointer<Int32>?

    /// The number of rows results have.
    var rowCount: Int { selection?.count ?? batch.rowCount }

    /// Runs `body` on the context rows at `positions` (ascending positions of this context).
    func withPositions<R>(_ positions: [Int32], _ body: (EvaluationContext) throws -> R) rethrows -> R {
        if let selection {
            let rows = positions.map { selection[Int($0)] }
            return try rows.withUnsafeBufferPointer { try body(EvaluationContext(batch: batch, selection: $0)) }
        }
        return try positions.withUnsafeBufferPointer { try body(EvaluationContext(batch: batch, selection: $0)) }
    }
}

/// A compiled expression node. `evaluate` gives one value per context row (or a constant vector);
/// `selectTrue` gives the ascending positions of the context rows where a boolean node is TRUE.
protocol ExpressionNode: Sendable {
    var dataType: DataType { get }
    func evaluate(_ context: EvaluationContext) throws -> Vector
    func selectTrue(_ context: EvaluationContext) throws -> [Int32]
    /// Whether evaluation can never raise an error (so it needs no protection by lazy evaluation).
    var isInfallible: Bool { get }
}

extension ExpressionNode {
    var isInfallible: Bool { false }

    func selectTrue(_ context: EvaluationContext) throws -> [Int32] {
        truePositions(try evaluate(context), count: context.rowCount)
    }

    /// The full column of results.
    func evaluateColumn(_ context: EvaluationContext) throws -> Column {
        try evaluate(context).materialized(count: context.rowCount)
    }
}

/// A reference to a column of the input batch.
struct ColumnReferenceNode: ExpressionNode {
    let position: Int
    let dataType: DataType
    var isInfallible: Bool { true }

    /// The batch column, converted when the batch holds another type than the plan promised.
    func column(_ context: EvaluationContext) throws -> Column {
        guard position < context.batch.columns.count else {
            throw ExecutionError("column position \(position) is outside the input batch of \(context.batch.columns.count) columns")
        }
        let column = context.batch.columns[position]
        if column.dataType == dataType || dataType == .null { return column }
        return try castColumnValues(column, to: dataType)
    }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let column = try column(context)
        guard let selection = context.selection else { return Vector(column) }
        return Vector(gather(column, rows: selection))
    }
}

/// A constant.
struct ConstantNode: ExpressionNode {
    let vector: Vector
    var dataType: DataType { vector.dataType }
    var isInfallible: Bool { true }

    init(_ value: Value, _ type: DataType) { vector = .constant(value, type) }
    init(vector: Vector) { self.vector = vector }

    func evaluate(_ context: EvaluationContext) throws -> Vector { vector }
}

/// A kernel over argument vectors; `count` is the number of rows (1 when every argument is constant).
typealias VectorKernel = @Sendable (_ arguments: [Vector], _ count: Int) throws -> Vector

/// A function whose result is NULL whenever an argument is NULL, computed by one kernel per batch.
struct StrictFunctionNode: ExpressionNode {
    let arguments: [any ExpressionNode]
    let dataType: DataType
    let kernel: VectorKernel

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        var vectors: [Vector] = []
        vectors.reserveCapacity(arguments.count)
        for argument in arguments {
            let vector = try argument.evaluate(context)
            // Every row NULL (or an untyped NULL): so is the result, without running the kernel.
            if vector.isAllNull { return .null(dataType) }
            vectors.append(vector)
        }
        return try runKernel(kernel, vectors, count: context.rowCount)
    }
}

/// A function that handles NULL arguments itself (IS NULL, IS DISTINCT FROM, concatenation of nulls...).
struct NullAwareFunctionNode: ExpressionNode {
    let arguments: [any ExpressionNode]
    let dataType: DataType
    let kernel: VectorKernel

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let vectors = try arguments.map { try $0.evaluate(context) }
        return try runKernel(kernel, vectors, count: context.rowCount)
    }
}

/// Runs a kernel; when every argument is constant it runs on one row and the result is constant.
func runKernel(_ kernel: VectorKernel, _ vectors: [Vector], count: Int) throws -> Vector {
    if vectors.allSatisfy(\.isConstant) {
        let result = try kernel(vectors.map { Vector($0.column) }, 1)
        return Vector(result.column, isConstant: true)
    }
    return try kernel(vectors, count)
}

/// A comparison, with fast paths that produce selections directly.
struct ComparisonNode: ExpressionNode {
    let comparison: ComparisonOperator
    let storage: ComparisonStorage
    let left: any ExpressionNode
    let right: any ExpressionNode
    var dataType: DataType { .boolean }
    var isInfallible: Bool { left.isInfallible && right.isInfallible }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let a = try left.evaluate(context)
        if a.isAllNull { return .null(.boolean) }
        let b = try right.evaluate(context)
        if b.isAllNull { return .null(.boolean) }
        return compareVectors(comparison, storage, a, b, count: context.rowCount)
    }

    func selectTrue(_ context: EvaluationContext) throws -> [Int32] {
        if let selection = context.selection {
            if let column = left as? ColumnReferenceNode, let constant = right as? ConstantNode {
                if constant.vector.isAllNull { return [] }
                return selectComparisonGathered(comparison, storage, column: try column.column(context), rows: selection,
                                                constant: constant.vector)
            }
            if let column = right as? ColumnReferenceNode, let constant = left as? ConstantNode {
                if constant.vector.isAllNull { return [] }
                return selectComparisonGathered(comparison.flipped, storage, column: try column.column(context),
                                                rows: selection, constant: constant.vector)
            }
        }
        let a = try left.evaluate(context)
        if a.isAllNull { return [] }
        let b = try right.evaluate(context)
        if b.isAllNull { return [] }
        return selectComparison(comparison, storage, a, b, count: context.rowCount)
    }
}
