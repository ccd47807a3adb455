import ParleyLog

/// A place in a log at a frame boundary: the last frame replayed whole, identified by its offset, end,
/// stored CRC and last seq, so a checkpoint can prove it was made from the same bytes.
public struct LogPosition: Equatable, Sendable {
    /// Seq of the last record of that frame (0: no frame yet).
    public var lastSeq: UInt64 = 0
    /// Seq of its first record (0: no frame yet).
    public var frameFirstSeq: UInt64 = 0
    /// Offset of the frame (0: none).
    public var frameOffset: Int64 = 0
    /// Offset just after it: where replay goes on (the file header's end when there is no frame).
    public var frameEnd: Int64 = Int64(LogFormat.fileHeaderBytes)
    /// The CRC-32C stored in the frame's first 4 bytes.
    public var frameCRC: UInt32 = 0
    /// Its commit time (ns).
    public var commitTime: Int64 = 0

    public init() {}

    init(frame: Frame) {
        lastSeq = frame.lastSeq
        frameFirstSeq = frame.firstSeq
        frameOffset = frame.offset
        frameEnd = frame.endOffset
        frameCRC = frame.bytes.loadLittleEndianUInt32(at: frame.bytes.startIndex)
        commitTime = frame.commitTime
    }
}

extension LogPosition {
    /// Checks that the log read by `reader` holds, at this position, the very frame recorded, and leaves
    /// the reader just after it.
    /// - Throws: ``Checkpoint/Problem`` when it does not.
    func check(against reader: LogReader) throws {
        guard lastSeq > 0 else { return }
        let size = try reader.fileSize()
        guard frameEnd <= size else {
            throw Checkpoint.Problem(
                reason: "it reaches seq \(lastSeq) at offset \(frameEnd), beyond the end of the log (\(size) bytes)")
        }
        reader.seek(toFrameAt: frameOffset, nextSeq: frameFirstSeq)
        guard let frame = try reader.nextFrame(), LogPosition(frame: frame) == self else {
            throw Checkpoint.Problem(
                reason: "the log holds other bytes at offset \(frameOffset) than the frame it recorded (seq \(lastSeq))"
            )
        }
    }
}
