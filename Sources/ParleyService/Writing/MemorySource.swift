import ParleyEvents

/// An in-memory byte source for ``EventAppender``'s JSON Lines input: generated input (the demo), tests,
/// or a producer that already holds its lines.
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    /// A source that yields `bytes` then ends.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Copies the next bytes into `buffer`.
    /// - Returns: how many were copied; 0 at the end.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes[position..<(position + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        position += count
        return count
    }
}
