#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A buffered byte sink for stdout or stderr, or an in-memory capture for tests.
public final class Output {
    /// Where bytes go.
    enum Destination {
        case fileDescriptor(Int32)
        case memory
    }

    private let destination: Destination
    private var buffer: [UInt8] = []
    private let flushThreshold: Int
    /// Everything written, for ``Output/capture()`` outputs.
    public private(set) var captured: [UInt8] = []
    /// Set when a write failed, the reader having gone away (EPIPE) or otherwise: further output is
    /// dropped, and commands that produce output as they go stop.
    public private(set) var isClosed = false
    /// The errno of the first failed write other than EPIPE (`ENOSPC` for a full disk or `/dev/full`,
    /// `EIO`, …): the output is lost, which ``ParleyCommandLine`` turns into exit 74. A reader that went
    /// away (EPIPE, as with `| head`) is a quiet end instead, not a failure.
    public private(set) var writeError: Int32?
    /// Whether the destination is a terminal (progress and colour only then).
    public let isTerminal: Bool

    init(destination: Destination, flushThreshold: Int, isTerminal: Bool) {
        self.destination = destination
        self.flushThreshold = flushThreshold
        self.isTerminal = isTerminal
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Standard output, buffered in 256 KiB blocks.
    public static func standardOutput() -> Output {
        Output(destination: .fileDescriptor(1), flushThreshold: 256 << 10, isTerminal: Posix.isTerminal(1))
    }

    /// Standard error, flushed at every line.
    public static func standardError() -> Output {
        Output(destination: .fileDescriptor(2), flushThreshold: 0, isTerminal: Posix.isTerminal(2))
    }

    /// An in-memory output; read ``captured`` or ``text``.
    public static func capture() -> Output {
        Output(destination: .memory, flushThreshold: 0, isTerminal: false)
    }

    /// The file descriptor written to, if this output is not a capture.
    public var fileDescriptor: Int32? {
        if case .fileDescriptor(let fd) = destination { return fd }
        return nil
    }

    /// The captured bytes as text.
    public var text: String { String(decoding: captured, as: UTF8.self) }

    /// Writes text.
    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > flushThreshold { flush() }
    }

    /// Writes a line of text.
    public func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes bytes produced by `body` directly into the buffer (no intermediate copies).
    public func withBuffer(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count > flushThreshold { flush() }
    }

    /// Sends buffered bytes to the destination.
    public func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !buffer.isEmpty, !isClosed else { return }
        switch destination {
        case .memory:
            captured.append(contentsOf: buffer)
        case .fileDescriptor(let fd):
            if let error = buffer.withUnsafeBytes({ Posix.writeAll(fd, $0) }) {
                isClosed = true
                if error != EPIPE { writeError = error }
            }
        }
    }
}
