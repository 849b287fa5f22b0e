import Columnar
import LogicalPlan

/// `x [NOT] IN (a, b, ...)` with SQL's NULL semantics: NULL when `x` is NULL, or when no item matches and some
/// item is NULL. Constant lists are matched with a hash set (or a few vectorized comparisons when short).
struct InListNode: ExpressionNode {
    /// How the list is matched.
    enum Matcher: Sendable {
        /// Constant items (their non-null values), compared one by one.
        case constants([Vector], hasNull: Bool)
        /// Constant items in a hash set.
        case set(MembershipSet, hasNull: Bool)
        /// Items evaluated per batch.
        case expressions([any ExpressionNode])
    }

    let operand: any ExpressionNode
    let matcher: Matcher
    let storage: ComparisonStorage
    let isNegated: Bool
    var dataType: DataType { .boolean }
    var isInfallible: Bool {
        guard operand.isInfallible else { return false }
        if case .expressions(let items) = matcher { return items.allSatisfy(\.isInfallible) }
        return true
    }

    /// The TRUE and FALSE bitmaps of the (non-negated) membership test over `count` rows.
    private func membership(_ value: Vector, _ context: EvaluationContext, count: Int) throws -> (isTrue: Buffer, isFalse: Buffer) {
        let words = BitmapKernels.wordCount(count)
        let found = BitmapKernels.allocate(bits: count)
        let foundWords = found.typed(UInt64.self)
        // Rows where some item was NULL (or compared as NULL) and none matched.
        let unknown = BitmapKernels.allocate(bits: count)
        let unknownWords = unknown.typed(UInt64.self)
        let scratch = BitmapKernels.allocate(bits: count)
        let scratchWords = scratch.typed(UInt64.self)
        var keptAlive: [Buffer] = [unknown]
        defer { withExtendedLifetime(keptAlive) {} }
        switch matcher {
        case .constants(let items, let hasNull):
            for item in items {
                comparisonWords(.equal, storage, value, item, into: scratchWords, count: count)
                for index in 0..<words { foundWords[index] |= scratchWords[index] }
            }
            if hasNull { for index in 0..<words { unknownWords[index] = ~0 } }
        case .set(let set, let hasNull):
            set.membershipWords(value, into: foundWords, count: count)
            if hasNull { for index in 0..<words { unknownWords[index] = ~0 } }
        case .expressions(let items):
            for item in items {
                let vector = try coerced(try item.evaluate(context), to: value.dataType)
                if vector.isAllNull {
                    for index in 0..<words { unknownWords[index] = ~0 }
                    continue
                }
                comparisonWords(.equal, storage, value, vector, into: scratchWords, count: count)
                if let validity = vector.validity {
                    let validBits = BitmapKernels.readable(validity, count: count)
                    keptAlive.append(validBits)
                    let valid = validBits.typed(UInt64.self)
                    for index in 0..<words {
                        foundWords[index] |= scratchWords[index] & valid[index]
                        unknownWords[index] |= ~valid[index]
                    }
                } else {
                    for index in 0..<words { foundWords[index] |= scratchWords[index] }
                }
            }
        }
        // Operand validity.
        let operandBits = value.validity.map { BitmapKernels.readable($0, count: count) }
        if let operandBits { keptAlive.append(operandBits) }
        let operandValid = operandBits?.typed(UInt64.self)
        let isFalse = scratch
        for index in 0..<words {
            let valid = operandValid?[index] ?? ~0
            foundWords[index] &= valid
            scratchWords[index] = ~foundWords[index] & ~unknownWords[index] & valid
        }
        return (found, isFalse)
    }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let value = try operand.evaluate(context)
        if value.isAllNull { return .null(.boolean) }
        var constantResult = value.isConstant
        if case .expressions = matcher { constantResult = false }
        let count = constantResult ? 1 : context.rowCount
        let (isTrue, isFalse) = try membership(value, context, count: count)
        let result = isNegated ? booleanVector(isTrue: isFalse, isFalse: isTrue, count: count)
                               : booleanVector(isTrue: isTrue, isFalse: isFalse, count: count)
        return Vector(result.column, isConstant: constantResult)
    }

    func selectTrue(_ context: EvaluationContext) throws -> [Int32] {
        let value = try operand.evaluate(context)
        if value.isAllNull { return [] }
        if value.isConstant { return truePositions(try evaluate(context), count: context.rowCount) }
        let count = context.rowCount
        let (isTrue, isFalse) = try membership(value, context, count: count)
        let chosen = isNegated ? isFalse : isTrue
        return withExtendedLifetime((isTrue, isFalse)) { BitmapKernels.setPositions(UnsafePointer(chosen.typed(UInt64.self)), count: count) }
    }
}
