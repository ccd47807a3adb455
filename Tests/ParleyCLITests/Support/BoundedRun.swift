import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs of the `parley` binary that may hang if a regression comes back (a FIFO in place of a file): the
/// child is waited for on a thread of its own, never on a thread of Swift's cooperative pool, and killed
/// after a generous time limit, so that a regression fails the test instead of hanging the suite.
enum BoundedRun {
    /// One run's outcome: what it produced, and whether it had to be killed at the time limit.
    struct Outcome: Sendable, CustomStringConvertible {
        var exitCode: Int32
        var exitedNormally: Bool
        var stdout: [UInt8]
        var stderr: [UInt8]
        var timedOut: Bool

        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        /// Whether the process exited (not crashed, not killed) with status 0.
        var succeeded: Bool { exitedNormally && exitCode == 0 && !timedOut }

        var description: String {
            "exit \(exitCode)\(exitedNormally ? "" : " (signal)")\(timedOut ? " (killed at the time limit)" : ""); "
                + "stdout: \(stdoutText.prefix(600)); stderr: \(stderrText.prefix(600))"
        }
    }

    /// Runs `executable` with `arguments` (standard input from a file holding `stdin`, output to files) on
    /// a new thread, killing it with SIGKILL after `limit`.
    static func run(
        executable: String, arguments: [String], stdin: [UInt8], environment: [String: String],
        currentDirectory: String, scratch: String, limit: Duration
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, any Error>) in
            Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            executable: executable, arguments: arguments, stdin: stdin, environment: environment,
                            currentDirectory: currentDirectory, scratch: scratch, limit: limit)
                    })
            }.start()
        }
    }

    /// The blocking part, on the caller's (dedicated) thread: ``ParleyProcess/run`` with its time limit.
    private static func runBlocking(
        executable: String, arguments: [String], stdin: [UInt8], environment: [String: String],
        currentDirectory: String, scratch: String, limit: Duration
    ) throws -> Outcome {
        let run = try ParleyProcess.run(
            executable: executable, arguments: arguments, stdin: stdin, environment: environment,
            currentDirectory: currentDirectory, scratch: scratch, limit: limit)
        return Outcome(
            exitCode: run.exitCode, exitedNormally: run.exitedNormally, stdout: run.stdout, stderr: run.stderr,
            timedOut: run.timedOut)
    }
}

extension Sandbox {
    /// Runs `parley` with `arguments` in the working directory, waiting on a thread of its own and killing
    /// it after `limit` (``BoundedRun``).
    func runBounded(_ arguments: [String], stdin: [UInt8] = [], limit: Duration = .seconds(120)) async throws
        -> BoundedRun.Outcome
    {
        try await BoundedRun.run(
            executable: try ParleyProcess.executablePath(), arguments: arguments, stdin: stdin,
            environment: ParleyProcess.environment([:]), currentDirectory: directory,
            scratch: root + "/bounded-\(UUID().uuidString)", limit: limit)
    }
}
