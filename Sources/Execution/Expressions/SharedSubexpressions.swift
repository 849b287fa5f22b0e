import Columnar
import LogicalPlan

/// Function calls that several expressions over one input have in common, evaluated once per batch.
///
/// TPC-H q01 sums `l_extendedprice * (1 - l_discount)` and `l_extendedprice * (1 - l_discount) * (1 + l_tax)`:
/// with the aggregate arguments compiled against one `SharedSubexpressions`, the product and the difference are
/// computed once per batch and reused. The owner calls `startBatch()` before evaluating the expressions on a
/// new batch; values are reused only for evaluations over a whole batch (no selection), the same rows every
/// user sees. One instance serves one thread (an aggregation state), never several at once.
final class SharedSubexpressions: @unchecked Sendable {
    /// The function calls that occur more than once among the expressions.
    private let shared: Set<Expression>
    /// The node compiled for each shared call, so that every occurrence uses the same one.
    private var nodes: [Expression: SharedSubexpressionNode] = [:]
    /// The value of each shared node in the current batch (by node slot), with the batch generation it is for.
    private var values: [(generation: Int, vector: Vector)?] = []
    /// Increases with every batch; 0 before the first (nothing is cached then, for example while folding).
    private var generation = 0

    /// Finds the function calls that occur at least twice in `expressions` (subtrees included).
    init(_ expressions: [Expression]) {
        var counts: [Expression: Int] = [:]
        for expression in expressions {
            _ = expression.transformed { node in
                if case .function = node { counts[node, default: 0] += 1 }
                return node
            }
        }
        shared = Set(counts.filter { $0.value > 1 }.keys)
    }

    /// Whether no call is shared (compiling with this instance then changes nothing).
    var isEmpty: Bool { shared.isEmpty }

    /// Marks the start of a new batch: values cached for the previous one are stale.
    func startBatch() { generation &+= 1 }

    /// The node to use for `expression` compiled as `node`: a caching wrapper when the call is shared (the same
    /// wrapper for every occurrence), else `node` itself.
    func node(for expression: Expression, compiled node: any ExpressionNode) -> any ExpressionNode {
        guard shared.contains(expression), !(node is ConstantNode) else { return node }
        if let existing = nodes[expression] { return existing }
        let wrapper = SharedSubexpressionNode(node: node, cache: self, slot: values.count)
        values.append(nil)
        nodes[expression] = wrapper
        return wrapper
    }

    /// The value of slot `slot` for the current batch, if computed.
    fileprivate func value(_ slot: Int) -> Vector? {
        guard generation > 0, let entry = values[slot], entry.generation == generation else { return nil }
        return entry.vector
    }

    /// Records the value of slot `slot` for the current batch.
    fileprivate func store(_ vector: Vector, _ slot: Int) {
        if generation > 0 { values[slot] = (generation, vector) }
    }
}

/// A shared function call: evaluated on a whole batch once, then reused until the next batch.
struct SharedSubexpressionNode: ExpressionNode {
    let node: any ExpressionNode
    let cache: SharedSubexpressions
    let slot: Int
    var dataType: DataType { node.dataType }
    var isInfallible: Bool { node.isInfallible }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        guard context.selection == nil else { return try node.evaluate(context) }
        if let cached = cache.value(slot) { return cached }
        let vector = try node.evaluate(context)
        cache.store(vector, slot)
        return vector
    }

    func selectTrue(_ context: EvaluationContext) throws -> [Int32] {
        try node.selectTrue(context)
    }
}
