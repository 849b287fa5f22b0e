import Columnar
import LogicalPlan

/// The TRUE rows and the FALSE rows of a boolean vector as two bitmaps of `count` bits (NULL rows in neither).
func truthBitmaps(_ vector: Vector, count: Int) -> (isTrue: Buffer, isFalse: Buffer) {
    let trueBits = BitmapKernels.allocate(bits: count), falseBits = BitmapKernels.allocate(bits: count)
    let words = BitmapKernels.wordCount(count)
    let t = trueBits.typed(UInt64.self), f = falseBits.typed(UInt64.self)
    if vector.isAllNull { return (trueBits, falseBits) }
    if vector.isConstant {
        let target = vector.column.boolean(at: 0) ? t : f
        for index in 0..<words { target[index] = ~0 }
        return (trueBits, falseBits)
    }
    let valueBits = BitmapKernels.readable(vector.column.values!, count: count)
    defer { withExtendedLifetime(valueBits) {} }
    let values = valueBits.typed(UInt64.self)
    if let validity = vector.column.validity {
        let validBits = BitmapKernels.readable(validity, count: count)
        defer { withExtendedLifetime(validBits) {} }
        let valid = validBits.typed(UInt64.self)
        for index in 0..<words {
            t[index] = values[index] & valid[index]
            f[index] = ~values[index] & valid[index]
        }
    } else {
        for index in 0..<words {
            t[index] = values[index]
            f[index] = ~values[index]
        }
    }
    return (trueBits, falseBits)
}

/// A boolean vector from TRUE and FALSE bitmaps.
func booleanVector(isTrue: Buffer, isFalse: Buffer, count: Int) -> Vector {
    let t = isTrue.typed(UInt64.self), f = isFalse.typed(UInt64.self)
    defer { withExtendedLifetime(isFalse) {} }
    var nullCount = 0
    let validity = BitmapKernels.allocate(bits: count)
    let valid = validity.typed(UInt64.self)
    for index in 0..<BitmapKernels.wordCount(count) { valid[index] = t[index] | f[index] }
    nullCount = count - BitmapKernels.countSet(UnsafePointer(valid), count: count)
    return Vector(booleanColumn(values: isTrue, validity: validity, nullCount: nullCount, count: count))
}

/// The positions among `count` that are not in the ascending list `positions`.
func complementPositions(_ positions: [Int32], count: Int) -> [Int32] {
    var result: [Int32] = []
    result.reserveCapacity(count - positions.count)
    var next = 0
    for position in 0..<Int32(truncatingIfNeeded: count) {
        if next < positions.count && positions[next] == position { next += 1 } else { result.append(position) }
    }
    return result
}

/// Merges two ascending, disjoint position lists.
func mergePositions(_ a: [Int32], _ b: [Int32]) -> [Int32] {
    var result: [Int32] = []
    result.reserveCapacity(a.count + b.count)
    var i = 0, j = 0
    while i < a.count && j < b.count {
        if a[i] < b[j] { result.append(a[i]); i += 1 } else { result.append(b[j]); j += 1 }
    }
    result.append(contentsOf: a[i...])
    result.append(contentsOf: b[j...])
    return result
}

