import Columnar
import LogicalPlan
import Testing
@testable import Execution

/// Compares compiled evaluation with a row-at-a-time reference on random expressions over random data, for
/// batch sizes around word boundaries, with and without selections.
@Suite struct ExpressionDifferentialTests {
    /// A deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// The reference semantics, one row at a time.
    static func reference(_ expression: Expression, _ row: [Value]) -> Value {
        func bool(_ value: Value) -> Bool? { if case .boolean(let b) = value { return b }; return nil }
        func int(_ value: Value) -> Int64? { if case .int64(let v) = value { return v }; return nil }
        switch expression {
        case .column(let column): return row[column.id.rawValue]
        case .literal(let value, _): return value
        case .function(let function, let arguments, _):
            let values = arguments.map { reference($0, row) }
            switch function {
            case .add, .subtract, .multiply:
                guard let a = int(values[0]), let b = int(values[1]) else { return .null }
                let result = function == .add ? a.addingReportingOverflow(b) : function == .subtract ? a.subtractingReportingOverflow(b) : a.multipliedReportingOverflow(by: b)
                return result.overflow ? .string("overflow") : .int64(result.partialValue)
            case .equal, .notEqual, .less, .greaterOrEqual:
                guard let a = int(values[0]), let b = int(values[1]) else { return .null }
                switch function {
                case .equal: return .boolean(a == b)
                case .notEqual: return .boolean(a != b)
                case .less: return .boolean(a < b)
                default: return .boolean(a >= b)
                }
            case .isNull: return .boolean(values[0].isNull)
            case .isDistinctFrom: return .boolean(values[0] != values[1])
            case .coalesce: return values.first { !$0.isNull } ?? .null
            case .greatest:
                let present = values.compactMap(int)
                return present.max().map { .int64($0) } ?? .null
            default: fatalError("not generated")
            }
        case .and(let operands):
            let values = operands.map { bool(reference($0, row)) }
            if values.contains(false) { return .boolean(false) }
            return values.contains(nil) ? .null : .boolean(true)
        case .or(let operands):
            let values = operands.map { bool(reference($0, row)) }
            if values.contains(true) { return .boolean(true) }
            return values.contains(nil) ? .null : .boolean(false)
        case .not(let operand):
            return bool(reference(operand, row)).map { .boolean(!$0) } ?? .null
        case .caseWhen(let whens, let elseResult, _):
            for branch in whens where bool(reference(branch.condition, row)) == true { return reference(branch.result, row) }
            return reference(elseResult, row)
        case .inList(let operand, let list, let isNegated):
            guard let value = int(reference(operand, row)) else { return .null }
            let items = list.map { int(reference($0, row)) }
            if items.contains(value) { return .boolean(!isNegated) }
            return items.contains(nil) ? .null : .boolean(isNegated)
        default: fatalError("not generated")
        }
    }

    static func randomInteger(_ generator: inout Generator, _ columns: [PlanColumn], depth: Int) -> Expression {
        if depth <= 0 || generator.below(3) == 0 {
            if generator.below(3) == 0 {
                return generator.below(8) == 0 ? .literal(.null, .int64) : .literal(.int64(Int64(generator.below(21)) - 10), .int64)
            }
            return .column(columns[generator.below(columns.count)])
        }
        switch generator.below(5) {
        case 0, 1:
            let function: ScalarFunction = [.add, .subtract, .multiply][generator.below(3)]
            return .function(function, [randomInteger(&generator, columns, depth: depth - 1), randomInteger(&generator, columns, depth: depth - 1)], .int64)
        case 2:
            return .caseWhen(whens: [CaseBranch(condition: randomBoolean(&generator, columns, depth: depth - 1),
                                                result: randomInteger(&generator, columns, depth: depth - 1))],
                             elseResult: randomInteger(&generator, columns, depth: depth - 1), .int64)
        case 3:
            return .function(.coalesce, [randomInteger(&generator, columns, depth: depth - 1), randomInteger(&generator, columns, depth: depth - 1)], .int64)
        default:
            return .function(.greatest, [randomInteger(&generator, columns, depth: depth - 1), randomInteger(&generator, columns, depth: depth - 1)], .int64)
        }
    }

