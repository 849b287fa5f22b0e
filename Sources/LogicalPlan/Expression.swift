import Columnar

/// The identity of one column produced somewhere in a plan. The binder hands out a fresh id for every column
/// that a scan, projection, aggregate, values list or set operation produces, so optimizer rules can move
/// expressions between nodes without renumbering: an expression refers to a column by id, never by position.
/// The physical planner maps ids to positions in the batches it wires together.
public struct ColumnID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (left: ColumnID, right: ColumnID) -> Bool { left.rawValue < right.rawValue }
    public var description: String { "#\(rawValue)" }
}

/// A column as a plan node produces it.
public struct PlanColumn: Hashable, Sendable {
    public var id: ColumnID
    /// The name users see (in `SELECT *`, result headers and error messages).
    public var name: String
    public var dataType: DataType
    public var isNullable: Bool

    public init(id: ColumnID, name: String, dataType: DataType, isNullable: Bool = true) {
        self.id = id
        self.name = name
        self.dataType = dataType
        self.isNullable = isNullable
    }
}

/// A bound, typed scalar expression. Types are resolved and coercions made explicit by the binder (as `cast`
/// nodes), so every operand of a function already has the type the kernel expects.
public indirect enum Expression: Hashable, Sendable {
    /// A reference to a column of the node's input(s).
    case column(PlanColumn)
    /// A constant; `.null` is typed by the second value.
    case literal(Value, DataType)
    /// A scalar function or operator applied to its arguments, with its result type.
    case function(ScalarFunction, [Expression], DataType)
    /// A conversion to another type; an error at run time when a value does not convert.
    case cast(Expression, DataType)
    /// Logical AND of two or more operands, with SQL's three-valued logic.
    case and([Expression])
    /// Logical OR of two or more operands, with SQL's three-valued logic.
    case or([Expression])
    /// Logical NOT.
    case not(Expression)
    /// `CASE WHEN c THEN r ... ELSE e END`. Each result is evaluated only for the rows that reach it, so
    /// `CASE WHEN x = 0 THEN 0 ELSE 1 / x END` never divides by zero.
    case caseWhen(whens: [CaseBranch], elseResult: Expression, DataType)
    /// `x IN (a, b, ...)` with SQL's null semantics; `isNegated` for NOT IN.
    case inList(Expression, [Expression], isNegated: Bool)
    /// A subquery used as an expression. Decorrelation rules turn these into joins before execution.
    case subquery(SubqueryExpression)

    /// The type of the expression's result.
    public var dataType: DataType {
        switch self {
        case .column(let column): return column.dataType
        case .literal(_, let type): return type
        case .function(_, _, let type): return type
        case .cast(_, let type): return type
        case .and, .or, .not, .inList: return .boolean
        case .caseWhen(_, _, let type): return type
        case .subquery(let subquery): return subquery.dataType
        }
    }

    /// The ids of the columns the expression reads (not counting those inside subqueries' own plans).
    public var referencedColumns: Set<ColumnID> {
        var result = Set<ColumnID>()
        collectColumns(into: &result)
        return result
    }

    private func collectColumns(into result: inout Set<ColumnID>) {
        switch self {
        case .column(let column): result.insert(column.id)
        case .literal: break
        case .function(_, let arguments, _): for argument in arguments { argument.collectColumns(into: &result) }
        case .cast(let operand, _), .not(let operand): operand.collectColumns(into: &result)
        case .and(let operands), .or(let operands): for operand in operands { operand.collectColumns(into: &result) }
        case .caseWhen(let whens, let elseResult, _):
            for branch in whens {
                branch.condition.collectColumns(into: &result)
                branch.result.collectColumns(into: &result)
            }
            elseResult.collectColumns(into: &result)
        case .inList(let operand, let list, _):
            operand.collectColumns(into: &result)
            for item in list { item.collectColumns(into: &result) }
        case .subquery(let subquery):
            subquery.operand?.collectColumns(into: &result)
            for column in subquery.correlatedColumns { result.insert(column.id) }
        }
    }

    /// The expression with `transform` applied bottom-up to every sub-expression (children first).
    public func transformed(_ transform: (Expression) -> Expression) -> Expression {
        let rebuilt: Expression
        switch self {
        case .column, .literal, .subquery: rebuilt = self
        case .function(let function, let arguments, let type):
            rebuilt = .function(function, arguments.map { $0.transformed(transform) }, type)
        case .cast(let operand, let type): rebuilt = .cast(operand.transformed(transform), type)
        case .not(let operand): rebuilt = .not(operand.transformed(transform))
        case .and(let operands): rebuilt = .and(operands.map { $0.transformed(transform) })
        case .or(let operands): rebuilt = .or(operands.map { $0.transformed(transform) })
        case .caseWhen(let whens, let elseResult, let type):
            rebuilt = .caseWhen(
                whens: whens.map { CaseBranch(condition: $0.condition.transformed(transform), result: $0.result.transformed(transform)) },
                elseResult: elseResult.transformed(transform), type)
        case .inList(let operand, let list, let isNegated):
            rebuilt = .inList(operand.transformed(transform), list.map { $0.transformed(transform) }, isNegated: isNegated)
        }
        return transform(rebuilt)
    }

    /// Whether a subquery occurs anywhere in the expression.
    public var containsSubquery: Bool {
        var found = false
        _ = transformed { node in
            if case .subquery = node { found = true }
            return node
        }
        return found
    }

    /// Whether the expression is a constant (no column references, no subqueries).
    public var isConstant: Bool {
        if case .subquery = self { return false }
        var constant = true
        _ = transformed { node in
            if case .column = node { constant = false }
            if case .subquery = node { constant = false }
            return node
        }
        return constant
    }

    /// Splits a conjunction into its operands: `a AND (b AND c)` gives `[a, b, c]`.
    public var conjuncts: [Expression] {
        if case .and(let operands) = self { return operands.flatMap(\.conjuncts) }
        return [self]
    }

    /// Joins predicates with AND; nil for an empty list.
    public static func conjunction(_ predicates: [Expression]) -> Expression? {
        switch predicates.count {
        case 0: return nil
        case 1: return predicates[0]
        default: return .and(predicates)
        }
    }
}

/// One `WHEN condition THEN result` of a CASE expression.
public struct CaseBranch: Hashable, Sendable {
    public var condition: Expression
    public var result: Expression
    public init(condition: Expression, result: Expression) {
        self.condition = condition
        self.result = result
    }
}

/// A subquery in an expression. `correlatedColumns` lists the outer columns the subquery reads.
public struct SubqueryExpression: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `(SELECT x ...)`: one value, or an error when the subquery yields more than one row.
        case scalar
        /// `EXISTS (...)`.
        case exists
        /// `operand IN (SELECT ...)`.
        case inSubquery
        /// `operand op ANY|ALL (SELECT ...)`.
        case quantified(ScalarFunction, isAll: Bool)
    }

    public var kind: Kind
    public var isNegated: Bool
    /// The left-hand side of IN / ANY / ALL.
    public var operand: Expression?
    public var plan: LogicalPlan
    public var correlatedColumns: [PlanColumn]
    public var dataType: DataType

    public init(kind: Kind, isNegated: Bool, operand: Expression?, plan: LogicalPlan, correlatedColumns: [PlanColumn], dataType: DataType) {
        self.kind = kind
        self.isNegated = isNegated
        self.operand = operand
        self.plan = plan
        self.correlatedColumns = correlatedColumns
        self.dataType = dataType
    }
}
