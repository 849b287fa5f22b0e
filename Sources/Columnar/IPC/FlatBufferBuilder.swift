/// A minimal FlatBuffers builder, enough for Arrow's Schema, Message and Footer tables.
///
/// FlatBuffers are built back to front: children are written before the tables that refer to them, so every
/// `uoffset` points forward. Objects are identified while building by their distance from the end of the
/// buffer (`FlatBufferBuilder.Offset`), which stays valid as the buffer grows at the front.
///
/// Layout rules followed (from the FlatBuffers binary format):
/// - the buffer starts with a `uoffset` (UInt32) to the root table;
/// - a table starts with an `soffset` (Int32): `vtable = table - soffset`;
/// - a vtable is `[UInt16 vtable size, UInt16 table size, UInt16 field offset...]`, 0 meaning absent;
/// - strings and vectors are a UInt32 count followed by their elements (strings also by a NUL byte);
/// - every scalar is aligned to its size; structs to their largest member.
struct FlatBufferBuilder {
    /// The position of a finished object, as its distance from the end of the buffer.
    struct Offset: Equatable {
        var value: Int
    }

    /// Bytes are stored at the end of `storage`; `head` is the index of the first used byte.
    private var storage: [UInt8]
    private var head: Int
    private var minimumAlignment = 1
    /// Fields of the table being built: (slot, position as distance from end).
    private var fields: [(slot: Int, offset: Int)] = []
    private var tableStart = 0
    private var inTable = false

    init(capacity: Int = 1024) {
        storage = [UInt8](repeating: 0, count: Swift.max(capacity, 64))
        head = storage.count
    }

    /// The number of bytes written so far.
    var size: Int { storage.count - head }

    private mutating func growIfNeeded(_ needed: Int) {
        if head >= needed { return }
        let used = size
        var newCount = storage.count * 2
        while newCount - used < needed { newCount *= 2 }
        var grown = [UInt8](repeating: 0, count: newCount)
        grown.withUnsafeMutableBytes { target in
            storage.withUnsafeBytes { source in
                if used > 0 {
                    (target.baseAddress! + (newCount - used)).copyMemory(from: source.baseAddress! + head, byteCount: used)
                }
            }
        }
        storage = grown
        head = newCount - used
    }

    /// Adds zero bytes so that, after `additionalBytes` more bytes are written, the size is a multiple of `alignment`.
    mutating func align(_ alignment: Int, additionalBytes: Int = 0) {
        if alignment > minimumAlignment { minimumAlignment = alignment }
        let padding = (~(size + additionalBytes) &+ 1) & (alignment - 1)
        pad(padding)
    }

    mutating func pad(_ count: Int) {
        guard count > 0 else { return }
        growIfNeeded(count)
        for _ in 0..<count {
            head -= 1
            storage[head] = 0
        }
    }

    /// Prepends a little-endian scalar without aligning.
    mutating func place<T: FixedWidthInteger>(_ value: T) {
        let width = MemoryLayout<T>.size
        growIfNeeded(width)
        head -= width
        var littleEndian = value.littleEndian
        withUnsafeBytes(of: &littleEndian) { bytes in
            for index in 0..<width { storage[head + index] = bytes[index] }
        }
    }

    /// Prepends an aligned scalar.
    mutating func add<T: FixedWidthInteger>(_ value: T) {
        align(MemoryLayout<T>.size)
        place(value)
    }

    /// Prepends a `uoffset` to an object written earlier.
    mutating func add(offset: Offset) {
        align(4)
        place(UInt32(truncatingIfNeeded: size + 4 - offset.value))
    }

    /// Writes a NUL-terminated string object.
    mutating func create(string: String) -> Offset {
        let bytes = Array(string.utf8)
        align(4, additionalBytes: bytes.count + 1)
        growIfNeeded(bytes.count + 1)
        head -= 1
        storage[head] = 0
        head -= bytes.count
        for (index, byte) in bytes.enumerated() { storage[head + index] = byte }
        place(UInt32(bytes.count))
        return Offset(value: size)
    }

