/// Builds a `Column` of one type by appending values, growing its buffers geometrically.
///
/// The typed `append` methods are the fast path for kernels; `append(_: Value)` is the slow, general one.
/// The validity bitmap is only allocated once the first null arrives.
public struct ColumnBuilder {
    public let dataType: DataType
    /// The number of rows appended so far.
    public private(set) var count = 0
    private var nullCount = 0
    private var rowCapacity: Int
    private var validity: Buffer?
    private var values: Buffer?
    private var data: Buffer?
    private var dataLength = 0
    private let width: Int

    /// Creates a builder with room for `capacity` rows before it grows.
    public init(_ dataType: DataType, capacity: Int = 1024) {
        self.dataType = dataType
        rowCapacity = Swift.max(capacity, 8)
        width = dataType.byteWidth ?? 0
        switch dataType {
        case .null:
            values = nil
        case .boolean:
            values = Buffer(capacity: Bitmap.byteCount(forBits: rowCapacity))
        case .utf8:
            values = Buffer(capacity: (rowCapacity + 1) * 4)
            data = Buffer(capacity: rowCapacity * 8)
        default:
            values = Buffer(capacity: rowCapacity * width)
        }
    }

    @inline(__always)
    private mutating func reserveRow() {
        if count == rowCapacity { grow(to: rowCapacity * 2) }
    }

    /// Makes room for at least `additional` more rows.
    public mutating func reserve(_ additional: Int) {
        if count + additional > rowCapacity { grow(to: Swift.max(rowCapacity * 2, count + additional)) }
    }

    private mutating func grow(to newCapacity: Int) {
        switch dataType {
        case .null: break
        case .boolean:
            values = values!.grown(to: Bitmap.byteCount(forBits: newCapacity), preserving: Bitmap.byteCount(forBits: count))
        case .utf8:
            values = values!.grown(to: (newCapacity + 1) * 4, preserving: (count + 1) * 4)
        default:
            values = values!.grown(to: newCapacity * width, preserving: count * width)
        }
        if let validity {
            self.validity = validity.grown(to: Bitmap.byteCount(forBits: newCapacity), preserving: Bitmap.byteCount(forBits: count))
        }
        rowCapacity = newCapacity
    }

    @inline(__always)
    private mutating func markValid() {
        if let validity { Bitmap.set(validity.pointer, count) }
    }

    /// Appends a null.
    public mutating func appendNull() {
        reserveRow()
        if validity == nil {
            let bitmap = Buffer(capacity: Bitmap.byteCount(forBits: rowCapacity))
            for index in 0..<count { Bitmap.set(bitmap.pointer, index) }
            validity = bitmap
        }
        if dataType == .utf8 {
            let offsets = values!.typed(Int32.self)
            offsets[count + 1] = offsets[count]
        }
        nullCount += 1
        count += 1
    }

    /// Appends a fixed-width value; `T` must be the type's storage type (Int32 for date32, Int128 for decimals).
    @inlinable
    public mutating func append<T>(_ value: T) {
        appendRaw { $0.storeBytes(of: value, as: T.self) }
    }

    @usableFromInline
    internal mutating func appendRaw(_ store: (UnsafeMutableRawPointer) -> Void) {
        reserveRow()
        markValid()
        store(values!.pointer + count * width)
        count += 1
    }

    /// Appends a boolean.
    public mutating func append(_ value: Bool) {
        reserveRow()
        markValid()
        Bitmap.set(values!.pointer, count, to: value)
        count += 1
    }

    /// Appends a string given as UTF-8 bytes.
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        reserveRow()
        markValid()
        let needed = dataLength + bytes.count
        if needed > data!.capacity {
            data = data!.grown(to: Swift.max(data!.capacity * 2, needed), preserving: dataLength)
        }
        if bytes.count > 0 {
            (data!.pointer + dataLength).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        dataLength = needed
        let offsets = values!.typed(Int32.self)
        offsets[count + 1] = Int32(truncatingIfNeeded: dataLength)
        count += 1
    }

    /// Appends a string.
    public mutating func append(string: String) {
        var string = string
        string.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Appends a scalar, which must be null or of this builder's type.
    public mutating func append(_ value: Value) {
        switch value {
        case .null: appendNull()
        case .boolean(let v): append(v)
        case .int8(let v): append(v)
        case .int16(let v): append(v)
        case .int32(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v)
        case .float64(let v): append(v)
        case .decimal(let v, _, _): append(v)
        case .date(let v): append(v)
        case .interval(let v): append(v)
        case .string(let v): append(string: v)
        }
    }

    /// Appends row `index` of `column`, which must have this builder's type.
    public mutating func append(from column: Column, index: Int) {
        if column.isNull(index) { appendNull(); return }
        switch dataType {
        case .null: appendNull()
        case .boolean: append(column.boolean(at: index))
        case .utf8: append(bytes: column.stringBytes(at: index))
        default:
            let source = column.values!.pointer + index * width
            let width = self.width
            appendRaw { $0.copyMemory(from: source, byteCount: width) }
        }
    }

    /// Appends the rows of `column` at `indices`.
    public mutating func append(from column: Column, indices: UnsafeBufferPointer<Int32>) {
        reserve(indices.count)
        if column.nullCount == 0, let width = dataType.byteWidth, width > 0 {
            let source = column.values!.pointer
            let target = values!.pointer + count * width
            if let validity { for index in 0..<indices.count { Bitmap.set(validity.pointer, count + index) } }
            switch width {
            case 4:
                let s = source.assumingMemoryBound(to: UInt32.self), t = target.assumingMemoryBound(to: UInt32.self)
                for (position, index) in indices.enumerated() { t[position] = s[Int(index)] }
            case 8:
                let s = source.assumingMemoryBound(to: UInt64.self), t = target.assumingMemoryBound(to: UInt64.self)
                for (position, index) in indices.enumerated() { t[position] = s[Int(index)] }
            default:
                for (position, index) in indices.enumerated() {
                    (target + position * width).copyMemory(from: source + Int(index) * width, byteCount: width)
                }
            }
            count += indices.count
            return
        }
        for index in indices { append(from: column, index: Int(index)) }
    }

    /// Appends the rows of `column` in `range`.
    public mutating func append(from column: Column, range: Range<Int>) {
        reserve(range.count)
        if column.nullCount == 0, let width = dataType.byteWidth, width > 0 {
            (values!.pointer + count * width).copyMemory(from: column.values!.pointer + range.lowerBound * width, byteCount: range.count * width)
            if let validity { for index in 0..<range.count { Bitmap.set(validity.pointer, count + index) } }
            count += range.count
            return
        }
        for index in range { append(from: column, index: index) }
    }

    /// Finishes the column. The builder must not be used afterwards.
    public func finish() -> Column {
        Column(dataType: dataType, count: count, nullCount: nullCount, validity: validity, values: values, data: data)
    }
}
