import Columnar
import LogicalPlan

/// `CAST(x AS type)`.
struct CastNode: ExpressionNode {
    let operand: any ExpressionNode
    let dataType: DataType

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let vector = try operand.evaluate(context)
        if vector.dataType == dataType { return vector }
        if vector.isConstant && vector.isAllNull { return .null(dataType) }
        return Vector(try castColumnValues(vector.column, to: dataType), isConstant: vector.isConstant)
    }
}

/// The type two operands are compared or combined in when the binder left them different (a safety net).
func commonType(_ a: DataType, _ b: DataType) -> DataType? {
    if a == b { return a }
    if a == .null { return b }
    if b == .null { return a }
    if a.isNumeric && b.isNumeric {
        if a.isFloatingPoint || b.isFloatingPoint { return a == .float32 && b == .float32 ? .float32 : .float64 }
        if a.isDecimal || b.isDecimal {
            let (pa, sa) = DecimalMath.precisionAndScale(a), (pb, sb) = DecimalMath.precisionAndScale(b)
            let scale = Swift.max(sa, sb)
            return .decimal128(precision: Swift.min(38, Swift.max(pa - sa, pb - sb) + scale), scale: scale)
        }
        return (a.byteWidth ?? 0) >= (b.byteWidth ?? 0) ? a : b
    }
    if a == .utf8 { return b }
    if b == .utf8 { return a }
    return nil
}

/// A one-row batch without columns, for evaluating constants.
let constantBatch = RecordBatch(schema: Schema([]), columns: [], rowCount: 1)

/// Compiles bound expressions into evaluation nodes: resolves column positions, picks kernels by type once,
/// inserts the conversions the kernels need, and folds constant sub-expressions.
struct ExpressionCompiler {
    let layout: ColumnLayout
    /// Calls shared with other expressions compiled against the same input, computed once per batch.
    var shared: SharedSubexpressions? = nil

    func compile(_ expression: Expression) throws -> any ExpressionNode {
        switch expression {
        case .column(let column):
            guard let position = layout.position(of: column.id) else {
                throw ExecutionError("column \(column.name) (\(column.id)) is not available in the input")
            }
            return ColumnReferenceNode(position: position, dataType: column.dataType)
        case .literal(let value, let type):
            return ConstantNode(vector: try literalVector(value, type))
        case .function(let function, let arguments, let type):
            let compiled = try arguments.map(compile)
            let node = try folded(try compileFunction(function, compiled, type), children: compiled)
            return shared?.node(for: expression, compiled: node) ?? node
        case .cast(let operand, let type):
            return try cast(try compile(operand), to: type)
        case .and(let operands), .or(let operands):
            guard !operands.isEmpty else { return ConstantNode(.boolean(expression.isConjunction), .boolean) }
            let compiled = try operands.map { try cast(try compile($0), to: .boolean) }
            if compiled.count == 1 { return compiled[0] }
            return try folded(LogicalNode(isConjunction: expression.isConjunction, operands: evaluationOrder(compiled)),
                              children: compiled)
        case .not(let operand):
            let compiled = try cast(try compile(operand), to: .boolean)
            return try folded(NotNode(operand: compiled), children: [compiled])
        case .caseWhen(let whens, let elseResult, let type):
            let branches = try whens.map { (condition: try cast(try compile($0.condition), to: .boolean),
                                            result: try cast(try compile($0.result), to: type)) }
            let otherwise = try cast(try compile(elseResult), to: type)
            let children = branches.flatMap { [$0.condition, $0.result] } + [otherwise]
            return try folded(CaseNode(branches: branches, elseResult: otherwise, dataType: type), children: children)
        case .inList(let operand, let list, let isNegated):
            let value = try compile(operand)
            let items = try list.map(compile)
            return try folded(try compileInList(value, items, isNegated: isNegated), children: [value] + items)
        case .subquery:
            throw ExecutionError("subqueries must be decorrelated before execution")
        }
    }

    /// A constant vector for a literal, converted to the literal's declared type when the value's type differs.
    func literalVector(_ value: Value, _ type: DataType) throws -> Vector {
        if value.isNull || type == .null { return .null(type) }
        if value.dataType == type { return .constant(value, type) }
        if case .decimal(let unscaled, _, let scale) = value, case .decimal128(_, let targetScale) = type, scale == targetScale {
            return .constant(.decimal(unscaled, precision: 38, scale: scale), type)
        }
        let natural = Vector.constant(value, value.dataType)
        return Vector(try castColumnValues(natural.column, to: type), isConstant: true)
    }

