import Foundation

extension CSVReader {
    /// Where the reader's bytes come from: a file read in chunks, or bytes in memory served in chunks of
    /// the same size (so that tests exercise every chunk boundary the file path meets).
    enum Source {
        case file(FileHandle)
        case memory([UInt8], position: Int)

        /// The next at most `count` bytes; empty at the end of the input.
        mutating func read(_ count: Int, file: String?, at location: InputLocation) throws(CSVError) -> [UInt8] {
            switch self {
            case .file(let handle):
                do {
                    // `FileHandle.read(upToCount:)` wraps read(2) and retries EINTR.
                    guard let data = try handle.read(upToCount: count) else { return [] }
                    return [UInt8](data)
                } catch {
                    throw CSVError(.readFailed, at: location, reason: "cannot read \(file ?? "the input"): \(error)")
                }
            case .memory(let bytes, let position):
                guard position < bytes.count else { return [] }
                let end = position + min(count, bytes.count - position)
                self = .memory(bytes, position: end)
                return Array(bytes[position..<end])
            }
        }
    }
}
