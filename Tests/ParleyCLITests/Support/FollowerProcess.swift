import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A long-running `parley` (typically `tail --follow`) whose standard output comes back on a pipe that a
/// thread of the test drains as it arrives, so the test can wait for lines, send signals, or close its
/// end of the pipe (a reader that goes away) while the process runs. Standard error goes to a file.
final class FollowerProcess {
    /// What the draining thread has collected so far.
    private struct Collected {
        var bytes: [UInt8] = []
        var lines = 0
        /// The pipe reached end of file (every writer of it is gone).
        var ended = false
        /// The test asked the thread to close the read end.
        var closeRequested = false
        /// The read end is closed (after end of file, or on request).
        var closed = false
    }

    /// Shared between the test and the draining thread.
    private final class Box: Sendable {
        let state = Mutex(Collected())
    }

    let process: ChildProcess
    private let box = Box()
    private let errorPath: String
    private let started = ContinuousClock.now

    /// Starts `parley` with `arguments`; standard input is `/dev/null`.
    init(
        executable: String, arguments: [String], environment: [String: String], currentDirectory: String,
        scratch: String
    ) throws {
        errorPath = scratch + ".err"
        guard FileManager.default.createFile(atPath: errorPath, contents: nil) else { throw POSIXError(.EIO) }
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? error.close() }
        let pipe = Pipe()
        process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = error
        try process.run()
        // The draining thread owns a close-on-exec duplicate of the read end, so that it alone decides when
        // the read end closes (and no other child spawned meanwhile inherits it).
        let fd = fcntl(pipe.fileHandleForReading.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        try? pipe.fileHandleForReading.close()
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let box = self.box
        Thread { Self.drain(fd, into: box) }.start()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        box.state.withLock { $0.closeRequested = true }
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    /// Reads the pipe until end of file or until the test asks to close it; then closes the read end.
    private static func drain(_ fd: Int32, into box: Box) {
        var chunk = [UInt8](repeating: 0, count: 256 << 10)
        while true {
            if box.state.withLock({ $0.closeRequested }) { break }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&entry, 1, 20)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                box.state.withLock { $0.ended = true }
                break
            }
            let newlines = chunk[0..<n].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            box.state.withLock { state in
                state.bytes += chunk[0..<n]
                state.lines += newlines
            }
        }
        close(fd)
        box.state.withLock { $0.closed = true }
    }

    /// The child's process id.
    var pid: Int32 { process.processIdentifier }

    /// Standard output received so far.
    var output: [UInt8] { box.state.withLock { $0.bytes } }

    /// Number of complete lines received so far.
    var lineCount: Int { box.state.withLock { $0.lines } }

    /// Standard output received so far, split into lines (a last line without `\n` is left out).
    var lines: [String] {
        var lines = ParleyRun.lines(String(decoding: output, as: UTF8.self))
        if let last = output.last, last != 0x0A, !lines.isEmpty { lines.removeLast() }
        return lines
    }

    /// Standard error so far.
    var errorText: String {
        String(decoding: (try? ParleyProcess.readBytes(errorPath)) ?? [], as: UTF8.self)
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Closes the test's end of standard output: the child's next write fails with EPIPE and its poll
    /// reports an error on the descriptor. Returns once the read end is closed.
    func closeOutput() {
        box.state.withLock { $0.closeRequested = true }
        _ = Self.poll(until: .now + .seconds(10)) { self.box.state.withLock { $0.closed } }
    }

    /// Waits until `condition` holds or `timeout` passes; returns whether it held.
    @discardableResult
    func wait(for timeout: Duration = .seconds(30), until condition: (FollowerProcess) -> Bool) -> Bool {
        Self.poll(until: .now + timeout) { condition(self) }
    }

    /// Waits until at least `count` lines arrived (or the child exited); returns whether they did.
    @discardableResult
    func waitForLines(_ count: Int, timeout: Duration = .seconds(30)) -> Bool {
        _ = Self.poll(until: .now + timeout) { self.lineCount >= count || !self.process.isRunning }
        return lineCount >= count
    }

    /// Waits until the child holds an inotify descriptor: `tail` has set up its stop signals and watches
    /// the log (it may still be reading what was there). Returns whether that happened in time.
    @discardableResult
    func waitUntilWatching(timeout: Duration = .seconds(30)) -> Bool {
        Self.poll(until: .now + timeout) { self.hasInotifyDescriptor() || !self.process.isRunning }
    }

    /// Whether the child holds an inotify descriptor (per /proc/PID/fd).
    func hasInotifyDescriptor() -> Bool {
        let directory = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        for entry in entries {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + entry),
                target.contains("inotify")
            {
                return true
            }
        }
        return false
    }

    /// Waits for the child to exit (at most `timeout`; after that it is killed and the run reports the
    /// kill) and for its output to be drained.
    func finish(timeout: Duration = .seconds(30)) -> ParleyRun {
        let exited = Self.poll(until: .now + timeout) { !self.process.isRunning }
        if !exited {
            Issue.record("the follower did not exit within \(timeout); killing it")
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
        // Every writer of the pipe is gone: the draining thread sees end of file (or was told to close).
        _ = Self.poll(until: .now + .seconds(10)) { self.box.state.withLock { $0.closed } }
        return ParleyRun(
            exitCode: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
            stdout: output, stderr: (try? ParleyProcess.readBytes(errorPath)) ?? [],
            elapsed: ContinuousClock.now - started)
    }

    /// Sends `signal`, then waits for the child to exit.
    func stop(with signal: Int32 = SIGTERM, timeout: Duration = .seconds(30)) -> ParleyRun {
        send(signal)
        return finish(timeout: timeout)
    }

    /// Polls `condition` every 5 ms until it holds or `deadline` passes.
    static func poll(until deadline: ContinuousClock.Instant, _ condition: () -> Bool) -> Bool {
        while true {
            if condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }
}

extension Sandbox {
    /// Starts `parley` with `arguments` as a ``FollowerProcess``, in the working directory.
    func follow(_ arguments: [String], environment: [String: String] = [:]) throws -> FollowerProcess {
        try FollowerProcess(
            executable: try ParleyProcess.executablePath(), arguments: arguments,
            environment: ParleyProcess.environment(environment), currentDirectory: directory,
            scratch: root + "/follower-\(UUID().uuidString)")
    }

    /// Starts `parley` with `arguments` and standard input on a pipe, with extra environment variables
    /// (``start(_:)`` takes none).
    func start(_ arguments: [String], environment: [String: String]) throws -> RunningParley {
        try RunningParley(
            executable: try ParleyProcess.executablePath(), arguments: arguments,
            environment: ParleyProcess.environment(environment), currentDirectory: directory,
            scratch: root + "/running-\(UUID().uuidString)")
    }
}

/// Checks on what `tail` and `dump` write.
enum TailOutput {
    /// The sequence number of a JSON line as `dump` and `tail` write it (`{"seq":N,…`), read from its prefix.
    static func seq(_ line: String) -> UInt64? {
        let prefix = #"{"seq":"#
        guard line.hasPrefix(prefix) else { return nil }
        let digits = line.utf8.dropFirst(prefix.utf8.count).prefix { $0 >= 0x30 && $0 <= 0x39 }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    /// The sequence numbers of `lines` (0 for a line without one).
    static func seqs(_ lines: [String]) -> [UInt64] {
        lines.map { seq($0) ?? 0 }
    }

    /// Where `actual` first differs from `expected`, with the lines around it; nil when they are equal.
    static func difference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
        if actual == expected { return nil }
        let common = zip(actual, expected).prefix { $0 == $1 }.count
        func around(_ bytes: [UInt8]) -> String {
            let start = bytes[..<min(common, bytes.count)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let end = min(bytes.count, common + 200)
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return "outputs differ at byte \(common) (actual \(actual.count) bytes, expected \(expected.count)):\n"
            + "actual:   \(around(actual))\nexpected: \(around(expected))"
    }

    /// The position saved in the cursor file `name` of the log at `log`, or nil when there is none.
    static func cursor(_ name: String, of log: String) throws -> UInt64? {
        let path = log + ".cursors/" + name
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = String(decoding: try ParleyProcess.readBytes(path), as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count == 4, fields[0] == "parley-cursor", text.hasSuffix("\n") else {
            throw POSIXError(.EINVAL)
        }
        return UInt64(fields[3].dropLast())
    }

    /// The log id in the header of the log at `path`, as 32 lower-case hex digits.
    static func logID(of path: String) throws -> String {
        try ParleyProcess.readBytes(path)[16..<32].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
