// Names for SQLSyntax AST types whose names clash with LogicalPlan and Catalog types. This file imports only
// SQLSyntax, so the unqualified names here are unambiguous.
import SQLSyntax

/// An expression of the abstract syntax tree.
typealias SyntaxExpression = Expression
/// A join of the abstract syntax tree.
typealias SyntaxJoin = Join
/// A set operation of the abstract syntax tree.
typealias SyntaxSetOperation = SetOperation
/// A window frame as written (`ROWS BETWEEN ...`).
typealias SyntaxWindowFrame = WindowFrame
/// A column of `CREATE TABLE` as written.
typealias SyntaxColumnDefinition = ColumnDefinition
