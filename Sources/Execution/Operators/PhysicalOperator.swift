import Columnar
import LogicalPlan

/// A pull-based physical operator: each `next()` returns the next batch of rows, or nil at the end.
///
/// Batches hold at most a few thousand rows (2048 typically), with one column per entry of `columns`, in that
/// order: field names are the columns' names and field types their types. Operators check the query's
/// cancellation between batches and throw `query cancelled`.
public protocol PhysicalOperator: AnyObject {
    /// The columns of the batches the operator produces, in order.
    var columns: [PlanColumn] { get }
    /// Produces the next batch, or nil when the operator is exhausted.
    func next() throws -> RecordBatch?
    /// A short description for EXPLAIN ANALYZE, such as `HashJoin (left)` or `Scan lineitem`.
    var name: String { get }
    /// The operator's inputs, left to right.
    var children: [any PhysicalOperator] { get }
    /// The number of rows produced so far.
    var producedRows: Int { get }
}

/// Renders an operator tree for EXPLAIN ANALYZE: one line per operator with its produced row count,
/// children indented under their parent.
public func renderOperatorProfile(_ root: any PhysicalOperator) -> String {
    var lines: [String] = []
    func visit(_ node: any PhysicalOperator, depth: Int) {
        lines.append(String(repeating: "  ", count: depth) + "\(node.name) (rows=\(node.producedRows))")
        for child in node.children { visit(child, depth: depth + 1) }
    }
    visit(root, depth: 0)
    return lines.joined(separator: "\n")
}
