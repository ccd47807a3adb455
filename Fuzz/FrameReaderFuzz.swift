// libFuzzer target: the frame layer of ParleyLog, on any bytes.
//
// Built together with the sources of ParleyLog as ONE module named ParleyLog (see Fuzz/README.md), so
// that internal types (`FrameValidator`, `CommitHint`) are reachable:
//
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParleyLog \
//       Fuzz/FrameReaderFuzz.swift Sources/ParleyLog/*.swift Sources/ParleyLog/Internal/*.swift \
//       -o .build-fuzz/frame-reader
//
// Input: byte 0 holds flags, byte 1 picks the reader's buffer size, the rest is the log file:
//
//   bit 0  replace the first 64 bytes by a valid file header (salt 0x0123456789ABCDEF)
//   bit 1  repair the header CRC
//   bit 2  walk the chain of frame lengths and set each frame's salt to the header's
//   bit 3  ... and its first seq to the expected one
//   bit 4  ... and its CRC to the right one (so the fuzzer gets past the checksum)
//   bit 5  also open the file with LogWriter (recovery), append a frame, or LogRepair it
//
// Checks, beyond "no crash, no hang, bounded memory":
//   - `LogReader` + `LogSurveyor.survey` (buffered, file-based, any buffer size) agree with a walk of
//     the pure `FrameValidator.check` over the whole bytes: same frames, last seq, valid end;
//   - the ending is classified as docs/FORMAT.md says (torn tail iff the frame at the valid end is
//     incomplete or fails its length or CRC check and no checksum-valid frame of this log starts
//     after its first byte), computed here independently;
//   - the quick survey (no checksums) agrees with the full one on a clean log;
//   - recovery cuts a torn tail and refuses damage; an append after recovery gives a clean log
//     with one more frame; repair cuts exactly at the damage and saves exactly the bytes it cut.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private let fuzzSalt: UInt64 = 0x0123_4567_89AB_CDEF

/// A valid file header with `fuzzSalt`.
private let validHeader: [UInt8] = LogHeader(
    logID: Array(0..<16), salt: fuzzSalt, createdAt: 1_772_445_600_000_000_000
).encoded()

/// A directory of this process for the log file (tmpfs when there is one), removed at exit.
private let workDirectory: String = {
    for base in ["/dev/shm", "/tmp"] {
        let path = "\(base)/parley-fuzz-frame-reader-\(getpid())"
        if mkdir(path, 0o700) == 0 || errno == EEXIST {
            atexit {
                cleanUp(workDirectory + "/log")
                rmdir(workDirectory)
            }
            return path
        }
    }
    fatalError("fuzz: cannot create a work directory in /dev/shm or /tmp")
}()

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz invariant violated: \(message())\n", stderr)
        abort()
    }
}

