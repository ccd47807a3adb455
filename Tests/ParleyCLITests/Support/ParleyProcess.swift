import Foundation
@_exported import ParleyTestSupport  // every file of the target sees the `.dedicatedThread` trait
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What one run of the `parley` binary produced.
struct ParleyRun: CustomStringConvertible {
    /// The exit status, or the signal number when ``exitedNormally`` is false.
    var exitCode: Int32
    /// False when the process was killed by a signal (a crash, not an exit).
    var exitedNormally: Bool
    /// Everything written to standard output.
    var stdout: [UInt8]
    /// Everything written to standard error.
    var stderr: [UInt8]
    /// Wall-clock time from spawn to exit.
    var elapsed: Duration
    /// Whether the run was killed (SIGKILL) at its time limit.
    var timedOut = false

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// Standard output split at `\n`, without the empty string after the final newline.
    var stdoutLines: [String] { Self.lines(stdoutText) }
    /// Standard error split at `\n`, without the empty string after the final newline.
    var stderrLines: [String] { Self.lines(stderrText) }

    /// Whether the process exited (not crashed) with status 0.
    var succeeded: Bool { exitedNormally && exitCode == 0 }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// A summary for failure messages, with long outputs clipped.
    var description: String {
        func clip(_ text: String) -> String {
            text.utf8.count <= 3000 ? text : String(decoding: Array(text.utf8.prefix(3000)), as: UTF8.self) + "…"
        }
        let status = exitedNormally ? "exit \(exitCode)" : "killed by signal \(exitCode)"
        return "\(status)\n--- stdout ---\n\(clip(stdoutText))\n--- stderr ---\n\(clip(stderrText))"
    }
}

/// Finds and runs the `parley` executable that `swift build --build-tests` puts next to the test bundle.
enum ParleyProcess {
    /// Raised when the binary is not where the build puts it.
    struct NotFound: Error, CustomStringConvertible {
        var tried: [String]
        var description: String {
            "the parley executable was not found (tried: \(tried.joined(separator: ", "))). "
                + "Build it with `swift build --build-tests` (the test target depends on it), "
                + "or set PARLEY_BINARY to its path."
        }
    }

    /// The path of the `parley` executable, located once.
    static func executablePath() throws -> String { try located.get() }

