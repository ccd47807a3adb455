import Foundation

/// Reads RFC 4180 CSV one record at a time, holding one chunk of input and one record in memory.
///
/// What it accepts:
/// - A UTF-8 byte order mark (EF BB BF) at the very start is skipped; the first record then starts at
///   offset 3, line 1, column 1.
/// - Records end with CRLF or LF; the last record may have no line end. A CR alone at the very end of the
///   input also ends a record; anywhere else outside quotes a lone CR is an error.
/// - Fields are separated by `separator` (a comma unless told otherwise). A field that starts with `"` is
///   quoted: it may hold separators, CR, LF (kept byte for byte, CRLF stays CRLF) and `""` for one quote.
/// - Blank lines (nothing before the line end) are skipped, as most help-desk exports expect, so a record
///   of one empty field must be written `""`.
/// - Fields must be UTF-8.
///
/// Lines count LF bytes (a CR inside quotes does not start a line); columns count bytes from 1.
/// Errors are thrown as ``CSVError`` at the offending byte and are terminal: after one, `next()` throws
/// it again. Limits bound memory on hostile input.
public final class CSVReader {
    /// Bounds on what one record may hold.
    public struct Limits: Equatable, Sendable {
        /// Largest field, in bytes after unquoting (default 1 MiB).
        public var maxFieldBytes: Int
        /// Most fields in one record (default 10,000).
        public var maxFieldsPerRecord: Int
        /// Largest record, counting its fields' bytes after unquoting (default 16 MiB).
        public var maxRecordBytes: Int

        /// Creates limits.
        /// - Parameters:
        ///   - maxFieldBytes: Largest field in bytes.
        ///   - maxFieldsPerRecord: Most fields in one record.
        ///   - maxRecordBytes: Largest record in bytes.
        public init(maxFieldBytes: Int = 1 << 20, maxFieldsPerRecord: Int = 10_000, maxRecordBytes: Int = 16 << 20) {
            self.maxFieldBytes = maxFieldBytes
            self.maxFieldsPerRecord = maxFieldsPerRecord
            self.maxRecordBytes = maxRecordBytes
        }

        /// 1 MiB fields, 10,000 fields, 16 MiB records.
        public static let `default` = Limits()
    }

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    private let file: String?
    private let separator: UInt8
    private let limits: Limits
    private let chunkSize: Int
    private var source: Source
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    private var started = false
    private var failure: CSVError?
    private var offset = 0
    private var line = 1
    private var column = 1

