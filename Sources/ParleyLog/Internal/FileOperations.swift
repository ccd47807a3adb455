#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The system calls that change a log or create files beside it, as values. Creating a log, opening it
/// for writing (recovery), appending and repairing make every such call through one of these, so that
/// tests can inject failures (EIO from `fdatasync`, ENOSPC or short writes) or, in debug builds, simulate
/// a power loss (``PowerLossSimulator``).
///
/// Reads, `flock` and the commit hint go straight to ``SystemCalls``: what a process reads is the page
/// cache, which holds every write whether or not it is durable, and the hint is never synced.
struct FileOperations: Sendable {
    /// `open(2)` of a regular file (``SystemCalls/openRegularFile(_:_:mode:followSymlinks:)``: `O_CLOEXEC` is
    /// added, anything but a regular file is refused; a symbolic link is followed, as the log's path is
    /// the user's choice, and the files created through it are new, `O_CREAT | O_EXCL`): path, flags, mode.
    var open: @Sendable (String, Int32, mode_t) -> Result<Int32, Errno>
    /// `close(2)`.
    var close: @Sendable (Int32) -> Void
    /// `pwrite(2)` once; may write fewer bytes than asked.
    var pwrite: @Sendable (Int32, UnsafeRawBufferPointer, Int64) -> Result<Int, Errno>
    /// `fdatasync(2)`.
    var fdatasync: @Sendable (Int32) -> Result<Void, Errno>
    /// `fsync(2)`.
    var fsync: @Sendable (Int32) -> Result<Void, Errno>
    /// `ftruncate(2)`.
    var ftruncate: @Sendable (Int32, Int64) -> Result<Void, Errno>
    /// `link(2)`: existing path, new path.
    var link: @Sendable (String, String) -> Result<Void, Errno>
    /// `unlink(2)`.
    var unlink: @Sendable (String) -> Result<Void, Errno>
    /// `fsync(2)` of the directory holding the path: makes a created, linked or removed entry durable.
    var fsyncDirectory: @Sendable (String) -> Result<Void, Errno>

    /// The real system calls.
    static let system = FileOperations(
        open: { SystemCalls.openRegularFile($0, $1, mode: $2, followSymlinks: true) },
        close: { SystemCalls.close($0) },
        pwrite: { SystemCalls.pwrite($0, $1, at: $2) },
        fdatasync: { SystemCalls.fdatasync($0) },
        fsync: { SystemCalls.fsync($0) },
        ftruncate: { SystemCalls.ftruncate($0, $1) },
        link: { SystemCalls.link($0, $1) },
        unlink: { SystemCalls.unlink($0) },
        fsyncDirectory: { SystemCalls.fsyncDirectory(of: $0) })

    /// Calls ``pwrite`` until every byte of `buffer` is written at `offset`.
    /// - Returns: the bytes written, and the error that stopped the writing (`EIO` for a write that wrote
    ///   nothing), if one did.
    func pwriteFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int64) -> (written: Int, error: Errno?) {
        var done = 0
        while done < buffer.count {
            switch pwrite(fd, UnsafeRawBufferPointer(rebasing: buffer[done...]), offset + Int64(done)) {
            case .success(0): return (done, .io)
            case .success(let count): done += count
            case .failure(let error): return (done, error)
            }
        }
        return (done, nil)
    }
}
