import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A child process started with `posix_spawn`, with the part of `Foundation.Process`'s interface the tests
/// use.
///
/// Why not `Process`: on Linux, `Process.run()` of the toolchain used here (Swift 6.3.1) reads 256 bytes
/// from each `/proc/self/fd` directory entry, past the end of glibc's buffer when the entry sits at its end
/// (swift-corelibs-foundation pull request 5472, fixed after this toolchain). The test process crashes
/// with SIGSEGV in `memmove` now and then, the more often the more descriptors are open: with test cases
/// on dedicated threads, about one full run in two. This spawns with `posix_spawn` instead, closing every
/// descriptor above 2 in the child (`posix_spawn_file_actions_addclosefrom_np`) and changing its
/// directory (`posix_spawn_file_actions_addchdir_np`); both are in glibc since 2.34 and are looked up at
/// run time, because the Glibc module does not export them.
public final class ChildProcess: @unchecked Sendable {
    /// Why the child ended.
    public enum TerminationReason: Sendable {
        /// It called `exit` (or returned from `main`).
        case exit
        /// A signal ended it.
        case uncaughtSignal
    }

    /// Thrown when the child cannot be started.
    public struct SpawnError: Error, CustomStringConvertible {
        /// What failed.
        public var what: String
        /// The error number.
        public var code: Int32
        public var description: String { "\(what) failed: \(String(cString: strerror(code)))" }
    }

    /// The program to run.
    public var executableURL: URL?
    /// Its arguments, without the program name.
    public var arguments: [String] = []
    /// Its environment; the test process's when `nil`.
    public var environment: [String: String]?
    /// Its working directory; the test process's when `nil`.
    public var currentDirectoryURL: URL?
    /// A `FileHandle` (e.g. `FileHandle.nullDevice`) or a `Pipe` (the child gets the read end); inherited when `nil`.
    public var standardInput: Any?
    /// A `FileHandle` or a `Pipe` (the child gets the write end); inherited when `nil`.
    public var standardOutput: Any?
    /// A `FileHandle` or a `Pipe` (the child gets the write end); inherited when `nil`.
    public var standardError: Any?

    private struct State {
        var pid: pid_t = 0
        var status: Int32?
    }

    private let state = Mutex(State())

    /// Creates a child process description; ``run()`` starts it.
    public init() {}

    /// The child's process id (0 before ``run()``).
    public var processIdentifier: Int32 { state.withLock { $0.pid } }

    /// Starts the child. The parent's copies of the pipe ends given to the child are closed, as `Process` does.
    public func run() throws {
        guard let executableURL else { throw SpawnError(what: "no executable", code: EINVAL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEndsToClose: [FileHandle] = []
        for (target, source) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            let handle: FileHandle
            switch source {
            case let pipe as Pipe:
                handle = target == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                parentEndsToClose.append(handle)
            case let file as FileHandle:
                handle = file
            default:
                continue
            }
            // `FileHandle.nullDevice` has no descriptor of its own on Linux (-1).
            if handle === FileHandle.nullDevice || handle.fileDescriptor < 0 {
                let result = posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0)
                guard result == 0 else { throw SpawnError(what: "posix_spawn_file_actions_addopen", code: result) }
                continue
            }
            let result = posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            guard result == 0 else { throw SpawnError(what: "posix_spawn_file_actions_adddup2", code: result) }
        }
        guard let addCloseFrom = Self.addCloseFrom, let addChdir = Self.addChdir else {
            throw SpawnError(what: "looking up posix_spawn_file_actions_addclosefrom_np", code: ENOSYS)
        }
        var result = addCloseFrom(&actions, 3)
        guard result == 0 else { throw SpawnError(what: "posix_spawn_file_actions_addclosefrom_np", code: result) }
        if let directory = currentDirectoryURL?.path {
            result = addChdir(&actions, directory)
            guard result == 0 else { throw SpawnError(what: "posix_spawn_file_actions_addchdir_np", code: result) }
        }
        let path = executableURL.path
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environmentStrings = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in environmentStrings ?? [] { free(pointer) }
        }
        // As a shell would start it: no signal blocked (the spawning thread may block many) and every
        // signal's action the default (the test process ignores SIGPIPE), as `Process` does too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        result = posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        guard result == 0 else { throw SpawnError(what: "posix_spawnattr_setflags", code: result) }
        var pid: pid_t = 0
        result = argv.withUnsafeBufferPointer { argvBuffer in
            if let environmentStrings {
                return environmentStrings.withUnsafeBufferPointer { environmentBuffer in
                    posix_spawn(
                        &pid, path, &actions, &attributes, argvBuffer.baseAddress!, environmentBuffer.baseAddress!)
                }
            }
            return posix_spawn(&pid, path, &actions, &attributes, argvBuffer.baseAddress!, environ)
        }
        guard result == 0 else { throw SpawnError(what: "posix_spawn \(path)", code: result) }
        state.withLock { $0.pid = pid }
        for handle in parentEndsToClose { try? handle.close() }
    }

    /// Waits for the child to end (blocks the calling thread: call it on a dedicated thread).
    public func waitUntilExit() {
        while true {
            let (pid, known) = state.withLock { ($0.pid, $0.status) }
            if known != nil || pid == 0 { return }
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid {
                state.withLock { $0.status = status }
                return
            }
            if result < 0 && errno == EINTR { continue }
            // Reaped by another thread's call: its status is about to be recorded.
            if state.withLock({ $0.status }) != nil { return }
            usleep(1000)
        }
    }

    /// Whether the child was started and has not ended yet.
    public var isRunning: Bool {
        state.withLock { state in
            guard state.pid != 0, state.status == nil else { return false }
            var status: Int32 = 0
            let result = waitpid(state.pid, &status, WNOHANG)
            if result == state.pid {
                state.status = status
                return false
            }
            return true
        }
    }

    /// The exit status, or the signal number when ``terminationReason`` is `.uncaughtSignal`.
    public var terminationStatus: Int32 {
        let status = state.withLock { $0.status } ?? 0
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
    }

    /// Whether the child exited or was ended by a signal.
    public var terminationReason: TerminationReason {
        let status = state.withLock { $0.status } ?? 0
        return status & 0x7F == 0 ? .exit : .uncaughtSignal
    }

    /// Sends SIGTERM.
    public func terminate() { send(SIGTERM) }

    /// Sends SIGINT.
    public func interrupt() { send(SIGINT) }

    /// Sends `signal` to the child while it has not been reaped.
    public func send(_ signal: Int32) {
        state.withLock { state in
            if state.pid != 0, state.status == nil { kill(state.pid, signal) }
        }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static let addCloseFrom: AddCloseFrom? = lookUp("posix_spawn_file_actions_addclosefrom_np")
    private static let addChdir: AddChdir? = lookUp("posix_spawn_file_actions_addchdir_np")

    private static func lookUp<T>(_ name: String) -> T? {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(symbol, to: T.self)
    }
}
