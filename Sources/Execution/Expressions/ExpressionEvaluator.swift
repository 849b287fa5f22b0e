import Columnar
import LogicalPlan

/// Maps the ColumnIDs an expression refers to onto column positions of the input batch.
public struct ColumnLayout: Sendable {
    private let positions: [ColumnID: Int]

    /// A layout where `columns[i]` is at position `i` of the batch.
    public init(_ columns: [PlanColumn]) {
        var positions: [ColumnID: Int] = [:]
        for (index, column) in columns.enumerated() where positions[column.id] == nil {
            positions[column.id] = index
        }
        self.positions = positions
    }

    /// A layout from explicit positions.
    public init(positions: [ColumnID: Int]) { self.positions = positions }

    /// The batch position of column `id`, or nil when the layout does not hold it.
    public func position(of id: ColumnID) -> Int? { positions[id] }
}

/// An expression compiled once against an input layout, then evaluated on many batches.
///
/// Compilation resolves column references to batch positions, picks a typed kernel for every operator once,
/// and folds constant sub-expressions. Evaluation then works a whole batch (or a selection of its rows) at a
/// time: typed loops over raw buffers, constants kept as single values, validity combined word by word.
public struct CompiledExpression: Sendable {
    /// The expression as bound.
    public let expression: Expression
    private let root: any ExpressionNode

    /// The type of the values `evaluate` returns.
    public var dataType: DataType { root.dataType }

    /// The value of the expression when it folded to a constant at compile time (for example `1 = 0`), else nil.
    public var constantValue: Value? {
        guard let constant = root as? ConstantNode else { return nil }
        return constant.vector.constantValue
    }

    /// Compiles `expression` against the columns of `layout`; errors on a column the layout does not hold and
    /// on subqueries ("subqueries must be decorrelated before execution").
    public init(_ expression: Expression, layout: ColumnLayout) throws {
        try self.init(expression, layout: layout, shared: nil)
    }

    /// Compiles `expression`, computing the calls it shares with other expressions compiled with `shared` once
    /// per batch (see `SharedSubexpressions`).
    init(_ expression: Expression, layout: ColumnLayout, shared: SharedSubexpressions?) throws {
        self.expression = expression
        let compiler = ExpressionCompiler(layout: layout, shared: shared)
        var node = try compiler.compile(expression)
        let declared = expression.dataType
        if declared != .null && node.dataType != declared { node = try compiler.cast(node, to: declared) }
        root = node
    }

    /// Evaluates the expression on every row of `batch`.
    public func evaluate(_ batch: RecordBatch) throws -> Column {
        try root.evaluateColumn(EvaluationContext(batch: batch, selection: nil))
    }

    /// Evaluates the expression on the rows of `batch` listed in `selection` (batch row indices, in any order,
    /// possibly repeated); the result has `selection.count` rows, row `i` for `selection[i]`.
    public func evaluate(_ batch: RecordBatch, selection: UnsafeBufferPointer<Int32>) throws -> Column {
        try root.evaluateColumn(EvaluationContext(batch: batch, selection: selection))
    }

    /// The indices (ascending) of the rows of `batch` where a boolean predicate is TRUE (not FALSE or NULL).
    public func selectTrue(_ batch: RecordBatch) throws -> [Int32] {
        try root.selectTrue(EvaluationContext(batch: batch, selection: nil))
    }

    /// The entries of `selection` (batch row indices) for which a boolean predicate is TRUE, in selection order
    /// (so ascending when `selection` is).
    public func selectTrue(_ batch: RecordBatch, selection: UnsafeBufferPointer<Int32>) throws -> [Int32] {
        let positions = try root.selectTrue(EvaluationContext(batch: batch, selection: selection))
        return positions.map { selection[Int($0)] }
    }
}

/// Evaluates a constant expression (no column references) to a value (constant folding, VALUES, LIMIT).
public func evaluateConstant(_ expression: Expression) throws -> Value {
    let compiled = try CompiledExpression(expression, layout: ColumnLayout(positions: [:]))
    let column = try compiled.evaluate(constantBatch)
    return column.scalar(at: 0)
}

/// Casts a whole column (used by INSERT/COPY and CAST). Errors name the bad value:
/// `invalid input syntax for type integer: "abc"`, `value 300 out of range for type tinyint`.
public func castColumn(_ column: Column, to type: DataType) throws -> Column {
    try castColumnValues(column, to: type)
}
