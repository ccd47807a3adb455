import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A directory of one test's own, made with `mkdtemp(3)` under the system temporary directory.
struct TemporaryDirectory: Sendable {
    /// Absolute path of the directory.
    let path: String

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names in the directory, sorted (hidden ones included).
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

/// Runs `body` with a fresh, empty directory and removes the directory and everything in it afterwards.
///
/// A closure rather than an object with a `deinit`: an object can be released after its last use, while
/// the test is still using paths inside it.
func withTemporaryDirectory<Result>(_ body: (TemporaryDirectory) throws -> Result) throws -> Result {
    var template = Array((FileManager.default.temporaryDirectory.path + "/parley-log-tests.XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
        mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
    }
    guard let made else { throw TestFileError("mkdtemp", errno: errno, path: "parley-log-tests.XXXXXX") }
    let directory = TemporaryDirectory(path: made)
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    return try body(directory)
}
