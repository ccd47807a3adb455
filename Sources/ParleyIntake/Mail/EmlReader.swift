import Foundation

/// Reads one message saved as a file (`.eml`, or a Maildir file).
///
/// Some programs save a message with its mbox envelope line first; a first line starting with `From `
/// (no colon, so not a `From:` field) is taken as that envelope and removed from the bytes.
public enum EmlReader {
    /// Reads the message in the file at `path`.
    /// - Parameter maximumBytes: a larger file is rejected (default 64 MiB).
    /// - Throws: ``MailError/Code/unreadable`` or ``MailError/Code/messageTooLarge``.
    public static func read(path: String, maximumBytes: Int = 64 << 20) throws(MailError) -> MailboxMessage {
        let bytes = try readFile(path, maximumBytes: maximumBytes)
        return message(bytes: bytes, file: path)
    }

    /// The message in `bytes`, with a leading envelope line removed; `file` names it in the location.
    public static func message(bytes: [UInt8], file: String? = nil) -> MailboxMessage {
        let location = InputLocation(file: file, offset: 0, line: 1, column: 1)
        guard MboxReader.startsWithFrom(bytes), let newline = bytes.firstIndex(of: 0x0A) else {
            return MailboxMessage(bytes: bytes, location: location)
        }
        var envelope = bytes[MboxReader.fromSpace.count..<newline]
        if envelope.last == 0x0D { envelope.removeLast() }
        return MailboxMessage(
            bytes: Array(bytes[(newline + 1)...]), location: location,
            envelope: String(decoding: envelope, as: UTF8.self))
    }

    static func readFile(_ path: String, maximumBytes: Int) throws(MailError) -> [UInt8] {
        let location = InputLocation(file: path, offset: 0, line: 1, column: 1)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MailError(code: .unreadable, location: location, reason: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: maximumBytes + 1)
        } catch {
            throw MailError(code: .unreadable, location: location, reason: "read failed: \(error.localizedDescription)")
        }
        let bytes = data.map { [UInt8]($0) } ?? []
        if bytes.count > maximumBytes {
            throw MailError(
                code: .messageTooLarge, location: location, reason: "file longer than \(maximumBytes) bytes; skipped")
        }
        return bytes
    }
}
