#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory. Buffers that borrow the mapping
/// keep this object alive; the mapping is removed when the last one goes away.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The first byte of the mapping (a dummy, never-read address for an empty file).
    public let pointer: UnsafeMutableRawPointer
    /// The size of the file in bytes.
    public let size: Int
    private let isMapped: Bool

    /// Maps the file at `path`. Throws `FileError` when it cannot be opened or mapped.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open", code: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileError(path: path, operation: "stat", code: errno) }
        let size = Int(status.st_size)
        self.size = size
        if size == 0 {
            pointer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
            isMapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
              address != MAP_FAILED else {
            throw FileError(path: path, operation: "mmap", code: errno)
        }
        pointer = address
        isMapped = true
    }

    deinit {
        if isMapped { munmap(pointer, size) } else { pointer.deallocate() }
    }

    /// The mapped bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: size) }

    /// Tells the kernel the file will be read front to back.
    public func adviseSequential() {
        if isMapped { _ = madvise(pointer, size, MADV_SEQUENTIAL) }
    }

    /// Tells the kernel not to read around the pages a fault touches: a columnar reader reads some columns'
    /// buffers and asks for them with `prefetch`, so reading around would only bring in other columns.
    public func adviseRandomAccess() {
        if isMapped { _ = madvise(pointer, size, MADV_RANDOM) }
    }

    /// Starts reading the pages of `length` bytes at `offset` into memory (`MADV_WILLNEED`), without waiting.
    public func prefetch(offset: Int, length: Int) {
        guard isMapped, length > 0, offset >= 0, offset < size else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset - offset % page
        let end = Swift.min(size, offset + length)
        _ = madvise(pointer + start, end - start, MADV_WILLNEED)
    }
}

/// A failed file system call.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32

    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// The system's explanation of `code`.
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(path): \(operation) failed: \(reason)" }
}

/// A file opened for writing, written through a large buffer. Closes on deinit.
final class OutputFile {
    let path: String
    private var descriptor: Int32
    private var pending: [UInt8] = []
    /// The number of bytes written (flushed or pending).
    private(set) var position = 0
    private static let flushThreshold = 1 << 20

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileError(path: path, operation: "open", code: errno) }
        pending.reserveCapacity(OutputFile.flushThreshold * 2)
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if pending.count + bytes.count > OutputFile.flushThreshold { try flush() }
        if bytes.count >= OutputFile.flushThreshold {
            try writeFully(bytes)
        } else {
            pending.append(contentsOf: bytes)
        }
        position += bytes.count
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        if pending.count + count > OutputFile.flushThreshold { try flush() }
        pending.append(contentsOf: repeatElement(0, count: count))
        position += count
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try writeFully($0) }
        pending.removeAll(keepingCapacity: true)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "write", code: errno)
            }
            offset += written
        }
    }

    /// Flushes, optionally fsyncs, and closes the file.
    func complete(synchronize: Bool) throws {
        try flush()
        if synchronize, fsync(descriptor) != 0 { throw FileError(path: path, operation: "fsync", code: errno) }
        let result = Glibc.close(descriptor)
        descriptor = -1
        if result != 0 { throw FileError(path: path, operation: "close", code: errno) }
    }
}
