import Foundation

/// Reads a Maildir folder: every file in `cur/` and `new/` (messages being delivered sit in `tmp/` and are
/// ignored, as are names starting with `.` and subfolders).
///
/// Order is deterministic: files are sorted by their unique name, the part before the `:` that carries
/// the flags (`1733220000.M1P2.host:2,S` → `1733220000.M1P2.host`), compared byte by byte, then by folder
/// (`cur` before `new`) and full name. A message that moves from `new/` to `cur/` or gets a flag keeps its
/// place. Delivery names start with the delivery time, so this is close to arrival order.
///
/// The listing is taken when the reader is made; each file is read only when `next()` reaches it.
public struct MaildirReader {
    private let files: [String]
    private var position = 0
    private let maximumMessageBytes: Int

    /// The files that will be read, in order (full paths).
    public var paths: [String] { files }

    /// Lists the Maildir at `path`.
    /// - Parameter maximumMessageBytes: a larger file is skipped and reported (default 64 MiB).
    /// - Throws: ``MailError/Code/malformedContainer`` when `path` has neither `cur/` nor `new/`;
    ///   ``MailError/Code/unreadable`` when a subfolder cannot be listed.
    public init(path: String, maximumMessageBytes: Int = 64 << 20) throws(MailError) {
        self.maximumMessageBytes = maximumMessageBytes
        let manager = FileManager.default
        var entries: [(key: String, folder: String, name: String)] = []
        var foundFolder = false
        for folder in ["cur", "new"] {
            let directory = path + "/" + folder
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            foundFolder = true
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: directory)
            } catch {
                throw MailError(
                    code: .unreadable, location: InputLocation(file: directory, offset: 0, line: 1, column: 1),
                    reason: "cannot list the folder: \(error.localizedDescription)")
            }
            for name in names where !name.hasPrefix(".") {
                var isSubfolder: ObjCBool = false
                if manager.fileExists(atPath: directory + "/" + name, isDirectory: &isSubfolder),
                    isSubfolder.boolValue
                {
                    continue
                }
                let key = String(name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
                entries.append((key, folder, name))
            }
        }
        guard foundFolder else {
            throw MailError(
                code: .malformedContainer, location: InputLocation(file: path, offset: 0, line: 1, column: 1),
                reason: "not a Maildir: no cur/ or new/ folder")
        }
        entries.sort { a, b in
            let ka = Array(a.key.utf8)
            let kb = Array(b.key.utf8)
            if ka != kb { return ka.lexicographicallyPrecedes(kb) }
            if a.folder != b.folder { return a.folder < b.folder }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        files = entries.map { path + "/" + $0.folder + "/" + $0.name }
    }

    /// The next message, or `nil` after the last one.
    /// - Throws: ``MailError`` for a file that cannot be read or is too large; call `next()` again to go
    ///   on with the next file.
    public mutating func next() throws(MailError) -> MailboxMessage? {
        guard position < files.count else { return nil }
        let file = files[position]
        position += 1
        let bytes = try EmlReader.readFile(file, maximumBytes: maximumMessageBytes)
        return MailboxMessage(bytes: bytes, location: InputLocation(file: file, offset: 0, line: 1, column: 1))
    }
}
