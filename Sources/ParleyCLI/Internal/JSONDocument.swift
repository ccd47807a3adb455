import ParleyEvents
import ParleyLog

/// A JSON document given as a file (`policy set`, `rules set`): at most 1 MiB, a UTF-8 byte order mark allowed.
enum JSONDocument {
    /// Reads and parses `file`.
    /// - Throws: ``CLIError``: no such file (exit 66), unreadable or not JSON (exit 65), naming the file.
    static func read(_ file: String) throws(CLIError) -> JSONValue {
        let bytes: [UInt8]
        do {
            guard let read = try AtomicFile.read(file, maxBytes: 1 << 20, followSymlinks: true) else {
                throw CLIError(.noInput, "\(file): no such file")
            }
            bytes = read
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(.dataError, "\(file): \(error)")
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }  // a BOM from Windows editors
        do {
            return try JSONParser.parse(body)
        } catch {
            throw CLIError(.dataError, "\(file): \(error)")
        }
    }

    /// The time of the event a command appends: `--at TIME`, or now.
    static func eventTime(_ arguments: ParsedArguments, context: CommandContext) throws(CLIError) -> Timestamp {
        guard let text = arguments.value("at") else { return Timestamp(nanoseconds: context.clock()) }
        guard let time = Timestamp(rfc3339: text) else {
            throw .usage("--at: expected an RFC 3339 time such as 2026-03-02T09:00:00Z, got \"\(text)\"")
        }
        return time
    }
}