    private static let located: Result<String, NotFound> = {
        // A test run ignores SIGPIPE so that writing to the stdin of a child that already exited
        // fails with EPIPE instead of killing the test process.
        signal(SIGPIPE, SIG_IGN)
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["PARLEY_BINARY"], !override.isEmpty {
            candidates.append(override)
        }
        // On Linux the tests run inside `<build dir>/<Package>PackageTests.xctest`, an executable.
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/parley")
        }
        if let exe = Bundle.main.executablePath {
            candidates.append((exe as NSString).deletingLastPathComponent + "/parley")
        }
        // On Darwin the bundle is a directory inside the build directory.
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("parley").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return .success(candidate)
        }
        return .failure(NotFound(tried: candidates))
    }()

    /// The environment a child gets: the test process's, without `PARLEY_LOG`, plus `overrides`.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PARLEY_LOG")
        environment.removeValue(forKey: "PARLEY_BINARY")
        environment.merge(overrides) { _, new in new }
        return environment
    }

    /// Runs `executable` to completion. Standard input comes from a file holding `stdin`; standard output
    /// and error go to files (no pipes, so no deadlock whatever the sizes). With a `limit`, the child is
    /// killed with SIGKILL once it has run that long (``ParleyRun/timedOut``).
    static func run(
        executable: String, arguments: [String], stdin: [UInt8], environment: [String: String],
        currentDirectory: String, scratch: String, limit: Duration? = nil
    ) throws -> ParleyRun {
        let inputPath = scratch + ".in"
        let outputPath = scratch + ".out"
        let errorPath = scratch + ".err"
        defer {
            for path in [inputPath, outputPath, errorPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        guard FileManager.default.createFile(atPath: inputPath, contents: Data(stdin)),
            FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil)
        else {
            throw POSIXError(.EIO)
        }
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? input.close()
            try? output.close()
            try? error.close()
        }
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        var timedOut = false
        if let limit {
            let deadline = start + limit
            while process.isRunning {
                if clock.now >= deadline {
                    timedOut = true
                    kill(process.processIdentifier, SIGKILL)
                    break
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        process.waitUntilExit()
        let elapsed = clock.now - start
        return ParleyRun(
            exitCode: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
            stdout: try readBytes(outputPath), stderr: try readBytes(errorPath), elapsed: elapsed, timedOut: timedOut)
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// A `parley` process left running with its standard input on a pipe the test holds open
/// (so an `append` holds the writer lock while it waits for input).
final class RunningParley {
    let process: ChildProcess
    private let input: FileHandle
    private let outputPath: String
    private let errorPath: String
    private let started: ContinuousClock.Instant
    private var inputClosed = false

    init(
        executable: String, arguments: [String], environment: [String: String], currentDirectory: String,
        scratch: String
    )
        throws
    {
        outputPath = scratch + ".out"
        errorPath = scratch + ".err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil)
        else {
            throw POSIXError(.EIO)
        }
        let pipe = Pipe()
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? output.close()
            try? error.close()
        }
        process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        process.standardInput = pipe
        process.standardOutput = output
        process.standardError = error
        input = pipe.fileHandleForWriting
        started = ContinuousClock.now
        try process.run()
        // Our copy of the read end is not needed: the child has its own.
        try? pipe.fileHandleForReading.close()
    }

    deinit {
        if !inputClosed { try? input.close() }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    /// The child's process id.
    var pid: Int32 { process.processIdentifier }

    /// Writes bytes to the child's standard input.
    func send(_ bytes: [UInt8]) throws {
        try input.write(contentsOf: Data(bytes))
    }

    /// Writes lines (each followed by `\n`) to the child's standard input.
    func send(lines: [String]) throws {
        try send(Array(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// Closes the child's standard input (end of input).
    func closeInput() {
        guard !inputClosed else { return }
        inputClosed = true
        try? input.close()
    }

    /// Closes standard input and waits for the child to exit.
    func finish() throws -> ParleyRun {
        closeInput()
        process.waitUntilExit()
        return ParleyRun(
            exitCode: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
            stdout: try ParleyProcess.readBytes(outputPath), stderr: try ParleyProcess.readBytes(errorPath),
            elapsed: ContinuousClock.now - started)
    }
}

/// A per-test temporary directory, removed when the test is done; the working directory of every
/// `parley` run unless the test says otherwise.
final class Sandbox {
    /// The temporary root (holds `work/` and the captured I/O files).
    let root: String
    /// The working directory of `parley` runs, where logs go.
    let directory: String
    private var runs = 0

    /// - Parameter sourceLocation: the test's, for the issue recorded when it does not run on a thread of
    ///   its own: a sandbox runs processes and waits for them.
    init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        DedicatedThreadTrait.expectActive(
            for: "a test that runs parley and waits for it", sourceLocation: sourceLocation)
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("parley-cli-tests-XXXXXX")
        var template = Array(base.utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        root = String(cString: made)
        directory = root + "/work"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The default log of a test: `parley.log` in the working directory.
    var log: String { directory + "/parley.log" }

    /// A path in the working directory.
    func path(_ name: String) -> String { directory + "/" + name }

    private func nextScratch() -> String {
        runs += 1
        return root + "/io-\(runs)"
    }

    /// Runs `parley` with `arguments` to completion.
    /// - Parameters:
    ///   - arguments: the command line after the program name.
    ///   - stdin: bytes for standard input (empty by default).
    ///   - environment: variables to set; `PARLEY_LOG` is unset unless given here.
    ///   - currentDirectory: the working directory (default: ``directory``).
    func run(
        _ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:],
        currentDirectory: String? = nil
    ) throws -> ParleyRun {
        try ParleyProcess.run(
            executable: try ParleyProcess.executablePath(), arguments: arguments, stdin: stdin,
            environment: ParleyProcess.environment(environment), currentDirectory: currentDirectory ?? directory,
            scratch: nextScratch())
    }

    /// Runs `parley` with `arguments` to completion, standard input given as text.
    func run(_ arguments: [String], input: String, environment: [String: String] = [:]) throws -> ParleyRun {
        try run(arguments, stdin: Array(input.utf8), environment: environment)
    }

    /// Runs `/bin/sh -c script` with `$0` set to the parley executable and `$1`… to `arguments`.
    func shell(_ script: String, arguments: [String] = [], stdin: [UInt8] = []) throws -> ParleyRun {
        try ParleyProcess.run(
            executable: "/bin/sh", arguments: ["-c", script, try ParleyProcess.executablePath()] + arguments,
            stdin: stdin, environment: ParleyProcess.environment([:]), currentDirectory: directory,
            scratch: nextScratch())
    }

    /// Starts `parley` with standard input on a pipe the test keeps open.
    func start(_ arguments: [String]) throws -> RunningParley {
        try RunningParley(
            executable: try ParleyProcess.executablePath(), arguments: arguments,
            environment: ParleyProcess.environment([:]), currentDirectory: directory, scratch: nextScratch())
    }

    // MARK: Common steps

    /// `parley init --log path`, expecting success.
    func initLog(_ path: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(["init", "--log", path ?? log])
        #expect(result.succeeded, "init failed: \(result)", sourceLocation: sourceLocation)
    }

    /// `parley append --log path [--batch-size N]` with `lines`, expecting success.
    @discardableResult
    func append(
        _ lines: [String], to path: String? = nil, batchSize: Int? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ParleyRun {
        var arguments = ["append", "--log", path ?? log]
        if let batchSize { arguments += ["--batch-size", String(batchSize)] }
        let result = try run(arguments, stdin: EventLines.input(lines))
        #expect(result.succeeded, "append failed: \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// `parley dump --log path` JSON Lines output, expecting success.
    func dump(_ path: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let result = try run(["dump", "--log", path ?? log])
        #expect(result.succeeded, "dump failed: \(result)", sourceLocation: sourceLocation)
        return result.stdoutLines
    }

    /// The bytes of a file.
    func bytes(_ path: String? = nil) throws -> [UInt8] {
        try ParleyProcess.readBytes(path ?? log)
    }

    /// Replaces a file's contents.
    func write(_ bytes: [UInt8], to path: String? = nil) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path ?? log))
    }
}
