import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the directory catalog needs, with errors as `CatalogError`s.
enum FileSystem {
    static func failure(_ operation: String, _ path: String, _ code: Int32 = errno) -> CatalogError {
        CatalogError("\(operation) \"\(path)\" failed: \(String(cString: strerror(code)))")
    }

    /// Creates a directory and its parents; succeeds when it exists already.
    static func makeDirectory(_ path: String) throws {
        var partial = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            partial += component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw failure("creating directory", partial)
            }
            partial += "/"
        }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw CatalogError("\"\(path)\" is not a directory")
        }
    }

    /// The whole contents of a file, or nil when it does not exist.
    static func read(_ path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw failure("opening", path)
        }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("reading", path)
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// Writes `bytes` to `path` atomically: a temporary file beside it is written and fsynced, then renamed
    /// over `path`, then the directory is fsynced.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("creating", temporary) }
        var succeeded = false
        defer { if !succeeded { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("writing", temporary)
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw failure("syncing", temporary) }
        }
        guard rename(temporary, path) == 0 else { throw failure("renaming", temporary) }
        succeeded = true
        synchronizeDirectory(directory)
    }

    /// Flushes a directory's entries to disk (best effort).
    static func synchronizeDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The names in a directory (without `.` and `..`); empty when it does not exist.
    static func list(_ path: String) -> [String] {
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Deletes a file, ignoring failures.
    static func removeFile(_ path: String) {
        _ = unlink(path)
    }

    /// Deletes an empty directory, ignoring failures.
    static func removeDirectory(_ path: String) {
        _ = rmdir(path)
    }
}

/// An advisory lock on a file (`flock`), held across processes. Within one process, callers must also
/// serialize among themselves: `flock` does not exclude threads sharing the descriptor.
final class FileLock: @unchecked Sendable {
    private let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure("opening lock file", path) }
    }

    deinit { close(descriptor) }

    func withExclusiveLock<T>(_ body: () throws -> T) throws -> T {
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw FileSystem.failure("locking", path) }
        }
        defer { _ = flock(descriptor, LOCK_UN) }
        return try body()
    }
}