    static func randomBoolean(_ generator: inout Generator, _ columns: [PlanColumn], depth: Int) -> Expression {
        let leaf = depth <= 0 || generator.below(3) == 0
        switch leaf ? generator.below(3) : generator.below(7) {
        case 0:
            let function: ScalarFunction = [.equal, .notEqual, .less, .greaterOrEqual][generator.below(4)]
            return .function(function, [randomInteger(&generator, columns, depth: depth - 1), randomInteger(&generator, columns, depth: depth - 1)], .boolean)
        case 1:
            return .function(.isNull, [randomInteger(&generator, columns, depth: depth - 1)], .boolean)
        case 2:
            let items = (0..<(1 + generator.below(9))).map { _ in
                generator.below(6) == 0 ? Expression.literal(.null, .int64) : .literal(.int64(Int64(generator.below(21)) - 10), .int64)
            }
            return .inList(randomInteger(&generator, columns, depth: depth - 1), items, isNegated: generator.below(2) == 0)
        case 3:
            return .and((0..<(2 + generator.below(2))).map { _ in randomBoolean(&generator, columns, depth: depth - 1) })
        case 4:
            return .or((0..<(2 + generator.below(2))).map { _ in randomBoolean(&generator, columns, depth: depth - 1) })
        case 5:
            return .not(randomBoolean(&generator, columns, depth: depth - 1))
        default:
            return .function(.isDistinctFrom, [randomInteger(&generator, columns, depth: depth - 1), randomInteger(&generator, columns, depth: depth - 1)], .boolean)
        }
    }

    @Test(arguments: [1, 63, 64, 65, 130, 257])
    func randomExpressionsAgreeWithTheReference(rowCount: Int) throws {
        var generator = Generator(state: UInt64(rowCount) * 7919)
        let columnValues: [[Value]] = (0..<3).map { _ in
            (0..<rowCount).map { _ in generator.below(5) == 0 ? .null : .int64(Int64(generator.below(21)) - 10) }
        }
        let (batch, columns) = ExpressionFixture.batch(columnValues.enumerated().map { ("c\($0.offset)", .int64, $0.element) })
        let rows = (0..<rowCount).map { row in columnValues.map { $0[row] } }
        let selection: [Int32] = (0..<rowCount).filter { _ in generator.below(3) != 0 }.map { Int32($0) } + (rowCount > 2 ? [1, 0] : [])
        for trial in 0..<60 {
            let isPredicate = trial % 2 == 0
            let expression = isPredicate ? Self.randomBoolean(&generator, columns, depth: 3) : Self.randomInteger(&generator, columns, depth: 3)
            let expected = rows.map { Self.reference(expression, $0) }
            let overflows = expected.contains(.string("overflow"))
            let compiled = try CompiledExpression(expression, layout: ColumnLayout(columns))
            if overflows {
                // Some row overflows somewhere: the engine may only raise `bigint out of range` or agree.
                if let message = ExpressionFixture.errorMessage({ try compiled.evaluate(batch) }) {
                    #expect(message == "bigint out of range")
                }
                continue
            }
            let actual: [Value]
            do {
                actual = try compiled.evaluate(batch).scalars
            } catch {
                Issue.record("\(error) for \(expression)")
                continue
            }
            #expect(actual == expected, "\(expression)")
            let selected = try selection.withUnsafeBufferPointer { try compiled.evaluate(batch, selection: $0) }.scalars
            #expect(selected == selection.map { expected[Int($0)] }, "selection: \(expression)")
            if isPredicate {
                let trueRows = expected.indices.filter { expected[$0] == .boolean(true) }.map { Int32($0) }
                #expect(try compiled.selectTrue(batch) == trueRows, "selectTrue: \(expression)")
                let trueSelected = selection.filter { expected[Int($0)] == .boolean(true) }
                let actualSelected = try selection.withUnsafeBufferPointer { try compiled.selectTrue(batch, selection: $0) }
                #expect(actualSelected == trueSelected, "selectTrue with selection: \(expression)")
            }
        }
    }
}
