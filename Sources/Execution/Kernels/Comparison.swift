import Columnar

/// The six comparison operators.
enum ComparisonOperator: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual

    /// The operator with its operands swapped: `a < b` is `b > a`.
    var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }

    /// Whether a three-way comparison result (negative, zero, positive) satisfies the operator.
    @inline(__always)
    func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}

/// Calls `body` with the comparison closure for `operator`, so each operator gets its own specialized loop.
@inline(__always)
func withComparison<T: Comparable, R>(_ comparison: ComparisonOperator, _ type: T.Type,
                                      _ body: ((T, T) -> Bool) -> R) -> R {
    switch comparison {
    case .equal: return body { $0 == $1 }
    case .notEqual: return body { $0 != $1 }
    case .less: return body { $0 < $1 }
    case .lessOrEqual: return body { $0 <= $1 }
    case .greater: return body { $0 > $1 }
    case .greaterOrEqual: return body { $0 >= $1 }
    }
}

/// The storage type a comparison works on, chosen once per expression.
enum ComparisonStorage: Sendable {
    case int8, int16, int32, int64, float32, float64, int128, boolean, interval, string

    init?(_ type: DataType) {
        switch type {
        case .int8: self = .int8
        case .int16: self = .int16
        case .int32, .date32: self = .int32
        case .int64: self = .int64
        case .float32: self = .float32
        case .float64: self = .float64
        case .decimal128: self = .int128
        case .boolean: self = .boolean
        case .interval: self = .interval
        case .utf8: self = .string
        case .null: return nil
        }
    }
}

/// Reads the strings of a UTF-8 column.
struct StringReader {
    let offsets: UnsafePointer<Int32>
    let data: UnsafeRawPointer

    @inline(__always)
    init(_ column: Column) {
        offsets = UnsafePointer(column.values!.typed(Int32.self))
        data = UnsafeRawPointer(column.data?.pointer ?? column.values!.pointer)
    }

    @inline(__always)
    subscript(index: Int) -> UnsafeRawBufferPointer {
        let start = Int(offsets[index])
        return UnsafeRawBufferPointer(start: data + start, count: Int(offsets[index + 1]) - start)
    }
}

/// A string operand: one string per row, or one for all rows.
enum StringOperand {
    case values(StringReader)
    case scalar(UnsafeRawBufferPointer)

    @inline(__always)
    init(_ vector: Vector) {
        if vector.isConstant { self = .scalar(vector.column.stringBytes(at: 0)) } else { self = .values(StringReader(vector.column)) }
    }

    @inline(__always)
    subscript(index: Int) -> UnsafeRawBufferPointer {
        switch self {
        case .values(let reader): return reader[index]
        case .scalar(let bytes): return bytes
        }
    }
}

/// Evaluates a string predicate on every row into bit-packed words.
@inline(__always)
func predicateStrings(_ left: StringOperand, _ right: StringOperand, into out: UnsafeMutablePointer<UInt64>, count: Int,
                      _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool) {
    switch (left, right) {
    case (.values(let a), .scalar(let b)):
        packPredicateBits(into: out, count: count) { body(a[$0], b) }
    default:
        packPredicateBits(into: out, count: count) { body(left[$0], right[$0]) }
    }
}

/// Converts an interval vector into comparable 128-bit keys (months count 30 days, as PostgreSQL does).
func intervalKeys(_ vector: Vector) -> Vector {
    let count = vector.column.count
    let values = allocateFilledValues(Int128.self, count: count)
    let source = vector.column.valuePointer(IntervalValue.self), out = values.typed(Int128.self)
    for index in 0..<count { out[index] = intervalKey(source[index]) }
    let column = Column(dataType: .decimal128(precision: 38, scale: 0), count: count, nullCount: vector.column.nullCount,
                        validity: vector.column.validity, values: values)
    return Vector(column, isConstant: vector.isConstant)
}

/// The total length of an interval in nanoseconds, counting a month as 30 days.
@inline(__always)
func intervalKey(_ value: IntervalValue) -> Int128 {
    (Int128(value.months) * 30 + Int128(value.days)) * 86_400_000_000_000 + Int128(value.nanoseconds)
}

