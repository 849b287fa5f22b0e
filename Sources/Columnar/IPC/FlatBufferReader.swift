/// A bounds-checked reader of FlatBuffers. Every access checks that it lies inside the buffer and throws
/// `FlatBufferError` otherwise, so corrupt or hostile input can never make it read out of bounds.
struct FlatBufferError: Error {
    /// The byte offset, relative to the start of the flatbuffer, where the problem was found.
    var offset: Int
    var message: String
}

/// A view of flatbuffer bytes. The memory must outlive the view (the caller keeps its owner alive).
struct FlatBuffer {
    let base: UnsafeRawPointer
    let count: Int

    init(base: UnsafeRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    func check(_ position: Int, _ width: Int) throws {
        guard position >= 0, width >= 0, position <= count, width <= count - position else {
            throw FlatBufferError(offset: position, message: "flatbuffer access at \(position) (+\(width)) is outside its \(count) bytes")
        }
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws -> T {
        try check(position, MemoryLayout<T>.size)
        return T(littleEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// Follows the `uoffset` stored at `position`.
    func indirect(_ position: Int) throws -> Int {
        let relative = try load(UInt32.self, at: position)
        let target = position + Int(relative)
        try check(target, 4)
        return target
    }

    /// The root table.
    func root() throws -> FlatTable {
        guard count >= 8 else { throw FlatBufferError(offset: 0, message: "flatbuffer of \(count) bytes is too short") }
        return try FlatTable(buffer: self, position: indirect(0))
    }
}

/// A table inside a flatbuffer.
struct FlatTable {
    let buffer: FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int
    private let tableSize: Int

    init(buffer: FlatBuffer, position: Int) throws {
        self.buffer = buffer
        self.position = position
        let soffset = try Int(buffer.load(Int32.self, at: position))
        let vtable = position - soffset
        try buffer.check(vtable, 4)
        let vtableSize = try Int(buffer.load(UInt16.self, at: vtable))
        let tableSize = try Int(buffer.load(UInt16.self, at: vtable + 2))
        guard vtableSize >= 4, vtableSize & 1 == 0 else {
            throw FlatBufferError(offset: vtable, message: "invalid vtable size \(vtableSize)")
        }
        try buffer.check(vtable, vtableSize)
        try buffer.check(position, tableSize)
        self.vtable = vtable
        self.vtableSize = vtableSize
        self.tableSize = tableSize
    }

    /// The position of field `slot`, or nil when absent.
    func fieldPosition(_ slot: Int, width: Int) throws -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let relative = try Int(buffer.load(UInt16.self, at: vtable + entry))
        if relative == 0 { return nil }
        guard relative + width <= tableSize else {
            throw FlatBufferError(offset: position + relative, message: "table field \(slot) lies outside its table")
        }
        return position + relative
    }

    func scalar<T: FixedWidthInteger>(_ slot: Int, default defaultValue: T) throws -> T {
        guard let field = try fieldPosition(slot, width: MemoryLayout<T>.size) else { return defaultValue }
        return try buffer.load(T.self, at: field)
    }

    func bool(_ slot: Int, default defaultValue: Bool) throws -> Bool {
        try scalar(slot, default: UInt8(defaultValue ? 1 : 0)) != 0
    }

    func table(_ slot: Int) throws -> FlatTable? {
        guard let field = try fieldPosition(slot, width: 4) else { return nil }
        return try FlatTable(buffer: buffer, position: buffer.indirect(field))
    }

    func string(_ slot: Int) throws -> String? {
        guard let field = try fieldPosition(slot, width: 4) else { return nil }
        let start = try buffer.indirect(field)
        let length = try Int(buffer.load(UInt32.self, at: start))
        try buffer.check(start + 4, length)
        let bytes = UnsafeRawBufferPointer(start: buffer.base + start + 4, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }

    func vector(_ slot: Int, elementSize: Int) throws -> FlatVector? {
        guard let field = try fieldPosition(slot, width: 4) else { return nil }
        let start = try buffer.indirect(field)
        let length = try Int(buffer.load(UInt32.self, at: start))
        let (bytes, overflow) = length.multipliedReportingOverflow(by: elementSize)
        guard !overflow else { throw FlatBufferError(offset: start, message: "vector length \(length) overflows") }
        try buffer.check(start + 4, bytes)
        return FlatVector(buffer: buffer, start: start + 4, count: length, elementSize: elementSize)
    }
}

/// A vector inside a flatbuffer, already bounds-checked as a whole.
struct FlatVector {
    let buffer: FlatBuffer
    /// The position of the first element.
    let start: Int
    let count: Int
    let elementSize: Int

    func elementPosition(_ index: Int) -> Int { start + index * elementSize }

    func scalar<T: FixedWidthInteger>(_ index: Int, as type: T.Type) throws -> T {
        try buffer.load(T.self, at: elementPosition(index))
    }

    /// Element `index` of a vector of tables.
    func table(_ index: Int) throws -> FlatTable {
        try FlatTable(buffer: buffer, position: buffer.indirect(elementPosition(index)))
    }

    /// Element `index` of a vector of strings.
    func string(_ index: Int) throws -> String {
        let start = try buffer.indirect(elementPosition(index))
        let length = try Int(buffer.load(UInt32.self, at: start))
        try buffer.check(start + 4, length)
        return String(decoding: UnsafeRawBufferPointer(start: buffer.base + start + 4, count: length), as: UTF8.self)
    }
}
