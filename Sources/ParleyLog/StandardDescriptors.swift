#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Keeps descriptors 0, 1 and 2 open, so that no file Parley opens can take their place.
///
/// A process started with stderr closed (`2>&-`) hands the next `open` descriptor 2; whatever is then
/// printed "to stderr" lands in that file. If that file is a log, the message overwrites its header.
/// ``ensureOpen()`` opens `/dev/null` onto every closed standard descriptor; every open of a log or side
/// file in ParleyLog calls it first, and the `parley` executable calls it before anything else.
public enum StandardDescriptors {
    /// Opens `/dev/null` onto each of descriptors 0, 1 and 2 that is closed (read-only for 0, write-only
    /// for 1 and 2). Cheap when they are open (three `fcntl` calls).
    /// - Returns: `false` when a closed descriptor could not be filled (`/dev/null` missing or the
    ///   descriptor table full); callers that open files then refuse to, see ``SystemCalls``.
    @discardableResult
    public static func ensureOpen() -> Bool {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = Glibc.open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened == fd { continue }
            // Something else holds a lower number, or the open failed: put /dev/null exactly at `fd`.
            if opened >= 0 {
                let placed = dup2(opened, fd)
                Glibc.close(opened)
                if placed == fd { continue }
            }
            return false
        }
        return true
    }
}
