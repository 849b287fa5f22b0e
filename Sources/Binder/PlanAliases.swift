// Names for LogicalPlan and Catalog types whose names clash with SQLSyntax's AST types. This file imports only the
// modules that define them, so the unqualified names here are unambiguous.
import Catalog
import LogicalPlan

/// A bound, typed expression of the logical plan (`LogicalPlan.Expression`).
typealias BoundExpression = Expression
/// A join node of the logical plan.
typealias PlanJoin = Join
/// The kinds of a logical join.
typealias PlanJoinKind = JoinKind
/// A set operation node of the logical plan.
typealias PlanSetOperation = SetOperation
/// The frame of a window call in the logical plan.
typealias PlanWindowFrame = WindowFrame
/// A column of a stored table (`Catalog.ColumnDefinition`).
typealias StoredColumnDefinition = ColumnDefinition