/// AND or OR of two or more operands with three-valued logic. Later operands are evaluated only on the rows
/// the earlier ones have not decided, so `x <> 0 AND 1 / x > 1` never divides by zero.
struct LogicalNode: ExpressionNode {
    let isConjunction: Bool
    let operands: [any ExpressionNode]
    var dataType: DataType { .boolean }
    var isInfallible: Bool { operands.allSatisfy(\.isInfallible) }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let count = context.rowCount
        let first = try operands[0].evaluate(context)
        if operands.count == 1 { return first }
        // For AND a FALSE decides a row; for OR a TRUE does.
        let (isTrue, isFalse) = truthBitmaps(first, count: count)
        let words = BitmapKernels.wordCount(count)
        for operand in operands.dropFirst() {
            let decided = isConjunction ? isFalse : isTrue
            let decidedWords = decided.typed(UInt64.self)
            let decidedCount = withExtendedLifetime(decided) { BitmapKernels.countSet(UnsafePointer(decidedWords), count: count) }
            if decidedCount == count { break }
            let t = isTrue.typed(UInt64.self), f = isFalse.typed(UInt64.self)
            if decidedCount == 0 || operand.isInfallible {
                let (nextTrue, nextFalse) = truthBitmaps(try operand.evaluate(context), count: count)
                let nt = nextTrue.typed(UInt64.self), nf = nextFalse.typed(UInt64.self)
                withExtendedLifetime((nextTrue, nextFalse)) {
                    for index in 0..<words {
                        if isConjunction {
                            t[index] &= nt[index]
                            f[index] |= nf[index]
                        } else {
                            t[index] |= nt[index]
                            f[index] &= nf[index]
                        }
                    }
                }
            } else {
                let undecided = withExtendedLifetime(decided) {
                    complementPositions(BitmapKernels.setPositions(UnsafePointer(decidedWords), count: count), count: count)
                }
                let vector = try context.withPositions(undecided) { try operand.evaluate($0) }
                let (nextTrue, nextFalse) = truthBitmaps(vector, count: undecided.count)
                let nt = UnsafeRawPointer(nextTrue.pointer), nf = UnsafeRawPointer(nextFalse.pointer)
                let tBytes = isTrue.pointer, fBytes = isFalse.pointer
                withExtendedLifetime((nextTrue, nextFalse)) {
                    for (index, position) in undecided.enumerated() {
                        let row = Int(position)
                        if isConjunction {
                            if !Bitmap.isSet(nt, index) { Bitmap.clear(tBytes, row) }
                            if Bitmap.isSet(nf, index) { Bitmap.set(fBytes, row) }
                        } else {
                            if Bitmap.isSet(nt, index) { Bitmap.set(tBytes, row) }
                            if !Bitmap.isSet(nf, index) { Bitmap.clear(fBytes, row) }
                        }
                    }
                }
            }
        }
        return booleanVector(isTrue: isTrue, isFalse: isFalse, count: count)
    }

    func selectTrue(_ context: EvaluationContext) throws -> [Int32] {
        let count = context.rowCount
        var positions = try operands[0].selectTrue(context)
        for operand in operands.dropFirst() {
            if isConjunction {
                if positions.isEmpty { break }
                if positions.count == count {
                    positions = try operand.selectTrue(context)
                } else {
                    let selected = try context.withPositions(positions) { try operand.selectTrue($0) }
                    positions = selected.map { positions[Int($0)] }
                }
            } else {
                if positions.count == count { break }
                let remaining = complementPositions(positions, count: count)
                let selected = try context.withPositions(remaining) { try operand.selectTrue($0) }
                positions = mergePositions(positions, selected.map { remaining[Int($0)] })
            }
        }
        return positions
    }
}

/// Logical NOT: NULL stays NULL.
struct NotNode: ExpressionNode {
    let operand: any ExpressionNode
    var dataType: DataType { .boolean }
    var isInfallible: Bool { operand.isInfallible }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let vector = try operand.evaluate(context)
        if vector.isAllNull { return vector.isConstant ? .null(.boolean) : Vector(nullColumn(.boolean, count: vector.column.count)) }
        let count = vector.column.count
        let values = BitmapKernels.allocate(bits: count)
        let sourceBits = BitmapKernels.readable(vector.column.values!, count: count)
        defer { withExtendedLifetime(sourceBits) {} }
        let source = sourceBits.typed(UInt64.self)
        let out = values.typed(UInt64.self)
        for index in 0..<BitmapKernels.wordCount(count) { out[index] = ~source[index] }
        return Vector(booleanColumn(values: values, validity: vector.column.validity, nullCount: vector.column.nullCount,
                                    count: count), isConstant: vector.isConstant)
    }

    func selectTrue(_ context: EvaluationContext) throws -> [Int32] {
        let vector = try operand.evaluate(context)
        let isFalse = truthBitmaps(vector, count: context.rowCount).isFalse
        return withExtendedLifetime(isFalse) { BitmapKernels.setPositions(UnsafePointer(isFalse.typed(UInt64.self)), count: context.rowCount) }
    }
}

/// The tests that are never NULL: IS [NOT] NULL, IS [NOT] TRUE, IS [NOT] FALSE.
enum TruthTest: Sendable {
    case isNull, isNotNull, isTrue, isFalse, isNotTrue, isNotFalse
}