    /// Replaces a node whose children are all constants by its value. Errors are kept for run time, so that a
    /// CASE branch such as `1 / 0` only fails when a row reaches it.
    func folded(_ node: any ExpressionNode, children: [any ExpressionNode]) throws -> any ExpressionNode {
        guard !(node is ConstantNode), children.allSatisfy({ $0 is ConstantNode }) else { return node }
        guard let vector = try? node.evaluate(EvaluationContext(batch: constantBatch, selection: nil)) else { return node }
        guard vector.isConstant || vector.column.count == 1 else { return node }
        return ConstantNode(vector: Vector(vector.column, isConstant: true))
    }

    /// The operands of an AND or OR in the order to evaluate them: the operands that cannot fail first, cheapest
    /// first (in written order among equals), then the others in written order. The result does not depend on
    /// the order, and each operand is evaluated only on the rows the earlier ones left undecided, so moving an
    /// operand that cannot fail ahead only spares later operands rows (never exposes them to new ones).
    func evaluationOrder(_ operands: [any ExpressionNode]) -> [any ExpressionNode] {
        let ranked = operands.enumerated().map { index, operand in
            (cost: operand.isInfallible ? ExpressionCompiler.evaluationCost(operand) : Int.max, index: index, operand: operand)
        }
        return ranked.sorted { ($0.cost, $0.index) < ($1.cost, $1.index) }.map(\.operand)
    }

    /// A rough per-row cost rank of a boolean operand: fixed-width comparisons with a constant are cheapest,
    /// then other fixed-width comparisons and IN lists, string comparisons, string IN lists, then the rest
    /// (LIKE, functions, nested logic).
    static func evaluationCost(_ operand: any ExpressionNode) -> Int {
        switch operand {
        case let comparison as ComparisonNode:
            let isSimple = (comparison.left is ColumnReferenceNode && comparison.right is ConstantNode)
                || (comparison.left is ConstantNode && comparison.right is ColumnReferenceNode)
            return (comparison.storage == .string ? 2 : 0) + (isSimple ? 0 : 1)
        case let inList as InListNode:
            return inList.storage == .string ? 4 : 1
        default:
            return 5
        }
    }

    /// `node` converted to `type` (unchanged when it already has that type).
    func cast(_ node: any ExpressionNode, to type: DataType) throws -> any ExpressionNode {
        if node.dataType == type { return node }
        if let constant = node as? ConstantNode, constant.vector.isAllNull { return ConstantNode(.null, type) }
        return try folded(CastNode(operand: node, dataType: type), children: [node])
    }

    private func compileInList(_ operand: any ExpressionNode, _ items: [any ExpressionNode], isNegated: Bool) throws -> any ExpressionNode {
        var type = operand.dataType
        for item in items {
            guard let common = commonType(type, item.dataType) else {
                throw ExecutionError("IN types \(operand.dataType) and \(item.dataType) cannot be matched")
            }
            type = common
        }
        let value = try cast(operand, to: type)
        let converted = try items.map { try cast($0, to: type) }
        guard let storage = ComparisonStorage(type) else { return ConstantNode(.null, .boolean) }
        let matcher: InListNode.Matcher
        if converted.allSatisfy({ $0 is ConstantNode }) {
            let vectors = converted.compactMap { ($0 as? ConstantNode)?.vector }
            let values = vectors.filter { !$0.isAllNull }
            let hasNull = values.count < vectors.count
            if values.count <= 6 {
                matcher = .constants(values, hasNull: hasNull)
            } else {
                var builder = ColumnBuilder(type, capacity: values.count)
                for vector in values { builder.append(from: vector.column, index: 0) }
                matcher = .set(try MembershipSet(builder.finish()), hasNull: hasNull)
            }
        } else {
            matcher = .expressions(converted)
        }
        return InListNode(operand: value, matcher: matcher, storage: storage, isNegated: isNegated)
    }
}

extension Expression {
    /// Whether an `.and` (true) or `.or` (false).
    var isConjunction: Bool {
        if case .and = self { return true }
        return false
    }
}
