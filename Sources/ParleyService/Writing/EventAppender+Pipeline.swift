import ParleyEvents
import ParleyLog

/// Where the events of a write come from: decoded JSON Lines, or typed events checked one by one.
protocol EventInput {
    /// The next event; `nil` at the end.
    /// - Throws: ``ServiceError`` for an event that is not valid or input that cannot be read.
    mutating func next() throws(ServiceError) -> Event?
    /// Where the event ``next()`` returned last stands in the input.
    var position: InputPosition { get }
}

/// Any byte source, behind one concrete type.
struct ErasedSource: ByteSource {
    var base: any ByteSource
    init(_ base: any ByteSource) { self.base = base }
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try base.read(into: buffer) }
}

/// JSON Lines, decoded and validated line by line.
struct JSONLinesInput: EventInput {
    var reader: JSONLinesReader<ErasedSource>
    let decoder = JSONLineDecoder()
    private var line = 0

    var position: InputPosition { .line(line) }

    init(reader: JSONLinesReader<ErasedSource>) { self.reader = reader }

    @inline(__always)
    mutating func next() throws(ServiceError) -> Event? {
        let line: (number: Int, bytes: ArraySlice<UInt8>)
        do {
            guard let next = try reader.nextLine() else { return nil }
            line = next
        } catch let error as EventError {
            throw ServiceError(error)
        } catch {
            throw ServiceError(.unreadableInput, reason: "\(error)")
        }
        self.line = line.number
        do {
            return try decoder.decode(line.bytes, lineNumber: line.number)
        } catch {
            throw ServiceError(error)
        }
    }
}

/// Typed events, each checked to encode to a record that reads back (the checks a reader applies).
struct TypedInput: EventInput {
    private let events: [Event]
    private var index = 0
    private var scratch: [UInt8] = []

    init(_ events: [Event]) { self.events = events }

    var position: InputPosition { .event(index) }

    mutating func next() throws(ServiceError) -> Event? {
        guard index < events.count else { return nil }
        let event = events[index]
        index += 1
        scratch.removeAll(keepingCapacity: true)
        EventCodec.encode(event, into: &scratch)
        do {
            _ = try EventCodec.decode(scratch[...])
        } catch {
            throw ServiceError(error, position: .event(index))
        }
        return event
    }
}

extension EventAppender {
    /// The pipeline: input → policy check → batch → commit on the commit thread, one batch in flight.
    func run<Input: EventInput>(_ input: inout Input) throws(ServiceError) -> AppendSummary {
        var summary = AppendSummary()
        var decisionsInFlight: UInt64 = 0
        var decisionsInBatch: UInt64 = 0
        var batch = LogBatch(reservingCapacity: 1 << 20)
        var batchStart = InputPosition.line(0)
        let checksPolicies = policyCheck == .refuse || onWarning != nil
        // While one batch is written and fsynced on the commit queue, the next one is parsed here.
        let committer = BackgroundCommitter(writer: writer, onCommit: onCommit)

        /// Waits for the batch in flight and records it; throws if it failed.
        func settle() throws(ServiceError) {
            switch committer.wait() {
            case nil: break
            case .success(let commit)?:
                summary.add(commit.seqs)
                summary.decisions += decisionsInFlight
            case .failure(let error)?: throw ServiceError(error).after(summary)
            }
        }

        /// Hands the full batch to the commit queue and continues with an empty one.
        func commit() throws(ServiceError) {
            try settle()
            decisionsInFlight = decisionsInBatch
            decisionsInBatch = 0
            committer.start(&batch)
        }

        do throws(ServiceError) {
            while true {
                let next: Event?
                do {
                    next = try input.next()
                } catch {
                    try settle()
                    throw error.after(summary)
                }
                guard let event = next else { break }
                let position = input.position
                if checksPolicies, let problem = Self.policyProblem(event) {
                    if policyCheck == .refuse {
                        try settle()
                        throw ServiceError(refusing: problem, at: position).after(summary)
                    }
                    onWarning?(AppendWarning(position: position, policyError: problem))
                }
                if checksPolicies, let problem = Self.rulesProblem(event) {
                    if policyCheck == .refuse {
                        try settle()
                        throw ServiceError(refusing: problem, at: position).after(summary)
                    }
                    onWarning?(AppendWarning(position: position, rulesError: problem))
                }
                if batch.isEmpty { batchStart = position }
                // The event and the decisions around it go into one batch (carried whole if it overflows).
                let groupStart = batch.count
                var groupDecisions: UInt64 = 0
                if let routing {
                    if routing.wakes(for: event) {
                        // The state is the log's and this batch's: what came before the rules.
                        try settle()
                        try routing.wake(pending: batch)
                    }
                    routing.route(event) { written, isDecision in
                        if isDecision { groupDecisions += 1 }
                        batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(written, into: &out) }
                    }
                } else {
                    batch.appendRecord { (out: inout [UInt8]) in EventCodec.encode(event, into: &out) }
                }
                decisionsInBatch += groupDecisions
                if batch.frameBytes > LogFormat.maxFrameBytes {
                    guard batchSize != nil, groupStart > 0 else {
                        try settle()
                        var error = ServiceError(
                            .batchTooLarge,
                            reason: "the input from \(batchStart) on does not fit in one batch (a frame holds at most "
                                + "\(LogFormat.maxFrameBytes >> 20) MiB)", position: position)
                        error.batchStart = batchStart
                        throw error.after(summary)
                    }
                    // The batch is full by size before it is full by count: commit what fits.
                    let carried = batch.removeRecords(from: groupStart)
                    decisionsInBatch -= groupDecisions
                    try commit()
                    for record in carried { batch.appendRecord(bytes: record) }
                    decisionsInBatch = groupDecisions
                    batchStart = position
                }
                if let batchSize, batch.count >= batchSize { try commit() }
            }
            if !batch.isEmpty { try commit() }
            try settle()
        } catch {
            _ = committer.wait()
            throw error
        }
        return summary
    }
}

extension ServiceError {
    /// The same error, with what was committed before it.
    func after(_ summary: AppendSummary) -> ServiceError {
        var copy = self
        copy.committed = summary
        return copy
    }
}
