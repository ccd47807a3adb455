/// Why ``LogReader/nextFrame()`` returned `nil`.
public enum ReadStop: Equatable, Sendable {
    /// The file ends exactly after the last frame read.
    case endOfFile
    /// The bytes at `offset` are the start of a frame that is not complete in the file (yet).
    case incomplete(offset: Int64, available: Int)
    /// The bytes at `offset` are not an acceptable frame.
    case invalid(offset: Int64, fault: FrameFault)

    /// Offset at which reading stopped.
    public func offset(fileEnd: Int64) -> Int64 {
        switch self {
        case .endOfFile: fileEnd
        case .incomplete(let offset, _), .invalid(let offset, _): offset
        }
    }
}

/// Streams the frames of a log from the start (or from a known frame position), with a bounded
/// buffer whatever the file's size. Never reads past the last complete, valid frame; calling
/// ``nextFrame()`` again after it returned `nil` looks again, so a reader can follow a growing log.
///
/// Not thread-safe: one reader per task or thread.
public final class LogReader {
    /// The log file.
    public let path: String
    /// The file header.
    public let header: LogHeader
    /// Whether frame checksums are verified (default true).
    public var verifyChecksums = true
    /// Offset of the next frame to read.
    public private(set) var position: Int64
    /// Sequence number the next frame must start at.
    public private(set) var nextSeq: UInt64
    /// Why the last call to ``nextFrame()`` returned `nil`, if it did.
    public private(set) var stop: ReadStop?
    /// When set, no byte at or past this offset is read into the buffer (a follower's commit point).
    var readLimit: Int64?

    let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    private let minimumBufferBytes: Int
    /// File offset of `buffer[0]` and number of valid bytes in the buffer.
    private var bufferOffset: Int64 = 0
    private var bufferCount = 0

    /// Opens a log for reading and checks its header.
    /// - Parameters:
    ///   - path: the log file.
    ///   - bufferBytes: read buffer size (grown only for a frame larger than it, up to the maximum frame size).
    /// - Throws: ``LogError`` `.notFound`, `.io`, `.notALog`, `.unsupportedVersion`, `.corruptHeader`.
    public convenience init(path: String, bufferBytes: Int = 256 << 10) throws(LogError) {
        let fd: Int32
        switch SystemCalls.openRegularFile(path, O_RDONLY, followSymlinks: true) {
        case .success(let descriptor): fd = descriptor
        case .failure(let error) where error == .noEntry:
            throw LogError(.notFound, reason: "no log file here (create one with `parley init`)", path: path)
        case .failure(let error): throw LogError.io("open", error, path: path)
        }
        do {
            try self.init(fd: fd, path: path, ownsDescriptor: true, bufferBytes: bufferBytes)
        } catch {
            SystemCalls.close(fd)
            throw error
        }
    }

    /// Reads through an already open descriptor (the writer's recovery does).
    init(fd: Int32, path: String, ownsDescriptor: Bool, bufferBytes: Int = 256 << 10) throws(LogError) {
        self.fd = fd
        self.path = path
        self.ownsDescriptor = ownsDescriptor
        self.minimumBufferBytes = max(bufferBytes, LogFormat.fileHeaderBytes)
        self.buffer = [UInt8](repeating: 0, count: minimumBufferBytes)
        var headerBytes = [UInt8](repeating: 0, count: LogFormat.fileHeaderBytes)
        let count: Int
        switch headerBytes.withUnsafeMutableBytes({ SystemCalls.preadFully(fd, into: $0, at: 0) }) {
        case .success(let n): count = n
        case .failure(let error): throw LogError.io("pread", error, path: path, offset: 0)
        }
        self.header = try LogHeader.decode(headerBytes[0..<count], path: path)
        self.position = Int64(LogFormat.fileHeaderBytes)
        self.nextSeq = 1
    }

    deinit {
        if ownsDescriptor { SystemCalls.close(fd) }
    }

    /// Continues reading at a frame boundary known to be valid (e.g. a position recorded earlier).
    /// - Parameters:
    ///   - offset: offset of a frame start (or of the end of the last frame).
    ///   - nextSeq: the sequence number the frame at `offset` starts with.
    public func seek(toFrameAt offset: Int64, nextSeq: UInt64) {
        precondition(offset >= Int64(LogFormat.fileHeaderBytes) && nextSeq >= 1)
        position = offset
        self.nextSeq = nextSeq
        stop = nil
        discardBuffer()
    }

    /// Forgets the bytes read ahead, so the next read looks at the file again. Followers call it before
    /// they wait: what lies past the last frame they returned may be rewritten meanwhile.
    public func discardBuffer() {
        bufferCount = 0
    }

