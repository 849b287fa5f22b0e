import Columnar

/// Compaction of columns to the rows a filter selected (ascending positions). Selections with long runs of
/// consecutive rows, typical of selective-but-not-very filters, are copied run by run with `memcpy`; others
/// are gathered row by row.
enum ColumnCompaction {
    /// Runs of consecutive rows: (first row, length).
    static func runs(of selected: [Int32]) -> [(start: Int, length: Int)] {
        selected.withUnsafeBufferPointer { selected in
            var runs: [(start: Int, length: Int)] = []
            runs.reserveCapacity(runCount(selected))
            var index = 0
            while index < selected.count {
                let start = Int(selected[index])
                var length = 1
                while index &+ length < selected.count && Int(selected[index &+ length]) == start &+ length { length &+= 1 }
                runs.append((start, length))
                index &+= length
            }
            return runs
        }
    }

    /// The number of runs of consecutive rows in `selected` (one pass, branch-free).
    static func runCount(_ selected: UnsafeBufferPointer<Int32>) -> Int {
        guard selected.count > 0 else { return 0 }
        var breaks = 1
        for index in 1..<selected.count {
            breaks &+= selected[index] == selected[index &- 1] &+ 1 ? 0 : 1
        }
        return breaks
    }

    /// The rows of `columns` at the ascending positions `selected`.
    static func compact(_ columns: [Column], selected: [Int32]) -> [Column] {
        let runCount = selected.withUnsafeBufferPointer { ColumnCompaction.runCount($0) }
        if runCount * 4 > selected.count { return BatchSupport.take(columns, selected) }
        let runs = runs(of: selected)
        return columns.map { compact($0, runs: runs, count: selected.count) }
    }

    private static func compact(_ column: Column, runs: [(start: Int, length: Int)], count: Int) -> Column {
        if column.dataType == .null { return nullColumn(.null, count: count) }
        var validity: Buffer?
        var nullCount = 0
        if let source = column.validity {
            let bits = Buffer(capacity: Bitmap.byteCount(forBits: count))
            var position = 0
            for run in runs {
                for offset in 0..<run.length {
                    if Bitmap.isSet(source.pointer, run.start + offset) {
                        Bitmap.set(bits.pointer, position)
                    } else {
                        nullCount += 1
                    }
                    position += 1
                }
            }
            validity = bits
        }
        guard let values = column.values else { return nullColumn(column.dataType, count: count) }
        switch column.dataType {
        case .boolean:
            let bits = Buffer(capacity: Bitmap.byteCount(forBits: count))
            var position = 0
            for run in runs {
                for offset in 0..<run.length {
                    if Bitmap.isSet(values.pointer, run.start + offset) { Bitmap.set(bits.pointer, position) }
                    position += 1
                }
            }
            return Column(dataType: .boolean, count: count, nullCount: nullCount, validity: validity, values: bits)
        case .utf8:
            let offsets = values.typed(Int32.self)
            var total = 0
            for run in runs { total += Int(offsets[run.start + run.length]) - Int(offsets[run.start]) }
            let newOffsets = Buffer(capacity: (count + 1) * 4)
            let data = Buffer(capacity: max(total, 1))
            let target = newOffsets.typed(Int32.self)
            var position = 0
            var dataPosition = 0
            for run in runs {
                let base = Int(offsets[run.start])
                let shift = dataPosition - base
                for offset in 0..<run.length {
                    target[position + offset] = Int32(truncatingIfNeeded: Int(offsets[run.start + offset]) + shift)
                }
                let length = Int(offsets[run.start + run.length]) - base
                if length > 0, let source = column.data {
                    (data.pointer + dataPosition).copyMemory(from: source.pointer + base, byteCount: length)
                }
                position += run.length
                dataPosition += length
            }
            target[count] = Int32(truncatingIfNeeded: dataPosition)
            return Column(dataType: .utf8, count: count, nullCount: nullCount, validity: validity, values: newOffsets, data: data)
        default:
            let width = column.dataType.byteWidth ?? 1
            let buffer = Buffer(capacity: max(count, 1) * width)
            var position = 0
            for run in runs {
                (buffer.pointer + position * width).copyMemory(from: values.pointer + run.start * width, byteCount: run.length * width)
                position += run.length
            }
            return Column(dataType: column.dataType, count: count, nullCount: nullCount, validity: validity, values: buffer)
        }
    }
}
