/// One immutable column of values in the Arrow layout: an Arrow array without an offset.
///
/// - Fixed-width types keep `count` values in `values`.
/// - `boolean` keeps bit-packed values in `values`.
/// - `utf8` keeps `count + 1` Int32 offsets in `values` and the bytes in `data`.
/// - `null` has no buffers at all.
/// `validity` is nil when the column has no nulls.
public struct Column: @unchecked Sendable {
    public let dataType: DataType
    public let count: Int
    public let nullCount: Int
    public let validity: Buffer?
    public let values: Buffer?
    public let data: Buffer?

    /// Creates a column from its buffers. The buffers must hold what the layout above says.
    public init(dataType: DataType, count: Int, nullCount: Int, validity: Buffer?, values: Buffer?, data: Buffer? = nil) {
        self.dataType = dataType
        self.count = count
        self.nullCount = nullCount
        self.validity = nullCount == 0 ? nil : validity
        self.values = values
        self.data = data
    }

    /// A column of `count` nulls of type `dataType`.
    public static func nulls(_ dataType: DataType, count: Int) -> Column {
        var builder = ColumnBuilder(dataType, capacity: count)
        for _ in 0..<count { builder.appendNull() }
        return builder.finish()
    }

    /// Whether row `index` is null.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        if dataType == .null { return true }
        guard let validity else { return false }
        return !Bitmap.isSet(validity.pointer, index)
    }

    /// A pointer to the fixed-width values, typed as `T` (the caller picks the type matching `dataType`).
    @inlinable
    public func valuePointer<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        values!.typed(T.self)
    }

    /// The fixed-width value at `index`.
    @inlinable
    public func value<T>(at index: Int, as type: T.Type) -> T {
        values!.typed(T.self)[index]
    }

    /// The boolean value at `index` (ignoring validity).
    @inlinable
    public func boolean(at index: Int) -> Bool {
        Bitmap.isSet(values!.pointer, index)
    }

    /// The UTF-8 bytes of the string at `index` (ignoring validity).
    @inlinable
    public func stringBytes(at index: Int) -> UnsafeRawBufferPointer {
        let offsets = values!.typed(Int32.self)
        let start = Int(offsets[index])
        let end = Int(offsets[index + 1])
        return UnsafeRawBufferPointer(start: data!.pointer + start, count: end - start)
    }

    /// The string at `index` (ignoring validity).
    public func string(at index: Int) -> String {
        String(decoding: stringBytes(at: index), as: UTF8.self)
    }

    /// The value at `index` as a scalar. Slow: for printing and tests, not for kernels.
    public func scalar(at index: Int) -> Value {
        if isNull(index) { return .null }
        switch dataType {
        case .null: return .null
        case .boolean: return .boolean(boolean(at: index))
        case .int8: return .int8(value(at: index, as: Int8.self))
        case .int16: return .int16(value(at: index, as: Int16.self))
        case .int32: return .int32(value(at: index, as: Int32.self))
        case .int64: return .int64(value(at: index, as: Int64.self))
        case .float32: return .float32(value(at: index, as: Float.self))
        case .float64: return .float64(value(at: index, as: Double.self))
        case .decimal128(let precision, let scale):
            return .decimal(value(at: index, as: Int128.self), precision: precision, scale: scale)
        case .date32: return .date(value(at: index, as: Int32.self))
        case .interval: return .interval(value(at: index, as: IntervalValue.self))
        case .utf8: return .string(string(at: index))
        }
    }

    /// A column of the rows at `indices`, in that order.
    public func take(_ indices: UnsafeBufferPointer<Int32>) -> Column {
        var builder = ColumnBuilder(dataType, capacity: indices.count)
        builder.append(from: self, indices: indices)
        return builder.finish()
    }

    /// A column of `length` rows starting at `start`.
    public func slice(from start: Int, length: Int) -> Column {
        var builder = ColumnBuilder(dataType, capacity: length)
        builder.append(from: self, range: start..<(start + length))
        return builder.finish()
    }

    /// The column with every row, as scalars. For tests and printing.
    public var scalars: [Value] { (0..<count).map { scalar(at: $0) } }
}
