import ParleyEvents
import ParleyLog
import ParleyProjections
import ParleyService

extension CLIError {
    /// Maps a failed write (`append`, `demo`): bad input exit 65, an unreadable input 74, the log's errors
    /// as the log layer's; then what earlier batches committed, or that nothing was written.
    init(appending error: ServiceError) {
        switch error.code {
        case .log:
            self = error.logError.map(CLIError.init) ?? CLIError(.ioError, error.message)
        case .unreadableInput:
            self.init(.ioError, error.message)
        case .batchTooLarge:
            self.init(
                .dataError,
                error.message + "; use --batch-size N to append it in several all-or-nothing batches")
        default:
            self.init(.dataError, error.message)
        }
        if let committed = error.committed.committed {
            message +=
                "\nThe batch holding that line was rejected: nothing of it was written. "
                + "Committed before it: seq \(committed.lowerBound)–\(committed.upperBound) "
                + "(\(error.committed.events) events in \(error.committed.batches) batches)."
        } else if exitCode == .dataError {
            message += "\nNothing was written: the log is unchanged."
        }
    }

    /// Maps a failed query: the log's errors as the log layer's, an undecodable record as damage (exit 1),
    /// "not found" as exit 67 (saying how much of the log was read), a bad date as a usage error.
    init(querying error: ServiceError) {
        switch error.code {
        case .log:
            self = error.logError.map(CLIError.init) ?? CLIError(.ioError, error.message)
        case .notFound:
            self = CLIError.notFound(
                error.subject ?? "", path: error.path ?? "", limit: error.limit ?? ReplayLimit(),
                lastSeq: error.replayed?.lastSeq ?? 0)
        case .invalidDate:
            self = .usage("--from/--to: \(error.reason)")
        case .undecodableLog:
            self.init(.damaged, error.message)
        default:
            self.init(.dataError, error.message)
        }
    }
}