    /// Writes a vector of offsets to objects written earlier (tables or strings).
    mutating func create(offsets: [Offset]) -> Offset {
        align(4, additionalBytes: offsets.count * 4)
        for offset in offsets.reversed() { add(offset: offset) }
        align(4)
        place(UInt32(offsets.count))
        return Offset(value: size)
    }

    /// Writes a vector of structs. `writeElement` is called for each element index in reverse order and must
    /// prepend exactly `elementSize` bytes (with `place`).
    mutating func createVector(count: Int, elementSize: Int, alignment: Int,
                               writeElement: (inout FlatBufferBuilder, Int) -> Void) -> Offset {
        align(4, additionalBytes: count * elementSize)
        align(alignment, additionalBytes: count * elementSize)
        for index in stride(from: count - 1, through: 0, by: -1) { writeElement(&self, index) }
        place(UInt32(count))
        return Offset(value: size)
    }

    /// Writes a vector of scalars.
    mutating func create<T: FixedWidthInteger>(scalars: [T]) -> Offset {
        createVector(count: scalars.count, elementSize: MemoryLayout<T>.size, alignment: MemoryLayout<T>.size) { builder, index in
            builder.place(scalars[index])
        }
    }

    // MARK: Tables

    mutating func startTable() {
        precondition(!inTable, "flatbuffer tables cannot nest while being built")
        inTable = true
        fields.removeAll(keepingCapacity: true)
        tableStart = size
    }

    private mutating func track(slot: Int) {
        fields.append((slot, size))
    }

    /// Adds a scalar field.
    mutating func add<T: FixedWidthInteger>(slot: Int, _ value: T) {
        add(value)
        track(slot: slot)
    }

    mutating func add(slot: Int, _ value: Bool) {
        add(slot: slot, UInt8(value ? 1 : 0))
    }

    /// Adds an offset field (table, string or vector).
    mutating func add(slot: Int, offset: Offset) {
        add(offset: offset)
        track(slot: slot)
    }

    /// Adds an inline struct field; `write` must prepend exactly `size` bytes.
    mutating func addStruct(slot: Int, size structSize: Int, alignment: Int, write: (inout FlatBufferBuilder) -> Void) {
        align(alignment, additionalBytes: structSize)
        write(&self)
        track(slot: slot)
    }

    /// Finishes the table: writes its soffset and its vtable (just before it).
    mutating func endTable() -> Offset {
        precondition(inTable, "endTable without startTable")
        add(Int32(0)) // placeholder for the soffset
        let tableOffset = size
        let slotCount = (fields.map(\.slot).max() ?? -1) + 1
        var slotPositions = [UInt16](repeating: 0, count: slotCount)
        for field in fields {
            slotPositions[field.slot] = UInt16(tableOffset - field.offset)
        }
        let tableSize = tableOffset - tableStart
        // The vtable: written back to front, field offsets last-slot first.
        for position in slotPositions.reversed() { place(position) }
        place(UInt16(tableSize))
        place(UInt16(4 + 2 * slotCount))
        let vtableOffset = size
        // soffset = table position - vtable position = vtableOffset - tableOffset (distances from the end).
        let soffset = Int32(vtableOffset - tableOffset)
        let tableIndex = storage.count - tableOffset
        var littleEndian = soffset.littleEndian
        withUnsafeBytes(of: &littleEndian) { bytes in
            for index in 0..<4 { storage[tableIndex + index] = bytes[index] }
        }
        inTable = false
        return Offset(value: tableOffset)
    }

    /// Finishes the buffer with `root` as its root table, and returns the bytes.
    mutating func finish(root: Offset) -> [UInt8] {
        align(Swift.max(minimumAlignment, 8), additionalBytes: 4)
        add(offset: root)
        return Array(storage[head...])
    }
}
