/// A contiguous, 64-byte-aligned block of memory: the storage of one Arrow buffer.
///
/// A buffer either owns its memory (allocated here, freed on deinit) or borrows it from an `owner`
/// that keeps it alive, such as a memory-mapped file. Buffers are immutable once shared: builders write
/// into a fresh buffer and hand it over when they finish.
public final class Buffer: @unchecked Sendable {
    /// Arrow requires 8-byte alignment and recommends 64; we always use 64.
    public static let alignment = 64

    /// The start of the memory.
    public let pointer: UnsafeMutableRawPointer
    /// The number of usable bytes.
    public private(set) var capacity: Int
    private let owner: AnyObject?
    private let ownsMemory: Bool

    /// Allocates `capacity` bytes of zeroed, 64-byte-aligned memory.
    public init(capacity: Int) {
        let rounded = Swift.max(Buffer.roundedUp(capacity), Buffer.alignment)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: Buffer.alignment)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: rounded)
        self.capacity = rounded
        owner = nil
        ownsMemory = true
    }

    /// Wraps memory that `owner` keeps alive; the buffer never frees it.
    public init(borrowing pointer: UnsafeMutableRawPointer, capacity: Int, owner: AnyObject?) {
        self.pointer = pointer
        self.capacity = capacity
        self.owner = owner
        ownsMemory = false
    }

    deinit {
        if ownsMemory { pointer.deallocate() }
    }

    /// Rounds a byte count up to a multiple of 64, as Arrow's padding recommends.
    @inlinable
    public static func roundedUp(_ byteCount: Int) -> Int {
        (byteCount + 63) & ~63
    }

    /// Returns a buffer of at least `newCapacity` bytes holding this buffer's first `usedBytes` bytes.
    /// Only valid on an owned buffer that nobody else references yet (builders use it while growing).
    public func grown(to newCapacity: Int, preserving usedBytes: Int) -> Buffer {
        let result = Buffer(capacity: newCapacity)
        result.pointer.copyMemory(from: pointer, byteCount: usedBytes)
        return result
    }

    /// A typed view of the memory.
    @inlinable
    public func typed<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        pointer.assumingMemoryBound(to: T.self)
    }
}
