import Columnar
import LogicalPlan
@testable import Execution

/// Builds expressions and batches for expression tests.
enum ExpressionFixture {
    /// A column built from scalars.
    static func column(_ type: DataType, _ values: [Value]) -> Column {
        var builder = ColumnBuilder(type, capacity: values.count)
        for value in values { builder.append(value) }
        return builder.finish()
    }

    /// A batch of named columns, and the plan columns (ids 0, 1, ...) that refer to them.
    static func batch(_ columns: [(name: String, type: DataType, values: [Value])]) -> (batch: RecordBatch, columns: [PlanColumn]) {
        let planColumns = columns.enumerated().map { PlanColumn(id: ColumnID($0.offset), name: $0.element.name, dataType: $0.element.type) }
        let built = columns.map { column($0.type, $0.values) }
        let schema = Schema(columns.map { Field($0.name, $0.type) })
        return (RecordBatch(schema: schema, columns: built, rowCount: columns.first?.values.count ?? 0), planColumns)
    }

    /// Evaluates `expression` over `batch` and returns the result as scalars.
    static func evaluate(_ expression: Expression, _ batch: RecordBatch, _ columns: [PlanColumn]) throws -> [Value] {
        let compiled = try CompiledExpression(expression, layout: ColumnLayout(columns))
        let result = try compiled.evaluate(batch)
        precondition(result.count == batch.rowCount, "result has \(result.count) rows, expected \(batch.rowCount)")
        return result.scalars
    }

    /// Evaluates a constant expression.
    static func constant(_ expression: Expression) throws -> Value {
        try evaluateConstant(expression)
    }

    /// The message of the error `body` throws, or nil.
    static func errorMessage(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as ExecutionError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}

/// Short expression and value builders for expression tests.
enum Ex {
    static func literal(_ value: Value) -> Expression { .literal(value, value.dataType) }
    static func int32(_ value: Int32) -> Expression { .literal(.int32(value), .int32) }
    static func int64(_ value: Int64) -> Expression { .literal(.int64(value), .int64) }
    static func text(_ value: String) -> Expression { .literal(.string(value), .utf8) }
    static func boolean(_ value: Bool) -> Expression { .literal(.boolean(value), .boolean) }
    static func nullLiteral(_ type: DataType) -> Expression { .literal(.null, type) }
    static func decimal(_ text: String, _ precision: Int, _ scale: Int) -> Expression {
        .literal(.decimal(DecimalFormat.parse(Substring(text), precision: precision, scale: scale)!, precision: precision, scale: scale),
                 .decimal128(precision: precision, scale: scale))
    }
    static func date(_ text: String) -> Expression { .literal(.date(DateFormat.parse(Substring(text))!), .date32) }
    static func interval(months: Int32 = 0, days: Int32 = 0, nanoseconds: Int64 = 0) -> Expression {
        .literal(.interval(IntervalValue(months: months, days: days, nanoseconds: nanoseconds)), .interval)
    }
    static func call(_ function: ScalarFunction, _ arguments: Expression..., type: DataType) -> Expression {
        .function(function, arguments, type)
    }
    static func dateValue(_ text: String) -> Value { .date(DateFormat.parse(Substring(text))!) }
    static func decimalValue(_ text: String, _ precision: Int, _ scale: Int) -> Value {
        .decimal(DecimalFormat.parse(Substring(text), precision: precision, scale: scale)!, precision: precision, scale: scale)
    }

}
