import ParleyEvents
import ParleyLog

/// A command's failure: the message for stderr and the exit code (sysexits.h values).
public struct CLIError: Error, CustomStringConvertible, Sendable {
    /// Process exit codes, as documented in `parley --help`.
    public enum ExitCode: Int32, Sendable {
        case success = 0
        /// `verify` found the log unsound (also used when a command meets damage).
        case damaged = 1
        /// EX_USAGE: bad arguments.
        case usage = 64
        /// EX_DATAERR: bad input data; nothing of the rejected batch was written.
        case dataError = 65
        /// EX_NOINPUT: no log at the path.
        case noInput = 66
        /// EX_NOUSER: the conversation or customer asked for is not in the (sound) log.
        case notFound = 67
        /// EX_CANTCREAT: the log to create already exists.
        case cannotCreate = 73
        /// EX_IOERR: a read, write or sync failed.
        case ioError = 74
        /// EX_TEMPFAIL: another writer holds the log; try again later.
        case locked = 75
    }

    /// Exit code to return.
    public var exitCode: ExitCode
    /// Message, printed after `Error: `.
    public var message: String
    /// Whether to print the command's usage line after the message.
    public var showUsage: Bool

    /// Creates an error.
    public init(_ exitCode: ExitCode, _ message: String, showUsage: Bool = false) {
        self.exitCode = exitCode
        self.message = message
        self.showUsage = showUsage
    }

    /// A usage error (exit 64), followed by the usage line.
    public static func usage(_ message: String) -> CLIError { CLIError(.usage, message, showUsage: true) }

    public var description: String { message }

    /// Maps a log-layer error to the exit code that fits it.
    public init(_ error: LogError) {
        let code: ExitCode
        switch error.code {
        case .notFound, .notRegularFile: code = .noInput
        case .alreadyExists: code = .cannotCreate
        case .locked: code = .locked
        case .io, .writerFailed, .closed: code = .ioError
        case .notALog, .unsupportedVersion, .corruptHeader, .corruption: code = .damaged
        default: code = .dataError
        }
        self.init(code, error.description)
    }

    /// Maps any error a command meets: its own errors as they are, log and input errors as above, and
    /// anything else (a failed read of stdin, say) as an I/O error.
    public init(any error: any Error) {
        switch error {
        case let error as CLIError: self = error
        case let error as LogError: self.init(error)
        case let error as EventError: self.init(error)
        default: self.init(.ioError, "\(error)")
        }
    }

    /// Maps an error met while replaying a log: a log-layer error as above, anything else (a record that
    /// does not decode) as damage.
    public init(replaying error: any Error, path: String) {
        if let error = error as? LogError {
            self.init(error)
        } else {
            self.init(.damaged, "\(path): \(error)")
        }
    }

    /// Maps an input error (bad JSON Lines) to exit 65.
    public init(_ error: EventError) {
        self.init(.dataError, error.description)
    }
}
