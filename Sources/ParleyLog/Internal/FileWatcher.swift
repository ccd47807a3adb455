#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Waits for a file to change, with inotify (Linux has no Dispatch file-watch source), and for
/// other descriptors to become ready: a wake-up pipe for signals, stdout for its reader going away.
/// Idle, it sleeps in `poll(2)`: no CPU is used until something happens.
final class FileWatcher {
    private let inotify: Int32
    private var watches: [Int32] = []

    /// Watches the files at `paths` (missing files are skipped: the timeout still wakes the caller).
    init(paths: [String]) throws(LogError) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw LogError.io("inotify_init1", Errno.current, path: paths.first) }
        inotify = fd
        for path in paths {
            let watch = inotify_add_watch(fd, path, UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF))
            if watch >= 0 { watches.append(watch) }
        }
    }

    deinit { SystemCalls.close(inotify) }

    /// What ended a wait.
    enum Wake: Equatable {
        case changed, timedOut
        /// One of the extra descriptors is readable or reported an error or hang-up.
        case descriptor(Int32)
    }

    /// Sleeps until a watched file changes, an extra descriptor is ready, or `milliseconds` pass.
    /// - Parameters:
    ///   - milliseconds: the longest wait.
    ///   - readable: descriptors to wake on when readable (e.g. a signal pipe).
    ///   - hangup: descriptors to wake on when they report an error or hang-up (e.g. stdout).
    func wait(milliseconds: Int32, readable: [Int32] = [], hangup: [Int32] = []) -> Wake {
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)]
        fds += readable.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        fds += hangup.map { pollfd(fd: $0, events: 0, revents: 0) }
        let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
        guard ready > 0 else { return .timedOut }
        for entry in fds.dropFirst() where entry.revents != 0 { return .descriptor(entry.fd) }
        drain()
        return .changed
    }

    /// Reads and discards pending inotify events.
    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(inotify, $0.baseAddress, $0.count) }) > 0 {}
    }
}
