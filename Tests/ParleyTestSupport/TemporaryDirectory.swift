import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A directory of one test's own, made with `mkdtemp(3)` under the system temporary directory. Shared by
/// every test target, so that each test works in a folder nobody else writes to.
public struct TemporaryDirectory: Sendable {
    /// Absolute path of the directory.
    public let path: String

    /// Wraps an existing directory.
    public init(path: String) { self.path = path }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory, sorted (hidden ones included).
    public func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Makes a new, empty directory named `PREFIX.XXXXXX` (`mkdtemp(3)`). The caller removes it.
    /// - Throws: ``TemporaryDirectoryError`` when `mkdtemp` fails.
    public static func make(prefix: String = "parley-tests") throws -> TemporaryDirectory {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix).XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let made else { throw TemporaryDirectoryError(prefix: prefix, errno: errno) }
        return TemporaryDirectory(path: made)
    }

    /// Removes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// `mkdtemp(3)` failed.
public struct TemporaryDirectoryError: Error, CustomStringConvertible {
    /// The name prefix asked for.
    public var prefix: String
    /// The `errno` it failed with.
    public var errno: Int32

    public var description: String { "mkdtemp \(prefix).XXXXXX: \(String(cString: strerror(errno)))" }
}

/// Runs `body` with a fresh, empty directory and removes the directory and everything in it afterwards.
///
/// A closure rather than an object with a `deinit`: an object can be released after its last use, while
/// the test is still using paths inside it.
public func withTemporaryDirectory<Result>(
    prefix: String = "parley-tests", _ body: (TemporaryDirectory) throws -> Result
) throws -> Result {
    let directory = try TemporaryDirectory.make(prefix: prefix)
    defer { directory.remove() }
    return try body(directory)
}

/// ``withTemporaryDirectory(prefix:_:)`` for async bodies.
public func withTemporaryDirectory<Result>(
    prefix: String = "parley-tests", _ body: (TemporaryDirectory) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory.make(prefix: prefix)
    defer { directory.remove() }
    return try await body(directory)
}