/// Expands a boolean vector into one byte per row (0 or 1) so generic kernels can compare it.
func booleanBytes(_ vector: Vector) -> Vector {
    let count = vector.column.count
    let values = allocateValues(UInt8.self, count: count)
    let out = values.typed(UInt8.self)
    if let source = vector.column.values {
        for index in 0..<count { out[index] = Bitmap.isSet(source.pointer, index) ? 1 : 0 }
    }
    let column = Column(dataType: .int8, count: count, nullCount: vector.column.nullCount,
                        validity: vector.column.validity, values: values)
    return Vector(column, isConstant: vector.isConstant)
}

/// A key that orders doubles as PostgreSQL does: -0 equals 0, NaN equals NaN and is above every other value.
@inline(__always)
func floatOrderKey(_ value: Double) -> Int64 {
    if value.isNaN { return Int64.max }
    let bits = Int64(bitPattern: (value + 0.0).bitPattern)
    return bits < 0 ? bits ^ Int64.max : bits
}

/// Writes into `out` the words of `left op right`, ignoring nulls.
func comparisonWords(_ comparison: ComparisonOperator, _ storage: ComparisonStorage, _ left: Vector, _ right: Vector,
                     into out: UnsafeMutablePointer<UInt64>, count: Int) {
    @inline(__always)
    func run<T: Comparable>(_ type: T.Type) {
        let a = left.operand(T.self), b = right.operand(T.self)
        withComparison(comparison, T.self) { compare in predicateBinary(a, b, into: out, count: count, compare) }
    }
    switch storage {
    case .int8: run(Int8.self)
    case .int16: run(Int16.self)
    case .int32: run(Int32.self)
    case .int64: run(Int64.self)
    case .float32:
        let a = left.operand(Float.self), b = right.operand(Float.self)
        withComparison(comparison, Int64.self) { compare in
            predicateBinary(a, b, into: out, count: count) { compare(floatOrderKey(Double($0)), floatOrderKey(Double($1))) }
        }
    case .float64:
        let a = left.operand(Double.self), b = right.operand(Double.self)
        withComparison(comparison, Int64.self) { compare in
            predicateBinary(a, b, into: out, count: count) { compare(floatOrderKey($0), floatOrderKey($1)) }
        }
    case .int128: run(Int128.self)
    case .boolean:
        comparisonWords(comparison, .int8, booleanBytes(left), booleanBytes(right), into: out, count: count)
    case .interval:
        comparisonWords(comparison, .int128, intervalKeys(left), intervalKeys(right), into: out, count: count)
    case .string:
        let a = StringOperand(left), b = StringOperand(right)
        switch comparison {
        case .equal: predicateStrings(a, b, into: out, count: count) { equalBytes($0, $1) }
        case .notEqual: predicateStrings(a, b, into: out, count: count) { !equalBytes($0, $1) }
        default: predicateStrings(a, b, into: out, count: count) { comparison.holds(compareBytes($0, $1)) }
        }
    }
}

/// `left op right` as a boolean vector, NULL where either side is NULL. Neither side may be a null constant.
func compareVectors(_ comparison: ComparisonOperator, _ storage: ComparisonStorage, _ left: Vector, _ right: Vector,
                    count: Int) -> Vector {
    let rows = left.isConstant && right.isConstant ? 1 : count
    let values = BitmapKernels.allocate(bits: rows)
    comparisonWords(comparison, storage, left, right, into: values.typed(UInt64.self), count: rows)
    let (validity, nullCount) = BitmapKernels.intersect(left.validity, right.validity, count: rows)
    return Vector(booleanColumn(values: values, validity: validity, nullCount: nullCount, count: rows),
                  isConstant: left.isConstant && right.isConstant)
}