private func store32(_ value: UInt32, into bytes: inout [UInt8], at index: Int) {
    for i in 0..<4 { bytes[index + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
}

private func store64(_ value: UInt64, into bytes: inout [UInt8], at index: Int) {
    for i in 0..<8 { bytes[index + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
}

private func load32(_ bytes: [UInt8], _ index: Int) -> UInt32 {
    bytes[index..<(index + 4)].loadLittleEndianUInt32(at: index)
}

/// Applies the fix-ups that the flags ask for, so that the fuzzer reaches past header and CRC checks.
private func prepare(_ flags: UInt8, _ input: ArraySlice<UInt8>) -> [UInt8] {
    var file = Array(input)
    if flags & 1 != 0 {
        if file.count < 64 { file += [UInt8](repeating: 0, count: 64 - file.count) }
        file.replaceSubrange(0..<64, with: validHeader)
    }
    if flags & 2 != 0, file.count >= 64 {
        store32(CRC32C.checksum(file[0..<60]), into: &file, at: 60)
    }
    guard flags & 0b1_1100 != 0, file.count >= 64 else { return file }
    let salt = file[32..<40].loadLittleEndianUInt64(at: 32)
    var offset = 64
    var expected: UInt64 = 1
    while offset + 36 <= file.count {
        let length = Int(load32(file, offset + 4))
        guard length >= 40, length <= LogFormat.maxFrameBytes, offset + length <= file.count else { break }
        if flags & 4 != 0 { store64(salt, into: &file, at: offset + 8) }
        if flags & 8 != 0 { store64(expected, into: &file, at: offset + 16) }
        expected &+= UInt64(load32(file, offset + 24))
        if flags & 16 != 0 {
            store32(CRC32C.checksum(file[(offset + 4)..<(offset + length)]), into: &file, at: offset)
        }
        offset += length
    }
    return file
}

/// What a walk of the pure validator over the whole file finds.
private struct PureWalk {
    var frames = 0
    var lastSeq: UInt64 = 0
    var validEnd = 64
    var payloadRecords: [[ArraySlice<UInt8>]] = []
}

private func pureWalk(_ file: [UInt8], salt: UInt64) -> PureWalk {
    var walk = PureWalk()
    while true {
        let bytes = file[walk.validEnd...]
        let checked = FrameValidator.check(
            bytes, offset: Int64(walk.validEnd), salt: salt, expectedSeq: walk.lastSeq + 1)
        let unchecked = FrameValidator.check(
            bytes, offset: Int64(walk.validEnd), salt: salt, expectedSeq: walk.lastSeq + 1, verifyChecksum: false)
        guard case .valid(let frame) = checked else { return walk }
        guard case .valid(let same) = unchecked else {
            require(false, "a frame valid with its checksum checked is invalid without")
            return walk
        }
        require(
            same.length == frame.length && same.firstSeq == frame.firstSeq && same.count == frame.count,
            "checksum flag changes the frame read")
        require(frame.firstSeq == walk.lastSeq + 1, "frame accepted at the wrong seq")
        require(frame.length >= 40 && frame.length <= bytes.count, "frame length outside the bytes")
        let records = Array(frame.records)
        require(records.count == frame.count, "frame of \(frame.count) events iterates \(records.count) records")
        require(
            records.reduce(0) { $0 + 4 + $1.count } == frame.length - LogFormat.frameHeaderBytes,
            "records do not tile the payload")
        walk.payloadRecords.append(records)
        walk.frames += 1
        walk.lastSeq = frame.lastSeq
        walk.validEnd += frame.length
    }
}

/// docs/FORMAT.md's classification of the bytes after the valid frames, computed without LogSurveyor.
private enum ExpectedEnding: Equatable { case clean, torn, damaged }

private func expectedEnding(_ file: [UInt8], salt: UInt64, validEnd: Int) -> ExpectedEnding {
    if validEnd == file.count { return .clean }
    switch FrameValidator.check(file[validEnd...], offset: Int64(validEnd), salt: salt, expectedSeq: nil) {
    case .valid: return .damaged  // checksum-valid, of this log, but not the next seq
    case .invalid(.saltMismatch), .invalid(.badRecords), .invalid(.sequenceMismatch): return .damaged
    case .invalid(.checksumMismatch), .invalid(.badLength), .incomplete: break
    }
    // Scan for a checksum-valid frame with this log's salt starting after the bad frame's first byte,
    // checksumming at most 4 × the bytes after the bad frame (past that, the scan answers "damage").
    var p = validEnd + 1
    let limit = 4 * (file.count - validEnd)
    var checksummed = 0
    while p + 40 <= file.count {
        if file[(p + 8)..<(p + 16)].loadLittleEndianUInt64(at: p + 8) == salt {
            let length = Int(load32(file, p + 4))
            if length >= 40, length <= LogFormat.maxFrameBytes, p + length <= file.count {
                if checksummed + length > limit { return .damaged }
                checksummed += length
                if load32(file, p) == CRC32C.checksum(file[(p + 4)..<(p + length)]) { return .damaged }
            }
        }
        p += 1
    }
    return .torn
}

private func writeFile(_ path: String, _ bytes: [UInt8]) {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    require(fd >= 0, "cannot create \(path): errno \(errno)")
    var done = 0
    while done < bytes.count {
        let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        require(n > 0, "write failed: errno \(errno)")
        done += n
    }
    close(fd)
}

private func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        result += chunk[0..<n]
    }
    return result
}

/// Removes the log and the commit hint beside it (repair's saved copies are removed where they are made).
private func cleanUp(_ log: String) {
    unlink(log)
    unlink(log + ".commit")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func frameReaderFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let flags = input[0]
    let bufferBytes = input[1] == 0 ? 256 << 10 : 64 + Int(input[1]) * 3
    let file = prepare(flags, input[2...])

    // Pure layer: the header, and a commit hint made of the same bytes.
    let pureHeader = try? LogHeader.decode(file[...])
    _ = CommitHint.decode(file.prefix(44)[...], logID: Array(file.prefix(16)))

    // File layer.
    let log = workDirectory + "/log"
    cleanUp(log)
    writeFile(log, file)
    defer { cleanUp(log) }
    let reader: LogReader
    do {
        reader = try LogReader(path: log, bufferBytes: bufferBytes)
    } catch {
        require(pureHeader == nil, "LogReader refused a header that LogHeader.decode accepts: \(error)")
        return 0
    }
    guard let header = pureHeader else {
        require(false, "LogReader accepted a header that LogHeader.decode refuses")
        return 0
    }
    require(reader.header == header, "LogReader and LogHeader.decode read different headers")

    let walk = pureWalk(file, salt: header.salt)
    var seen: [[ArraySlice<UInt8>]] = []
    let survey: LogSurvey
    do {
        survey = try LogSurveyor.survey(reader, verifyChecksums: true) { frame in seen.append(Array(frame.records)) }
    } catch {
        require(false, "survey threw on a readable file: \(error)")
        return 0
    }
    require(survey.frames == walk.frames, "survey found \(survey.frames) frames, the pure walk \(walk.frames)")
    require(survey.lastSeq == walk.lastSeq, "survey last seq \(survey.lastSeq), pure walk \(walk.lastSeq)")
    require(survey.validEnd == Int64(walk.validEnd), "survey valid end \(survey.validEnd), pure \(walk.validEnd)")
    require(survey.events == walk.lastSeq, "events \(survey.events) but last seq \(walk.lastSeq)")
    require(survey.fileSize == Int64(file.count), "survey file size \(survey.fileSize), file \(file.count)")
    require(seen.count == walk.payloadRecords.count, "onFrame called \(seen.count) times")
    for (a, b) in zip(seen, walk.payloadRecords) {
        require(a.count == b.count && zip(a, b).allSatisfy { $0.elementsEqual($1) }, "records differ")
    }
    let expected = expectedEnding(file, salt: header.salt, validEnd: walk.validEnd)
    switch survey.ending {
    case .clean:
        require(expected == .clean, "survey says clean, expected \(expected)")
    case .tornTail(let torn):
        require(expected == .torn, "survey says torn tail, expected \(expected)")
        require(torn.offset == Int64(walk.validEnd), "torn tail at \(torn.offset), valid end \(walk.validEnd)")
        require(torn.byteCount == Int64(file.count - walk.validEnd), "torn tail byte count")
        require(torn.firstSeq == walk.lastSeq + 1, "torn tail first seq")
    case .damaged(let damage):
        require(expected == .damaged, "survey says damaged, expected \(expected)")
        require(damage.offset == Int64(walk.validEnd), "damage at \(damage.offset), valid end \(walk.validEnd)")
        require(damage.expectedSeq == walk.lastSeq + 1, "damage expected seq")
        if let next = damage.nextValidFrame { require(next.offset > damage.offset, "next valid frame before damage") }
    }

    // The writer's quick walk must agree with the full one on a clean log.
    if expected == .clean, let quick = try? LogReader(path: log, bufferBytes: bufferBytes) {
        let fast = try? LogSurveyor.survey(quick, verifyChecksums: false)
        require(fast?.lastSeq == walk.lastSeq && fast?.validEnd == Int64(walk.validEnd), "quick survey differs")
        if case .clean? = fast?.ending {} else { require(false, "quick survey of a clean log is not clean") }
    }

    guard flags & 32 != 0 else { return 0 }
    if expected == .damaged {
        // Recovery refuses; repair cuts exactly at the damage and keeps the bytes it cut.
        do {
            _ = try LogWriter.open(at: log)
            require(false, "the writer opened a damaged log")
        } catch {
            require(error.code == .corruption, "writer refused damage with \(error.code), not corruption")
        }
        do {
            let outcome = try LogRepair.repair(path: log)
            require(outcome?.cutOffset == Int64(walk.validEnd), "repair cut elsewhere than the damage")
            require(outcome?.eventsKept == walk.lastSeq, "repair kept a different number of events")
            if let outcome {
                require(readFile(outcome.savedCopyPath) == Array(file[walk.validEnd...]), "saved copy differs")
                unlink(outcome.savedCopyPath)
            }
        } catch {
            require(false, "repair failed: \(error)")
        }
        require(readFile(log) == Array(file[0..<walk.validEnd]), "repaired log is not the valid prefix")
        return 0
    }
    // Recovery cuts a torn tail; an append then leaves a clean log with one more frame.
    do {
        let writer = try LogWriter.open(at: log)
        require((writer.recoveredTornTail != nil) == (expected == .torn), "recovery and survey disagree")
        require(writer.lastSeq == walk.lastSeq, "writer last seq \(writer.lastSeq), expected \(walk.lastSeq)")
        var batch = LogBatch()
        let record = Array(input.prefix(32))
        batch.appendRecord(bytes: record)
        batch.appendRecord(bytes: [])
        let commit = try writer.append(&batch)
        require(commit.seqs == (walk.lastSeq + 1)...(walk.lastSeq + 2), "append got seqs \(commit.seqs)")
        writer.close()
        let after = try LogSurveyor.survey(try LogReader(path: log, bufferBytes: bufferBytes))
        if case .clean = after.ending {} else { require(false, "log not clean after recovery and append") }
        require(after.lastSeq == walk.lastSeq + 2 && after.frames == walk.frames + 1, "append not counted")
        let now = readFile(log) ?? []
        require(
            now.count > walk.validEnd && now[0..<walk.validEnd].elementsEqual(file[0..<walk.validEnd]),
            "recovery or append changed the frames before the torn tail")
    } catch {
        require(false, "recovery or append of a \(expected) log failed: \(error)")
    }
    return 0
}
