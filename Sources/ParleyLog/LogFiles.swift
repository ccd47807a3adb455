/// The files that live beside a log, named in one place (docs/FORMAT.md, "Files beside the log").
///
/// | file                               | written by                      | what it holds                       |
/// |------------------------------------|---------------------------------|-------------------------------------|
/// | `LOG.commit`                       | the writer, after every commit  | the commit hint (``CommitHint``)    |
/// | `LOG.cursors/NAME`                 | `parley ack`                    | a consumer's cursor (``CursorStore``) |
/// | `LOG.checkpoint`                   | `parley rebuild`, queries       | saved projections                   |
/// | `LOG.cut-OFFSET[-N]`               | `parley repair`                 | the bytes a repair cut off          |
/// | `LOG.cut-OFFSET[-N].recovered.jsonl` | `parley repair`               | valid events found after damage     |
/// | `.NAME.tmp-PID[-N]` (same folder)  | atomic writes, repair exports   | a file being written, then renamed  |
///
/// Every side file is opened without following symbolic links and checked to be a regular file.
public struct LogFiles: Equatable, Sendable {
    /// The log's path.
    public let log: String

    /// The files beside the log at `log`.
    public init(log: String) { self.log = log }

    /// The commit hint: `LOG.commit`.
    public var commitHint: String { log + ".commit" }
    /// The folder of consumers' cursors: `LOG.cursors`.
    public var cursors: String { log + ".cursors" }
    /// The projections checkpoint: `LOG.checkpoint`.
    public var checkpoint: String { log + ".checkpoint" }

    /// Where `repair` saves the bytes it cuts at `offset`: `LOG.cut-OFFSET`, then `LOG.cut-OFFSET-N` for the
    /// `attempt`-th name when earlier ones are taken.
    public func cutCopy(at offset: Int64, attempt: Int = 0) -> String {
        log + ".cut-\(offset)" + (attempt == 0 ? "" : "-\(attempt)")
    }

    /// The valid events `repair` found after damage, beside the cut copy `copy`: `COPY.recovered.jsonl`.
    public static func recoveredEvents(besideCut copy: String) -> String { copy + recoveredSuffix }

    /// The suffix of ``recoveredEvents(besideCut:)``.
    public static let recoveredSuffix = ".recovered.jsonl"

    /// A temporary name for a file being written to `path`, in the same folder (so that `rename` is atomic)
    /// and hidden (listings of the cursor folder skip dot files): `.NAME.tmp-PID` then `-UNIQUE` if given.
    static func temporary(for path: String, unique: Int? = nil) -> String {
        FilePath.directory(of: path) + "/." + FilePath.lastComponent(of: path) + ".tmp-\(SystemCalls.processID())"
            + (unique.map { "-\($0)" } ?? "")
    }
}
