import Columnar

/// Writes the decimal digits of `magnitude` ending just before `end`; returns the index of the first digit.
@inline(__always)
func writeDigits(_ magnitude: UInt64, into buffer: UnsafeMutablePointer<UInt8>, end: Int) -> Int {
    var value = magnitude
    var position = end
    repeat {
        position -= 1
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: 10)
        buffer[position] = UInt8(truncatingIfNeeded: remainder) &+ 48
        value = quotient
    } while value != 0
    return position
}

/// Writes `unscaled / 10^scale` (exactly `scale` fraction digits) ending before `end`; returns the start.
@inline(__always)
func writeDecimal(_ unscaled: Int128, scale: Int, into buffer: UnsafeMutablePointer<UInt8>, end: Int) -> Int {
    var magnitude = unscaled.magnitude
    var position = end
    var written = 0
    if scale > 0 {
        while written < scale {
            position -= 1
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
            buffer[position] = UInt8(truncatingIfNeeded: remainder) &+ 48
            magnitude = quotient
            written += 1
        }
        position -= 1
        buffer[position] = UInt8(ascii: ".")
    }
    if magnitude <= UInt128(UInt64.max) {
        position = writeDigits(UInt64(magnitude), into: buffer, end: position)
    } else {
        repeat {
            position -= 1
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
            buffer[position] = UInt8(truncatingIfNeeded: remainder) &+ 48
            magnitude = quotient
        } while magnitude != 0
    }
    if unscaled < 0 {
        position -= 1
        buffer[position] = UInt8(ascii: "-")
    }
    return position
}

/// Formats every value of a column as text, the way results print (`Value.description`).
func formatColumn(_ column: Column) -> Column {
    let count = column.count
    var writer = StringColumnWriter(rows: count, estimatedBytes: count * 12)
    let validity = column.validity.map { UnsafeRawPointer($0.pointer) }
    @inline(__always)
    func isValid(_ index: Int) -> Bool { validity.map { Bitmap.isSet($0, index) } ?? true }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 80) { scratch in
        let buffer = scratch.baseAddress!
        let end = 80
        @inline(__always)
        func emit(_ start: Int) { writer.append(UnsafeRawBufferPointer(start: buffer + start, count: end - start)) }
        @inline(__always)
        func integers<T: FixedWidthInteger & SignedInteger>(_ type: T.Type) {
            let values = column.valuePointer(T.self)
            for index in 0..<count {
                guard isValid(index) else { writer.finishRow(); continue }
                let value = values[index]
                var start = writeDigits(UInt64(value.magnitude), into: buffer, end: end)
                if value < 0 {
                    start -= 1
                    buffer[start] = UInt8(ascii: "-")
                }
                emit(start)
            }
        }
        switch column.dataType {
        case .int8: integers(Int8.self)
        case .int16: integers(Int16.self)
        case .int32: integers(Int32.self)
        case .int64: integers(Int64.self)
        case .decimal128(_, let scale):
            let values = column.valuePointer(Int128.self)
            for index in 0..<count {
                guard isValid(index) else { writer.finishRow(); continue }
                emit(writeDecimal(values[index], scale: Swift.min(scale, 38), into: buffer, end: end))
            }
        case .date32:
            let values = column.valuePointer(Int32.self)
            for index in 0..<count {
                guard isValid(index) else { writer.finishRow(); continue }
                let (year, month, day) = DateFormat.civil(days: Int(values[index]))
                if year >= 0 && year <= 9999 {
                    buffer[0] = UInt8(48 + year / 1000)
                    buffer[1] = UInt8(48 + (year / 100) % 10)
                    buffer[2] = UInt8(48 + (year / 10) % 10)
                    buffer[3] = UInt8(48 + year % 10)
                    buffer[4] = UInt8(ascii: "-")
                    buffer[5] = UInt8(48 + month / 10)
                    buffer[6] = UInt8(48 + month % 10)
                    buffer[7] = UInt8(ascii: "-")
                    buffer[8] = UInt8(48 + day / 10)
                    buffer[9] = UInt8(48 + day % 10)
                    writer.append(UnsafeRawBufferPointer(start: buffer, count: 10))
                } else {
                    writer.append(DateFormat.format(days: values[index]))
                }
            }
        case .boolean:
            for index in 0..<count {
                guard isValid(index) else { writer.finishRow(); continue }
                writer.append(column.boolean(at: index) ? "true" : "false")
            }
        case .float32, .float64, .interval:
            for index in 0..<count {
                guard isValid(index) else { writer.finishRow(); continue }
                writer.append(column.scalar(at: index).description)
            }
        case .utf8:
            return
        case .null:
            for _ in 0..<count { writer.finishRow() }
        }
    }
    if column.dataType == .utf8 { return column }
    return writer.finish(validity: column.validity, nullCount: column.nullCount)
}
