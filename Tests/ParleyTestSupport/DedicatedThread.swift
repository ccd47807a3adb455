import Dispatch
import Foundation
import Synchronization
import Testing

/// Runs each test (each case of a parameterised test) on a thread of its own instead of Swift's
/// cooperative pool.
///
/// Swift Testing calls a synchronous test function, and resumes an asynchronous one, on the cooperative
/// pool, which has one thread per core: on two cores, two tests that block (`Process.waitUntilExit()`,
/// semaphores, sleeps, `poll`, a blocking `read`) stop every other test, the time limits' timers
/// included, until they return. A test that blocks belongs in a suite with this trait:
///
/// ```swift
/// @Suite("tail", .dedicatedThread) struct TailCommandTests { … }
/// ```
///
/// The trait is recursive: every test of the suite, and of suites nested in it, gets it. The thread is
/// made for the test case and ends with it; tasks the test starts with `async let` or a task group run
/// on it as well, so a test whose child tasks must run while it blocks hands the blocking work to
/// ``onDedicatedThread(_:)`` instead.
public struct DedicatedThreadTrait: TestTrait, SuiteTrait, TestScoping {
    /// Whether the current task runs a test under this trait.
    @TaskLocal public static var isActive = false

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let executor = DedicatedThreadExecutor()
        defer { executor.finish() }
        try await Self.$isActive.withValue(true) {
            try await withTaskExecutorPreference(executor) { try await function() }
        }
    }

    /// Records an issue unless the calling test runs under this trait: `what` is about to block a thread.
    public static func expectActive(for what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard !isActive else { return }
        let why =
            "\(what) blocks its thread; outside a suite with the .dedicatedThread trait that is a thread of "
            + "Swift's cooperative pool, which every other test needs too: add .dedicatedThread to the @Suite"
        Issue.record(Comment(rawValue: why), sourceLocation: sourceLocation)
    }
}

extension Trait where Self == DedicatedThreadTrait {
    /// Runs each test on a thread of its own, not on Swift's cooperative pool; see ``DedicatedThreadTrait``.
    public static var dedicatedThread: Self { Self() }
}

/// Runs `body` (blocking work: a process to wait for, a semaphore, a sync) on a thread of its own and
/// awaits its result without holding a thread of the cooperative pool meanwhile.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A task executor with one thread of its own, which runs the jobs enqueued on it in order.
final class DedicatedThreadExecutor: TaskExecutor {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var finished = false
    }

    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)

    init() {
        Thread { [self] in run() }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.jobs.append(job) }
        wake.signal()
    }

    /// Lets the thread end once the jobs enqueued so far have run.
    func finish() {
        queue.withLock { $0.finished = true }
        wake.signal()
    }

    private func run() {
        while true {
            wake.wait()
            let next: UnownedJob?? = queue.withLock { queue in
                if !queue.jobs.isEmpty { return .some(queue.jobs.removeFirst()) }
                return queue.finished ? .none : .some(nil)
            }
            guard let next else { return }
            next?.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
