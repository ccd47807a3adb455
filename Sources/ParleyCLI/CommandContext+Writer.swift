import ParleyLog

extension CommandContext {
    /// The writer options of a command: this context's clock for commit times.
    private var writerOptions: LogWriter.Options {
        var options = LogWriter.Options()
        options.clock = clock
        return options
    }

    /// Opens the log at `path` for writing and reports on stderr a torn tail that recovery cut off.
    /// - Throws: ``CLIError`` mapped from the log layer's error.
    func openWriter(path: String) throws(CLIError) -> LogWriter {
        let writer: LogWriter
        do {
            writer = try LogWriter.open(at: path, options: writerOptions)
        } catch {
            throw CLIError(error)
        }
        if let torn = writer.recoveredTornTail {
            var text = "recovered from an interrupted append: cut \(torn.byteCount) bytes at offset \(torn.offset)"
            if let seqs = torn.claimedSeqs {
                text += " (an unacknowledged frame of seq \(seqs.lowerBound)–\(seqs.upperBound))"
            }
            warn(text)
        }
        return writer
    }

    /// Creates a new, empty log at `path` (never over an existing file).
    /// - Throws: ``CLIError`` mapped from the log layer's error (exit 73 when the file exists).
    func createWriter(path: String) throws(CLIError) -> LogWriter {
        do {
            return try LogWriter.create(at: path, options: writerOptions)
        } catch {
            throw CLIError(error)
        }
    }
}
