// Unambiguous names for types whose names clash between SQLSyntax, LogicalPlan and Catalog.
import Catalog
import LogicalPlan

typealias StoredColumn = ColumnDefinition
typealias PlanExpression = Expression
typealias PlanJoin = Join
typealias PlanJoinKind = JoinKind