/// `x IS [NOT] NULL`, `x IS [NOT] TRUE|FALSE`.
struct TruthTestNode: ExpressionNode {
    let test: TruthTest
    let operand: any ExpressionNode
    var dataType: DataType { .boolean }
    var isInfallible: Bool { operand.isInfallible }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let vector = try operand.evaluate(context)
        let count = vector.isConstant ? 1 : context.rowCount
        let values = BitmapKernels.allocate(bits: count)
        let out = values.typed(UInt64.self)
        let words = BitmapKernels.wordCount(count)
        switch test {
        case .isNull, .isNotNull:
            let wantNull = test == .isNull
            if vector.isAllNull {
                if wantNull { for index in 0..<words { out[index] = ~0 } }
            } else if let validity = vector.column.validity {
                let validBits = BitmapKernels.readable(validity, count: count)
                let valid = validBits.typed(UInt64.self)
                withExtendedLifetime(validBits) {
                    for index in 0..<words { out[index] = wantNull ? ~valid[index] : valid[index] }
                }
            } else if !wantNull {
                for index in 0..<words { out[index] = ~0 }
            }
        case .isTrue, .isFalse, .isNotTrue, .isNotFalse:
            let (isTrue, isFalse) = truthBitmaps(vector, count: count)
            let t = isTrue.typed(UInt64.self), f = isFalse.typed(UInt64.self)
            defer { withExtendedLifetime((isTrue, isFalse)) {} }
            for index in 0..<words {
                switch test {
                case .isTrue: out[index] = t[index]
                case .isFalse: out[index] = f[index]
                case .isNotTrue: out[index] = ~t[index]
                default: out[index] = ~f[index]
                }
            }
        }
        return Vector(booleanColumn(values: values, validity: nil, nullCount: 0, count: count), isConstant: vector.isConstant)
    }
}

/// `a IS [NOT] DISTINCT FROM b`: equality where NULL equals NULL; never NULL.
struct DistinctNode: ExpressionNode {
    let isDistinct: Bool
    let storage: ComparisonStorage?
    let left: any ExpressionNode
    let right: any ExpressionNode
    var dataType: DataType { .boolean }
    var isInfallible: Bool { left.isInfallible && right.isInfallible }

    func evaluate(_ context: EvaluationContext) throws -> Vector {
        let a = try left.evaluate(context), b = try right.evaluate(context)
        let bothConstant = a.isConstant && b.isConstant
        let count = bothConstant ? 1 : context.rowCount
        let values = BitmapKernels.allocate(bits: count)
        let out = values.typed(UInt64.self)
        let words = BitmapKernels.wordCount(count)
        let aNull = a.isAllNull, bNull = b.isAllNull
        let aValid = validWords(a, count: count, allNull: aNull), bValid = validWords(b, count: count, allNull: bNull)
        let av = aValid.typed(UInt64.self), bv = bValid.typed(UInt64.self)
        defer { withExtendedLifetime((aValid, bValid)) {} }
        if aNull || bNull || storage == nil {
            // Distinct exactly where one side is null and the other is not.
            for index in 0..<words { out[index] = av[index] ^ bv[index] }
        } else if let storage {
            let equal = BitmapKernels.allocate(bits: count)
            let eq = equal.typed(UInt64.self)
            defer { withExtendedLifetime(equal) {} }
            comparisonWords(.equal, storage, a, b, into: eq, count: count)
            for index in 0..<words {
                out[index] = (av[index] ^ bv[index]) | (av[index] & bv[index] & ~eq[index])
            }
        }
        if !isDistinct { for index in 0..<words { out[index] = ~out[index] } }
        return Vector(booleanColumn(values: values, validity: nil, nullCount: 0, count: count), isConstant: bothConstant)
    }

    private func validWords(_ vector: Vector, count: Int, allNull: Bool) -> Buffer {
        if allNull { return BitmapKernels.allocate(bits: count) }
        if vector.isConstant { return BitmapKernels.allSet(count: count) }
        if let validity = vector.column.validity { return BitmapKernels.readable(validity, count: count) }
        return BitmapKernels.allSet(count: count)
    }
}