/// The positions where `left op right` is TRUE.
func selectComparison(_ comparison: ComparisonOperator, _ storage: ComparisonStorage, _ left: Vector, _ right: Vector,
                      count: Int) -> [Int32] {
    if left.isConstant && right.isConstant {
        let result = compareVectors(comparison, storage, left, right, count: 1)
        return truePositions(result, count: count)
    }
    let values = BitmapKernels.allocate(bits: count)
    let words = values.typed(UInt64.self)
    comparisonWords(comparison, storage, left, right, into: words, count: count)
    let (validity, _) = BitmapKernels.intersect(left.validity, right.validity, count: count)
    defer { withExtendedLifetime((values, validity)) {} }
    if let validity {
        let valid = validity.typed(UInt64.self)
        for index in 0..<BitmapKernels.wordCount(count) { words[index] &= valid[index] }
    }
    return BitmapKernels.setPositions(UnsafePointer(words), count: count)
}

/// The positions `i` where `column[rows[i]] op constant` is TRUE, reading the column in place (no gather).
func selectComparisonGathered(_ comparison: ComparisonOperator, _ storage: ComparisonStorage, column: Column,
                              rows: UnsafeBufferPointer<Int32>, constant: Vector) -> [Int32] {
    let count = rows.count
    var positions = [Int32](repeating: 0, count: count)
    var found = 0
    let validity = column.validity.map { UnsafeRawPointer($0.pointer) }
    positions.withUnsafeMutableBufferPointer { out in
        @inline(__always)
        func run<T: Comparable>(_ type: T.Type) {
            let values = column.valuePointer(T.self)
            let value = constant.column.value(at: 0, as: T.self)
            withComparison(comparison, T.self) { compare in
                if let validity {
                    for index in 0..<count {
                        let row = Int(rows[index])
                        out[found] = Int32(truncatingIfNeeded: index)
                        found &+= (compare(values[row], value) && Bitmap.isSet(validity, row)) ? 1 : 0
                    }
                } else {
                    for index in 0..<count {
                        out[found] = Int32(truncatingIfNeeded: index)
                        found &+= compare(values[Int(rows[index])], value) ? 1 : 0
                    }
                }
            }
        }
        switch storage {
        case .int8: run(Int8.self)
        case .int16: run(Int16.self)
        case .int32: run(Int32.self)
        case .int64: run(Int64.self)
        case .int128: run(Int128.self)
        case .float32, .float64:
            let gathered = Vector(gather(column, rows: rows))
            let result = selectComparison(comparison, storage, gathered, constant, count: count)
            for (index, position) in result.enumerated() { out[index] = position }
            found = result.count
        case .string:
            let reader = StringReader(column)
            let value = constant.column.stringBytes(at: 0)
            for index in 0..<count {
                let row = Int(rows[index])
                if let validity, !Bitmap.isSet(validity, row) { continue }
                let bytes = reader[row]
                let holds: Bool
                switch comparison {
                case .equal: holds = equalBytes(bytes, value)
                case .notEqual: holds = !equalBytes(bytes, value)
                default: holds = comparison.holds(compareBytes(bytes, value))
                }
                if holds {
                    out[found] = Int32(truncatingIfNeeded: index)
                    found += 1
                }
            }
        case .boolean, .interval:
            let gathered = Vector(gather(column, rows: rows))
            let result = selectComparison(comparison, storage, gathered, constant, count: count)
            for (index, position) in result.enumerated() { out[index] = position }
            found = result.count
        }
    }
    positions.removeLast(count - found)
    return positions
}

/// The positions (among `count` rows) where a boolean vector is TRUE.
func truePositions(_ vector: Vector, count: Int) -> [Int32] {
    if vector.isAllNull { return [] }
    if vector.isConstant {
        return vector.column.boolean(at: 0) ? (0..<Int32(truncatingIfNeeded: count)).map { $0 } : []
    }
    let values = BitmapKernels.readable(vector.column.values!, count: count)
    defer { withExtendedLifetime(values) {} }
    guard let validity = vector.column.validity else {
        return BitmapKernels.setPositions(UnsafePointer(values.typed(UInt64.self)), count: count)
    }
    let valid = BitmapKernels.readable(validity, count: count)
    let combined = BitmapKernels.allocate(bits: count)
    defer { withExtendedLifetime((valid, combined)) {} }
    let out = combined.typed(UInt64.self), v = values.typed(UInt64.self), m = valid.typed(UInt64.self)
    for index in 0..<BitmapKernels.wordCount(count) { out[index] = v[index] & m[index] }
    return BitmapKernels.setPositions(UnsafePointer(out), count: count)
}
