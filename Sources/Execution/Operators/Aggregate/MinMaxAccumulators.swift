#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Fixed-width values with SQL's ordering: numbers by value (NaN above everything, as in PostgreSQL),
/// intervals by their length with months as 30 days.
protocol AggregateOrderedValue {
    /// Whether `left` sorts strictly before `right`.
    static func sortsBefore(_ left: Self, _ right: Self) -> Bool
    /// A placeholder for groups without a value yet.
    static var initialValue: Self { get }
}

extension Int8: AggregateOrderedValue {
    static var initialValue: Int8 { 0 }
    @inline(__always) static func sortsBefore(_ left: Int8, _ right: Int8) -> Bool { left < right }
}
extension Int16: AggregateOrderedValue {
    static var initialValue: Int16 { 0 }
    @inline(__always) static func sortsBefore(_ left: Int16, _ right: Int16) -> Bool { left < right }
}
extension Int32: AggregateOrderedValue {
    static var initialValue: Int32 { 0 }
    @inline(__always) static func sortsBefore(_ left: Int32, _ right: Int32) -> Bool { left < right }
}
extension Int64: AggregateOrderedValue {
    static var initialValue: Int64 { 0 }
    @inline(__always) static func sortsBefore(_ left: Int64, _ right: Int64) -> Bool { left < right }
}
extension Int128: AggregateOrderedValue {
    static var initialValue: Int128 { 0 }
    @inline(__always) static func sortsBefore(_ left: Int128, _ right: Int128) -> Bool { left < right }
}
extension Float: AggregateOrderedValue {
    static var initialValue: Float { 0 }
    @inline(__always) static func sortsBefore(_ left: Float, _ right: Float) -> Bool {
        if left.isNaN { return false }
        if right.isNaN { return true }
        return left < right
    }
}
extension Double: AggregateOrderedValue {
    static var initialValue: Double { 0 }
    @inline(__always) static func sortsBefore(_ left: Double, _ right: Double) -> Bool {
        if left.isNaN { return false }
        if right.isNaN { return true }
        return left < right
    }
}
extension IntervalValue: AggregateOrderedValue {
    static var initialValue: IntervalValue { IntervalValue() }
    @inline(__always) static func sortsBefore(_ left: IntervalValue, _ right: IntervalValue) -> Bool {
        func span(_ value: IntervalValue) -> Int128 {
            (Int128(value.months) * 30 + Int128(value.days)) * 86_400_000_000_000 + Int128(value.nanoseconds)
        }
        return span(left) < span(right)
    }
}

/// `min` / `max` of a fixed-width type.
final class FixedMinMaxAccumulator<T: AggregateOrderedValue>: AggregateAccumulator {
    private let type: DataType
    private let isMaximum: Bool
    private var values: [T] = []
    private var seen: [Bool] = []

    init(type: DataType, isMaximum: Bool) {
        self.type = type
        self.isMaximum = isMaximum
    }

    func resize(groupCount: Int) {
        growGroupState(&values, to: groupCount, with: T.initialValue)
        growGroupState(&seen, to: groupCount, with: false)
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard let column = arguments.first, column.dataType != .null, let buffer = column.values else { return }
        let input = buffer.typed(T.self)
        let validity = column.validity
        let isMaximum = self.isMaximum
        values.withUnsafeMutableBufferPointer { values in
            seen.withUnsafeMutableBufferPointer { seen in
                for (row, group) in groups.enumerated() {
                    if let validity, !Bitmap.isSet(validity.pointer, row) { continue }
                    let index = Int(group)
                    let value = input[row]
                    if !seen[index] {
                        seen[index] = true
                        values[index] = value
                    } else if isMaximum ? T.sortsBefore(values[index], value) : T.sortsBefore(value, values[index]) {
                        values[index] = value
                    }
                }
            }
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? FixedMinMaxAccumulator<T> else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.seen.count && other.seen[group] {
            let index = Int(target)
            let value = other.values[group]
            if !seen[index] || (isMaximum ? T.sortsBefore(values[index], value) : T.sortsBefore(value, values[index])) {
                values[index] = value
                seen[index] = true
            }
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        return values.withUnsafeBufferPointer { values in
            seen.withUnsafeBufferPointer { seen in
                BatchSupport.fixedColumn(type, values: UnsafeBufferPointer(rebasing: values[0..<groupCount]),
                                         valid: UnsafeBufferPointer(rebasing: seen[0..<groupCount]))
            }
        }
    }
}

/// `min` / `max` of strings, comparing UTF-8 bytes.
final class StringMinMaxAccumulator: AggregateAccumulator {
    private let isMaximum: Bool
    private var values: [[UInt8]?] = []

    init(isMaximum: Bool) { self.isMaximum = isMaximum }

    func resize(groupCount: Int) { growGroupState(&values, to: groupCount, with: nil) }

    @inline(__always)
    private static func compare(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let common = min(left.count, right.count)
        if common > 0, let a = left.baseAddress, let b = right.baseAddress {
            let result = memcmp(a, b, common)
            if result != 0 { return Int(result) }
        }
        return left.count - right.count
    }

    private func replaces(_ candidate: UnsafeRawBufferPointer, _ current: [UInt8]) -> Bool {
        let order = current.withUnsafeBytes { StringMinMaxAccumulator.compare(candidate, $0) }
        return isMaximum ? order > 0 : order < 0
    }

    func update(groups: UnsafeBufferPointer<Int32>, arguments: [Column]) throws {
        guard let column = arguments.first, column.dataType == .utf8 else { return }
        for (row, group) in groups.enumerated() where !column.isNull(row) {
            let index = Int(group)
            let bytes = column.stringBytes(at: row)
            if let current = values[index], !replaces(bytes, current) { continue }
            values[index] = Array(bytes)
        }
    }

    func merge(_ other: any AggregateAccumulator, groupMapping: UnsafeBufferPointer<Int32>) throws {
        guard let other = other as? StringMinMaxAccumulator else { throw ExecutionError("internal error: merging different aggregates") }
        for (group, target) in groupMapping.enumerated() where group < other.values.count {
            guard let candidate = other.values[group] else { continue }
            let index = Int(target)
            if let current = values[index], !candidate.withUnsafeBytes({ replaces($0, current) }) { continue }
            values[index] = candidate
        }
    }

    func finish(groupCount: Int) throws -> Column {
        resize(groupCount: groupCount)
        var builder = ColumnBuilder(.utf8, capacity: groupCount)
        for group in 0..<groupCount {
            if let value = values[group] {
                value.withUnsafeBytes { builder.append(bytes: $0) }
            } else {
                builder.appendNull()
            }
        }
        return builder.finish()
    }
}
