import Catalog
import Columnar
import LogicalPlan

/// One rewrite of a logical plan. A rule returns a plan that produces the same rows and the same output
/// columns (ids and types) as its input; the optimizer checks the columns after every rule.
public protocol OptimizerRule: Sendable {
    /// The rule's name, as `SET disabled_rules = '...'` spells it (`predicate_pushdown`).
    var name: String { get }
    /// The rewritten plan (or `plan` itself when the rule does not apply).
    func rewrite(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan
}

/// What rules may consult while they rewrite a plan.
public struct OptimizerContext: Sendable {
    /// The catalog, for row counts and statistics; nil when optimizing without one (tests, constant queries).
    public var catalog: (any Catalog)?
    /// Names of rules to skip.
    public var disabledRules: Set<String>

    public init(catalog: (any Catalog)? = nil, disabledRules: Set<String> = []) {
        self.catalog = catalog
        self.disabledRules = disabledRules
    }
}

/// An error from the optimizer: a plan shape it does not support yet, or a rule that broke the plan.
public struct OptimizerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs rewrite rules over a logical plan until it stops changing.
public struct Optimizer: Sendable {
    /// The rules, applied in this order in every pass.
    public var rules: [any OptimizerRule]
    /// The most passes over the rules before the optimizer stops even if the plan still changes.
    public static let maximumPasses = 10

    public init(rules: [any OptimizerRule] = Optimizer.defaultRules) {
        self.rules = rules
    }

    /// The standard rules, in order: common table expressions are expanded where they are not worth computing
    /// once; subqueries become joins next (correlated ones dependent joins, which are
    /// unnested right away) so the other rules see plain joins; expressions are simplified before predicates
    /// move; joins are reordered once predicates have become join conditions; pruning runs once predicates have
    /// settled; join sides are chosen last, on the final shape.
    public static var defaultRules: [any OptimizerRule] {
        [CommonTableExpressionInlining(), SubqueryToJoin(), DependentJoinUnnesting(), SimplifyExpressions(), FactorDisjunctions(), DisjunctionFilterDerivation(),
         PredicatePushdown(),
         JoinReordering(), ProjectionPruning(), JoinSideSelection()]
    }

    /// The names of the rules, for validating `SET disabled_rules`.
    public var ruleNames: [String] { rules.map(\.name) }

    /// The plan rewritten by every enabled rule, pass after pass, until a pass changes nothing (at most
    /// `maximumPasses` passes). Throws when a rule cannot handle the plan or changes its output columns.
    public func optimize(_ plan: LogicalPlan, context: OptimizerContext) throws -> LogicalPlan {
        let expected = plan.columns.map(OutputColumn.init)
        var current = plan
        for _ in 0..<Self.maximumPasses {
            let passInput = current
            for rule in rules where !context.disabledRules.contains(rule.name) {
                let rewritten = try rule.rewrite(current, context: context)
                let produced = rewritten.columns.map(OutputColumn.init)
                guard produced == expected else {
                    throw OptimizerError("optimizer rule \(rule.name) changed the plan's output columns from "
                        + "\(OutputColumn.describe(expected)) to \(OutputColumn.describe(produced))")
                }
                current = rewritten
            }
            if current == passInput { break }
        }
        return current
    }
}

/// What must not change about a plan's output: the ids and types of its columns.
private struct OutputColumn: Equatable {
    var id: ColumnID
    var dataType: DataType

    init(_ column: PlanColumn) {
        id = column.id
        dataType = column.dataType
    }

    static func describe(_ columns: [OutputColumn]) -> String {
        "[" + columns.map { "\($0.id) \($0.dataType)" }.joined(separator: ", ") + "]"
    }
}