    /// Opens a file and reads it in chunks.
    /// - Parameters:
    ///   - path: The file.
    ///   - separator: The field separator: an ASCII byte other than `"`, CR and LF (`,`, `;`, tab…).
    ///   - limits: Bounds on fields and records.
    ///   - chunkSize: Bytes read at a time (default 64 KiB).
    /// - Throws: `CSVError` ``CSVError/Code/cannotOpen`` when the file cannot be opened for reading.
    public convenience init(
        path: String, separator: UInt8 = UInt8(ascii: ","), limits: Limits = .default, chunkSize: Int = 1 << 16
    ) throws(CSVError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CSVError(
                .cannotOpen, at: InputLocation(file: path, offset: 0, line: 1, column: 1),
                reason: "cannot open \(path) for reading")
        }
        self.init(source: .file(handle), file: path, separator: separator, limits: limits, chunkSize: chunkSize)
    }

    /// Reads bytes in memory, served in chunks of `chunkSize` exactly as a file would be.
    /// - Parameters:
    ///   - bytes: The input.
    ///   - file: The name to put in locations, if any.
    ///   - separator: The field separator: an ASCII byte other than `"`, CR and LF.
    ///   - limits: Bounds on fields and records.
    ///   - chunkSize: Bytes served at a time (default 64 KiB).
    public convenience init(
        bytes: [UInt8], file: String? = nil, separator: UInt8 = UInt8(ascii: ","), limits: Limits = .default,
        chunkSize: Int = 1 << 16
    ) {
        self.init(
            source: .memory(bytes, position: 0), file: file, separator: separator, limits: limits,
            chunkSize: chunkSize)
    }

    private init(source: Source, file: String?, separator: UInt8, limits: Limits, chunkSize: Int) {
        precondition(
            separator < 0x80 && separator != Self.quote && separator != Self.cr && separator != Self.lf,
            "the separator must be ASCII and not a quote, CR or LF")
        precondition(chunkSize > 0, "the chunk size must be positive")
        self.source = source
        self.file = file
        self.separator = separator
        self.limits = limits
        self.chunkSize = chunkSize
    }

    /// The location of the next byte to be read.
    public var location: InputLocation {
        InputLocation(file: file, offset: offset, line: line, column: column)
    }

    /// Reads the next record.
    /// - Returns: The record, or `nil` at the end of the input.
    /// - Throws: `CSVError` at the offending byte; the reader is then finished and throws it again.
    public func next() throws(CSVError) -> CSVRecord? {
        if let failure { throw failure }
        do {
            return try readRecord()
        } catch {
            failure = error
            throw error
        }
    }

    // MARK: - Bytes

    /// The byte `ahead` places past the next one, reading chunks as needed; `nil` past the end.
    private func peek(_ ahead: Int = 0) throws(CSVError) -> UInt8? {
        while index + ahead >= buffer.count {
            if atEnd { return nil }
            let chunk = try source.read(chunkSize, file: file, at: location)
            if chunk.isEmpty {
                atEnd = true
                return nil
            }
            if index >= buffer.count {
                buffer = chunk
            } else {
                buffer = Array(buffer[index...]) + chunk
            }
            index = 0
        }
        return buffer[index + ahead]
    }

    /// Steps past the next byte (which `peek()` has returned).
    private func advance() {
        guard index < buffer.count else { return }
        if buffer[index] == Self.lf {
            line += 1
            column = 1
        } else {
            column += 1
        }
        offset += 1
        index += 1
    }

    // MARK: - Records

    private func readRecord() throws(CSVError) -> CSVRecord? {
        if !started {
            started = true
            if try peek(0) == 0xEF, try peek(1) == 0xBB, try peek(2) == 0xBF {
                index += 3
                offset += 3
            }
        }
        // Blank lines are skipped.
        while let byte = try peek() {
            if byte == Self.lf {
                advance()
            } else if byte == Self.cr {
                try endLine()
            } else {
                break
            }
        }
        guard try peek() != nil else { return nil }

        var record = RecordBuilder(location: location)
        while true {
            if record.fields.count >= limits.maxFieldsPerRecord {
                throw CSVError(
                    .tooManyFields, at: location, field: record.fields.count + 1,
                    reason: "the record has more than \(limits.maxFieldsPerRecord) fields")
            }
            record.startField(at: location)
            let more = try peek() == Self.quote ? try readQuotedField(&record) : try readUnquotedField(&record)
            try record.finishField(file: file)
            if !more { break }
        }
        return CSVRecord(fields: record.fields, location: record.location, fieldLocations: record.fieldLocations)
    }

    /// Reads an unquoted field; returns whether another field follows in this record.
    private func readUnquotedField(_ record: inout RecordBuilder) throws(CSVError) -> Bool {
        while true {
            appendPlainRun(to: &record)
            guard let byte = try peek() else { break }
            switch byte {
            case separator:
                advance()
                return true
            case Self.lf, Self.cr:
                try endLine()
                return false
            case Self.quote:
                throw CSVError(
                    .quoteInUnquotedField, at: location, field: record.fields.count + 1,
                    reason: "a quote inside a field that does not start with one (quote the field and double it)")
            default:
                try append(byte, to: &record)
                advance()
            }
        }
        return false
    }

    /// Reads a quoted field from its opening quote; returns whether another field follows in this record.
    private func readQuotedField(_ record: inout RecordBuilder) throws(CSVError) -> Bool {
        let opening = location
        advance()
        while true {
            appendPlainRun(to: &record)
            guard let byte = try peek() else {
                throw CSVError(
                    .unterminatedQuotedField, at: opening, field: record.fields.count + 1,
                    reason: "the input ends inside the quoted field that starts here")
            }
            if byte == Self.quote {
                if try peek(1) == Self.quote {
                    try append(byte, to: &record)
                    advance()
                    advance()
                    continue
                }
                advance()
                break
            }
            try append(byte, to: &record)
            advance()
        }
        guard let byte = try peek() else { return false }
        switch byte {
        case separator:
            advance()
            return true
        case Self.lf, Self.cr:
            try endLine()
            return false
        default:
            throw CSVError(
                .textAfterClosingQuote, at: location, field: record.fields.count + 1,
                reason: "text after the closing quote of a quoted field (expected a separator or a line end)")
        }
    }

    /// Steps past LF or CRLF; a CR alone ends a line only at the end of the input.
    private func endLine() throws(CSVError) {
        if try peek() == Self.cr {
            let carriageReturn = location
            advance()
            guard let byte = try peek() else { return }
            guard byte == Self.lf else {
                throw CSVError(
                    .bareCarriageReturn, at: carriageReturn,
                    reason: "a carriage return outside quotes must be followed by a line feed")
            }
        }
        advance()
    }

    /// Appends the run of plain ASCII bytes (no separator, quote, CR or LF) at the read position in one go,
    /// within the limits; the byte-at-a-time path handles everything else, and every error.
    private func appendPlainRun(to record: inout RecordBuilder) {
        guard record.validator.isComplete else { return }
        let allowance = min(limits.maxFieldBytes - record.field.count, limits.maxRecordBytes - record.bytes)
        let bytes = buffer
        let start = index
        guard allowance > 0, start < bytes.count else { return }
        let limit = bytes.count - start > allowance ? start + allowance : bytes.count
        var end = start
        while end < limit {
            let byte = bytes[end]
            if byte >= 0x80 || byte == separator || byte == Self.quote || byte == Self.cr || byte == Self.lf { break }
            end += 1
        }
        guard end > start else { return }
        record.field.append(contentsOf: bytes[start..<end])
        record.bytes += end - start
        column += end - start
        offset += end - start
        index = end
    }

    private func append(_ byte: UInt8, to record: inout RecordBuilder) throws(CSVError) {
        let field = record.fields.count + 1
        if record.field.count >= limits.maxFieldBytes {
            throw CSVError(
                .fieldTooLarge, at: location, field: field,
                reason: "the field is longer than \(limits.maxFieldBytes) bytes")
        }
        if record.bytes >= limits.maxRecordBytes {
            throw CSVError(
                .recordTooLarge, at: location, field: field,
                reason: "the record is longer than \(limits.maxRecordBytes) bytes")
        }
        if byte >= 0x80 && record.validator.isComplete { record.sequenceStart = location }
        guard record.validator.accept(byte) else {
            throw CSVError(
                .invalidUTF8, at: record.sequenceStart, field: field,
                reason: "the field is not valid UTF-8 (a bad sequence starts here)")
        }
        record.field.append(byte)
        record.bytes += 1
    }
}

/// The record being read: finished fields, the current field's bytes and its UTF-8 state.
private struct RecordBuilder {
    let location: InputLocation
    var fields: [String] = []
    var fieldLocations: [InputLocation] = []
    var field: [UInt8] = []
    var bytes = 0
    var validator = UTF8Validator()
    var sequenceStart: InputLocation

    init(location: InputLocation) {
        self.location = location
        self.sequenceStart = location
    }

    mutating func startField(at location: InputLocation) {
        fieldLocations.append(location)
        field.removeAll(keepingCapacity: true)
        validator.reset()
    }

    mutating func finishField(file: String?) throws(CSVError) {
        guard validator.isComplete else {
            throw CSVError(
                .invalidUTF8, at: sequenceStart, field: fields.count + 1,
                reason: "the field ends inside a UTF-8 sequence that starts here")
        }
        fields.append(String(decoding: field, as: UTF8.self))
    }
}
