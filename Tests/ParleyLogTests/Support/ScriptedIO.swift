@testable import ParleyLog

/// The writer's system calls with failures a test scripts in advance, counting every call.
///
/// Unscripted calls go to the real system calls, so the file on disk is what a real failure would leave.
final class ScriptedIO: Sendable {
    /// What the next `pwrite` does instead of writing everything.
    enum WriteStep: Sendable {
        /// Fails with this errno, writing nothing.
        case fail(Errno)
        /// Writes only the first `n` bytes and reports `n`.
        case short(Int)
        /// Writes nothing and reports 0 bytes written.
        case zero
        /// Writes nothing and reports every byte written (for tests of size limits that need no file).
        case discard
    }

    private struct State {
        var writeSteps: [WriteStep] = []
        var discardAllWrites = false
        var syncFailures: [Errno] = []
        var truncateFailures: [Errno] = []
        var pwrites = 0
        var fdatasyncs = 0
        var truncations: [Int64] = []
    }

    private let state = Shared(State())

    /// Makes the coming `pwrite` calls follow `steps`, one call each, in order.
    func scriptWrites(_ steps: [WriteStep]) { state.withLock { $0.writeSteps += steps } }

    /// Makes every `pwrite` report success without writing.
    func discardAllWrites() { state.withLock { $0.discardAllWrites = true } }

    /// Makes the next `fdatasync` fail with `errno`.
    func failNextSync(with errno: Errno) { state.withLock { $0.syncFailures.append(errno) } }

    /// Makes the next `ftruncate` fail with `errno`.
    func failNextTruncate(with errno: Errno) { state.withLock { $0.truncateFailures.append(errno) } }

    /// Number of `pwrite` calls so far.
    var pwrites: Int { state.value.pwrites }
    /// Number of `fdatasync` calls so far (failed ones included).
    var fdatasyncs: Int { state.value.fdatasyncs }
    /// The lengths of every `ftruncate` call so far (failed ones included).
    var truncations: [Int64] { state.value.truncations }

    /// The system calls to give a writer.
    var io: FileOperations {
        var io = FileOperations.system
        io.pwrite = { [state] fd, buffer, offset in
            let step = state.withLock { state -> WriteStep? in
                state.pwrites += 1
                if state.discardAllWrites { return .discard }
                return state.writeSteps.isEmpty ? nil : state.writeSteps.removeFirst()
            }
            switch step {
            case nil: return SystemCalls.pwrite(fd, buffer, at: offset)
            case .fail(let errno): return .failure(errno)
            case .short(let count):
                return SystemCalls.pwrite(fd, UnsafeRawBufferPointer(rebasing: buffer.prefix(count)), at: offset)
            case .zero: return .success(0)
            case .discard: return .success(buffer.count)
            }
        }
        io.fdatasync = { [state] fd in
            let failure = state.withLock { state -> Errno? in
                state.fdatasyncs += 1
                return state.syncFailures.isEmpty ? nil : state.syncFailures.removeFirst()
            }
            if let failure { return .failure(failure) }
            return SystemCalls.fdatasync(fd)
        }
        io.ftruncate = { [state] fd, length in
            let failure = state.withLock { state -> Errno? in
                state.truncations.append(length)
                return state.truncateFailures.isEmpty ? nil : state.truncateFailures.removeFirst()
            }
            if let failure { return .failure(failure) }
            return SystemCalls.ftruncate(fd, length)
        }
        return io
    }
}
