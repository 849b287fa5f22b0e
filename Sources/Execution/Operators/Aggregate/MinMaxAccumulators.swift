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

extension AggregateOrderedValue where Self: FixedWidthInteger {
    static var initialValue: Self { 0 }
    @inline(__always) static func sortsBefore(_ left: Self, _ right: Self) -> Bool { left < right }
}
extension AggregateOrderedValue where Self: BinaryFloatingPoint {
    static var initialValue: Self { 0 }
    @inline(__always) static func sortsBefore(_ left: Self, _ right: Self) -> Bool {
        if left.isNaN { return false }
        if right.isNaN { return true }
        return left < right
    }
}
extension Int8: AggregateOrderedValue {}
extension Int16: AggregateOrderedValue {}
extension Int32: AggregateOrderedValue {}
extension Int64: AggregateOrderedValue {}
extension Int128: AggregateOrderedValue {}
extension Float: AggregateOrderedValue {}
extension Double: AggregateOrderedValue {}
extension IntervalValue: AggregateOrderedValue {
    static var initialValue: IntervalValue { IntervalValue() }
    @inline(__always) static func sortsBefore(_ left: IntervalValue, _ right: IntervalValue) -> Bool {
        intervalKey(left) < intervalKey(right)
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
