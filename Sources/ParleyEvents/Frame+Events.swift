import ParleyLog

extension Frame {
    /// The frame's records with their sequence numbers, within `seqs` (records outside are not visited).
    ///
    ///     for record in frame.numberedRecords(seqs: from...to) { census(record.seq, record.bytes) }
    ///
    /// - Parameter seqs: the sequence numbers wanted (default: all).
    @inlinable
    public func numberedRecords(seqs: ClosedRange<UInt64> = 0...UInt64.max) -> NumberedRecords {
        NumberedRecords(frame: self, seqs: seqs)
    }

    /// The frame's records within `seqs`, each decoded (only those within `seqs` are decoded):
    ///
    ///     for record in frame.events(texts: false) {
    ///         switch record.decoded {
    ///         case .success(.event(let event)): apply(event, record.seq)
    ///         case .success(.unknown): unknown += 1
    ///         case .failure(let error): throw error  // a malformed record
    ///         }
    ///     }
    ///
    /// - Parameters:
    ///   - seqs: the sequence numbers wanted (default: all).
    ///   - texts: whether to decode texts (``EventCodec/decode(_:texts:upcasters:)``).
    ///   - upcasters: what reads older schema versions; nil for ``EventUpcasters/standard``.
    public func events(seqs: ClosedRange<UInt64> = 0...UInt64.max, texts: Bool = true, upcasters: EventUpcasters? = nil)
        -> FrameEvents
    {
        FrameEvents(
            records: numberedRecords(seqs: seqs), recordedAt: Timestamp(nanoseconds: commitTime), texts: texts,
            upcasters: upcasters)
    }
}

/// One record of a frame and its sequence number.
public struct NumberedRecord: Sendable {
    /// The record's sequence number.
    public let seq: UInt64
    /// The record's bytes (shares the frame's buffer).
    public let bytes: ArraySlice<UInt8>

    @inlinable init(seq: UInt64, bytes: ArraySlice<UInt8>) {
        self.seq = seq
        self.bytes = bytes
    }
}

/// The records of a frame with their sequence numbers, within a range (``Frame/numberedRecords(seqs:)``).
public struct NumberedRecords: Sequence, Sendable {
    @usableFromInline let frame: Frame
    @usableFromInline let seqs: ClosedRange<UInt64>

    @inlinable init(frame: Frame, seqs: ClosedRange<UInt64>) {
        self.frame = frame
        self.seqs = seqs
    }

    @inlinable
    public func makeIterator() -> Iterator {
        Iterator(records: frame.records.makeIterator(), seq: frame.firstSeq, seqs: seqs)
    }

    /// Iterates the records.
    public struct Iterator: IteratorProtocol {
        @usableFromInline var records: Frame.Records.Iterator
        @usableFromInline var seq: UInt64
        @usableFromInline let seqs: ClosedRange<UInt64>

        @inlinable init(records: Frame.Records.Iterator, seq: UInt64, seqs: ClosedRange<UInt64>) {
            self.records = records
            self.seq = seq
            self.seqs = seqs
        }

        @inlinable
        public mutating func next() -> NumberedRecord? {
            while let bytes = records.next() {
                let current = seq
                seq &+= 1
                if current > seqs.upperBound { return nil }
                if current >= seqs.lowerBound { return NumberedRecord(seq: current, bytes: bytes) }
            }
            return nil
        }
    }
}

/// One record of a frame, decoded (``Frame/events(seqs:texts:upcasters:)``).
public struct FrameEvent: Sendable {
    /// The record's sequence number.
    public let seq: UInt64
    /// The record's bytes (shares the frame's buffer).
    public let bytes: ArraySlice<UInt8>
    /// The commit time of the frame.
    public let recordedAt: Timestamp
    /// The event, an unknown type or version, or why the record is malformed.
    public let decoded: Result<DecodedRecord, EventError>

    /// The event with its place in the log, if the record holds an event of a known type and version.
    public var event: SequencedEvent? {
        guard case .success(.event(let event)) = decoded else { return nil }
        return SequencedEvent(seq: seq, recordedAt: recordedAt, event: event)
    }
}

/// The records of a frame within a range, decoded (``Frame/events(seqs:texts:upcasters:)``).
public struct FrameEvents: Sequence, Sendable {
    let records: NumberedRecords
    let recordedAt: Timestamp
    let texts: Bool
    let upcasters: EventUpcasters?

    public func makeIterator() -> Iterator {
        Iterator(records: records.makeIterator(), recordedAt: recordedAt, texts: texts, upcasters: upcasters)
    }

    /// Iterates the decoded records.
    public struct Iterator: IteratorProtocol {
        var records: NumberedRecords.Iterator
        let recordedAt: Timestamp
        let texts: Bool
        let upcasters: EventUpcasters?

        public mutating func next() -> FrameEvent? {
            guard let record = records.next() else { return nil }
            let decoded = Result { () throws(EventError) in
                try EventCodec.decode(record.bytes, texts: texts, upcasters: upcasters)
            }
            return FrameEvent(seq: record.seq, bytes: record.bytes, recordedAt: recordedAt, decoded: decoded)
        }
    }
}