    /// Reads the next frame.
    /// - Returns: the frame, or `nil` when there is no further complete, valid frame; ``stop`` says why.
    ///   The frame's payload shares the reader's buffer: use it before the next call, or copy it.
    /// - Throws: ``LogError`` `.io` when a read fails. Damage is not thrown: it ends the frames.
    public func nextFrame() throws(LogError) -> Frame? {
        // After a stop, what is buffered past `position` may be stale (a torn tail since cut and
        // rewritten by the next writer): look at the file again.
        if stop != nil { bufferCount = 0 }
        while true {
            // No slice of the buffer may outlive this call before `fill`: a live slice would make the
            // refill copy the whole buffer (copy-on-write), once per frame.
            let outcome = FrameValidator.check(
                bufferedBytes(from: position), offset: position, salt: header.salt, expectedSeq: nextSeq,
                verifyChecksum: verifyChecksums)
            switch outcome {
            case .valid(let frame):
                position = frame.endOffset
                nextSeq = frame.lastSeq + 1
                stop = nil
                return frame
            case .invalid(let fault):
                stop = .invalid(offset: position, fault: fault)
                return nil
            case .incomplete(let needed):
                let wanted = max(needed ?? LogFormat.frameHeaderBytes, minimumBufferBytes)
                // Refill from the frame start; stop if that brings no more bytes than we had.
                let before = bufferedBytes(from: position).count
                try fill(from: position, atLeast: wanted)
                if bufferedBytes(from: position).count <= before {
                    stop = before == 0 ? .endOfFile : .incomplete(offset: position, available: before)
                    return nil
                }
            }
        }
    }

    /// Reads the frame at `offset` without moving the reader, checking it without an expected sequence number.
    /// Used to classify damage and to re-check the last frame's checksum.
    func frame(at offset: Int64, verifyChecksum: Bool = true) throws(LogError) -> FrameCheck {
        try fill(from: offset, atLeast: minimumBufferBytes)
        var check = FrameValidator.check(
            bufferedBytes(from: offset), offset: offset, salt: header.salt, expectedSeq: nil,
            verifyChecksum: verifyChecksum)
        if case .incomplete(let needed?) = check, needed > bufferCount {
            try fill(from: offset, atLeast: needed)
            check = FrameValidator.check(
                bufferedBytes(from: offset), offset: offset, salt: header.salt, expectedSeq: nil,
                verifyChecksum: verifyChecksum)
        }
        return check
    }

    /// Current size of the file.
    public func fileSize() throws(LogError) -> Int64 {
        switch SystemCalls.fileSize(fd) {
        case .success(let size): return size
        case .failure(let error): throw LogError.io("fstat", error, path: path)
        }
    }

    /// Reads up to `count` raw bytes at `offset` (for scanning damaged regions).
    func rawBytes(at offset: Int64, count: Int) throws(LogError) -> ArraySlice<UInt8> {
        try fill(from: offset, atLeast: count)
        return bufferedBytes(from: offset).prefix(count)
    }

    /// The buffered bytes from file offset `offset` on (empty when the buffer does not cover it).
    private func bufferedBytes(from offset: Int64) -> ArraySlice<UInt8> {
        let start = offset - bufferOffset
        guard start >= 0, start <= Int64(bufferCount) else { return [] }
        return buffer[Int(start)..<bufferCount]
    }

    /// Reads the file from `offset` into the buffer, growing the buffer to `atLeast` bytes if needed
    /// (never beyond the maximum frame size). Bytes past `bufferCount` are never read, so a grown buffer
    /// need not be zeroed.
    private func fill(from offset: Int64, atLeast wanted: Int) throws(LogError) {
        let capacity = min(max(wanted, minimumBufferBytes), LogFormat.maxFrameBytes)
        if buffer.count < capacity {
            // Grown for a large frame and kept: the buffer never exceeds the largest frame met (≤ 64 MiB).
            buffer = [UInt8](unsafeUninitializedCapacity: capacity) { _, initialized in initialized = capacity }
        }
        let fd = self.fd
        var length = buffer.count
        if let readLimit { length = Int(max(0, min(Int64(length), readLimit - offset))) }
        let result = buffer.withUnsafeMutableBytes {
            SystemCalls.preadFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length]), at: offset)
        }
        switch result {
        case .success(let n):
            bufferOffset = offset
            bufferCount = n
        case .failure(let error):
            bufferCount = 0
            throw LogError.io("pread", error, path: path, offset: offset)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
