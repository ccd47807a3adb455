import Dispatch
import ParleyEvents

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The few system calls the command line makes itself (reading stdin, writing stdout/stderr, signals,
/// temporary directories). Everything else goes through ParleyLog.
enum Posix {
    /// Writes all of `bytes` to `fd`; returns the errno on failure (EPIPE when the reader went away).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return nil
    }

    /// Whether `fd` is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Ignore SIGPIPE (a closed stdout becomes EPIPE, handled as a clean stop) and SIGXFSZ
    /// (a file-size limit becomes EFBIG from write, handled as an I/O error, not a core dump).
    static func ignoreWriteSignals() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// `mkdtemp` under `$TMPDIR` (or /tmp).
    static func makeTemporaryDirectory(prefix: String, environment: [String: String]) -> String? {
        let base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { return nil }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Whether a file exists.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// `strerror` text.
    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    /// The process's environment.
    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

/// Reads a file descriptor (stdin) for the JSON Lines reader.
struct FileDescriptorSource: ByteSource {
    let fd: Int32

    /// Thrown when `read(2)` fails.
    struct ReadError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "reading the input failed: \(Posix.describe(errno: code))" }
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ReadError(code: errno)
        }
    }
}

/// Turns SIGINT and SIGTERM into a readable pipe, so a command sleeping in `poll` wakes up and stops
/// cleanly: the self-pipe trick. A `sigaction` handler writes one byte (`write(2)` is async-signal-safe).
///
/// Not a Dispatch signal source: on Linux it ignores the signal (`SIG_IGN`) and reads it from a
/// `signalfd`, which only sees it while it is blocked in the thread the kernel picks; a thread that
/// does not block it discards it, so a Ctrl-C could be lost when `parley` starts with no signal blocked,
/// as a shell starts it.
final class StopSignals {
    /// Becomes readable once a stop signal arrived.
    let readEnd: Int32
    private let writeEnd: Int32
    private var previous: [(Int32, sigaction)] = []

    /// The pipe's write end, for the handler (set while a `StopSignals` lives; one at a time).
    nonisolated(unsafe) private static var handlerWriteEnd: Int32 = -1

    init() {
        var fds: [Int32] = [-1, -1]
        _ = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
        Self.handlerWriteEnd = fds[1]
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                let saved = errno
                var byte: UInt8 = 1
                _ = write(StopSignals.handlerWriteEnd, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            previous.append((number, old))
        }
    }

    /// Whether a stop signal has arrived (does not consume it).
    var received: Bool {
        var entry = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    deinit {
        for (number, old) in previous {
            var old = old
            sigaction(number, &old, nil)
        }
        Self.handlerWriteEnd = -1
        close(readEnd)
        close(writeEnd)
    }
}
