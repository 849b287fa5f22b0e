import Catalog
import Foundation

/// An open Quiver database: a catalog (where tables, views, statistics and data live) plus engine settings.
/// Open one per process and make a `Connection` per session.
public final class Database: Sendable {
    public let catalog: any Catalog
    /// Worker threads per query, unless a session sets `threads`.
    public let threadCount: Int

    public init(catalog: any Catalog, threadCount: Int? = nil) {
        self.catalog = catalog
        self.threadCount = max(1, threadCount ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Opens (creating if needed) the embedded catalog in a local directory.
    public static func open(directory: String, threadCount: Int? = nil) throws -> Database {
        Database(catalog: try DirectoryCatalog(directory: directory), threadCount: threadCount)
    }

    /// A database that lives in memory only, for tests.
    public static func inMemory(threadCount: Int? = nil) -> Database {
        Database(catalog: MemoryCatalog(), threadCount: threadCount)
    }

    /// A new session.
    public func connect() -> Connection {
        Connection(database: self)
    }
}
