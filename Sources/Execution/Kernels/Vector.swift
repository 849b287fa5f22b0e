import Columnar

/// An intermediate result of expression evaluation: one value per row of the evaluation context, or a single
/// value (a one-row column) that stands for every row. Constants stay compact until `materialized(count:)`.
struct Vector: Sendable {
    /// The values: `count` rows, or exactly one row when `isConstant`.
    var column: Column
    /// Whether the single row of `column` stands for every row.
    var isConstant: Bool

    @inline(__always)
    init(_ column: Column, isConstant: Bool = false) {
        self.column = column
        self.isConstant = isConstant
    }

    /// A constant vector holding `value` (which must be null or of `type`).
    static func constant(_ value: Value, _ type: DataType) -> Vector {
        var builder = ColumnBuilder(type, capacity: 1)
        if type == .null || value.isNull { builder.appendNull() } else { builder.append(value) }
        return Vector(builder.finish(), isConstant: true)
    }

    /// A vector of nulls of `type`, compact.
    static func null(_ type: DataType) -> Vector { constant(.null, type) }

    @inline(__always)
    var dataType: DataType { column.dataType }

    /// Whether every row is null (a null constant, a null-typed vector or a column of nulls).
    var isAllNull: Bool {
        column.dataType == .null || (column.count > 0 && column.nullCount == column.count)
    }

    /// The single value of a constant vector, as a scalar.
    var constantValue: Value { column.scalar(at: 0) }

    /// The validity bitmap of a non-constant vector (nil when it has no nulls).
    @inline(__always)
    var validity: Buffer? { isConstant ? nil : column.validity }

    /// The fixed-width values as a kernel operand. Must not be called on a null-typed or all-null constant.
    @inline(__always)
    func operand<T>(_ type: T.Type) -> Operand<T> {
        if isConstant { return .scalar(column.values!.typed(T.self)[0]) }
        return .values(UnsafePointer(column.values!.typed(T.self)))
    }

    /// A full column of `count` rows.
    func materialized(count: Int) -> Column {
        isConstant ? broadcast(column, count: count) : column
    }
}

/// An operand of a kernel: one value per row, or a single value standing for every row.
enum Operand<T> {
    case values(UnsafePointer<T>)
    case scalar(T)

    /// The value of row `index` (slow paths only: hot loops switch on the case once).
    @inline(__always)
    subscript(index: Int) -> T {
        switch self {
        case .values(let pointer): return pointer[index]
        case .scalar(let value): return value
        }
    }
}

/// Applies `body` to every row of two operands, writing `out`. Returns whether any call raised the flag
/// (overflow, division by zero...); the caller then looks for a real error among the valid rows.
@inline(__always)
func mapBinary<L, R, O>(_ left: Operand<L>, _ right: Operand<R>, into out: UnsafeMutablePointer<O>, count: Int,
                        _ body: (L, R, inout Bool) -> O) -> Bool {
    var flag = false
    switch (left, right) {
    case (.values(let a), .values(let b)):
        for index in 0..<count { out[index] = body(a[index], b[index], &flag) }
    case (.values(let a), .scalar(let b)):
        for index in 0..<count { out[index] = body(a[index], b, &flag) }
    case (.scalar(let a), .values(let b)):
        for index in 0..<count { out[index] = body(a, b[index], &flag) }
    case (.scalar(let a), .scalar(let b)):
        let value = body(a, b, &flag)
        for index in 0..<count { out[index] = value }
    }
    return flag
}

/// Applies `body` to every row of an operand, writing `out`; returns whether any call raised the flag.
@inline(__always)
func mapUnary<I, O>(_ input: Operand<I>, into out: UnsafeMutablePointer<O>, count: Int,
                    _ body: (I, inout Bool) -> O) -> Bool {
    var flag = false
    switch input {
    case .values(let a):
        for index in 0..<count { out[index] = body(a[index], &flag) }
    case .scalar(let a):
        let value = body(a, &flag)
        for index in 0..<count { out[index] = value }
    }
    return flag
}

/// Evaluates a predicate on every row of two operands into bit-packed words (bit `i` of word `i >> 6`).
///
/// The loops are branch-free (each result becomes a bit by a shift, not a conditional jump), so that the
/// cost does not depend on how predictable the data is, and whole words have a constant trip count.
@inline(__always)
func predicateBinary<L, R>(_ left: Operand<L>, _ right: Operand<R>, into out: UnsafeMutablePointer<UInt64>,
                           count: Int, _ body: (L, R) -> Bool) {
    switch (left, right) {
    case (.values(let a), .values(let b)):
        packPredicateBits(into: out, count: count) { body(a[$0], b[$0]) }
    case (.values(let a), .scalar(let b)):
        packPredicateBits(into: out, count: count) { body(a[$0], b) }
    case (.scalar(let a), .values(let b)):
        packPredicateBits(into: out, count: count) { body(a, b[$0]) }
    case (.scalar(let a), .scalar(let b)):
        let bits: UInt64 = body(a, b) ? ~0 : 0
        for word in 0..<((count + 63) >> 6) { out[word] = bits }
    }
}

/// Writes the bits `row(i)` for `i` in `0..<count` into words, branch-free; bits past `count` in the last word
/// are zero.
@inline(__always)
func packPredicateBits(into out: UnsafeMutablePointer<UInt64>, count: Int, _ row: (Int) -> Bool) {
    let fullWords = count >> 6
    for word in 0..<fullWords {
        let base = word &<< 6
        var bits: UInt64 = 0
        for bit in 0..<64 { bits |= (row(base &+ bit) ? 1 : 0) &<< UInt64(bit) }
        out[word] = bits
    }
    let rest = count & 63
    if rest > 0 {
        let base = fullWords &<< 6
        var bits: UInt64 = 0
        for bit in 0..<rest { bits |= (row(base &+ bit) ? 1 : 0) &<< UInt64(bit) }
        out[fullWords] = bits
    }
}

/// Evaluates a predicate on every row of an operand into bit-packed words.
@inline(__always)
func predicateUnary<I>(_ input: Operand<I>, into out: UnsafeMutablePointer<UInt64>, count: Int,
                       _ body: (I) -> Bool) {
    predicateBinary(input, Operand<Bool>.scalar(false), into: out, count: count) { value, _ in body(value) }
}

/// Returns the first error `check` reports for a valid row (rows whose bit is set in `validity`, or all rows).
/// Kernels run a fast loop that only raises a flag, then call this to find the real culprit, so that garbage in
/// null slots never causes an error.
@inline(__always)
func firstError(count: Int, validity: Buffer?, _ check: (Int) -> ExecutionError?) -> ExecutionError? {
    for index in 0..<count {
        if let validity, !Bitmap.isSet(validity.pointer, index) { continue }
        if let error = check(index) { return error }
    }
    return nil
}
