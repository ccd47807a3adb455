// libFuzzer target: the commit hint (`LOG.commit`) as a reader meets it, crafted or damaged.
//
// Built together with the sources of ParleyLog as ONE module named ParleyLog (see Fuzz/README.md):
//
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParleyLog \
//       Fuzz/CommitHintFuzz.swift Sources/ParleyLog/*.swift Sources/ParleyLog/Internal/*.swift \
//       -o .build-fuzz/commit-hint
//
// Input: byte 0 holds flags, byte 1 picks the follower's first seq, the rest is the hint file:
//
//   bit 0  set bytes 8..<24 to the fuzz log's id (so the hint is of this log)
//   bit 1  set bytes 40..<44 to the right CRC-32C (so the fuzzer gets past the checksum)
//   bit 2  also put the bytes beside a small real log (6 events in frames of seq 1-2, 3-5, 6) and
//          follow it: `CommitHint.read`, `LogFollower.committedLastSeq`, `nextFrame` until none
//
// Checks, beyond "no crash, no hang, bounded memory":
//   - `CommitHint.decode` accepts only what a writer writes: 44 bytes that re-encode to themselves, with
//     a committed end from 64 to Int64.max, a last seq of at most one event per byte after the header,
//     and no events exactly when the end is the header's;
//   - `CommitHint.read` of the file gives what `decode` of its bytes gives;
//   - whatever the hint claims, the follower's committed last seq is at most the log's (6), it equals
//     the log's last seq within the hint's end, and a disagreement with the hint is reported
//     (`hintProblem`); `nextFrame` returns only frames of the log, in order, or a corruption error
//     (the log "cut below the follower"), never anything past seq 6.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private let fuzzLogID: [UInt8] = Array(0x40..<0x50)

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz invariant violated: \(message())\n", stderr)
        abort()
    }
}

/// The real log, built once per process in /dev/shm (or /tmp): its path and its frames' ends and last seqs.
private let fuzzLog: (path: String, frames: [(end: Int64, lastSeq: UInt64)]) = {
    var directory = ""
    for base in ["/dev/shm", "/tmp"] {
        let path = "\(base)/parley-fuzz-commit-hint-\(getpid())"
        if mkdir(path, 0o700) == 0 || errno == EEXIST {
            directory = path
            break
        }
    }
    require(!directory.isEmpty, "cannot create a work directory in /dev/shm or /tmp")
    let path = directory + "/log"
    atexit {
        unlink(fuzzLog.path)
        unlink(fuzzLog.path + ".commit")
        rmdir(FilePath.directory(of: fuzzLog.path))
    }
    var frames: [(end: Int64, lastSeq: UInt64)] = []
    do {
        var options = LogWriter.Options()
        options.logID = fuzzLogID
        let writer = try LogWriter.create(at: path, options: options)
        for count in [2, 3, 1] {
            var batch = LogBatch()
            for index in 0..<count { batch.appendRecord(bytes: Array("event \(index)".utf8)) }
            let commit = try writer.append(&batch)
            frames.append((writer.committedEnd, commit.seqs.upperBound))
        }
        writer.close()
    } catch {
        require(false, "cannot build the fuzz log: \(error)")
    }
    return (path, frames)
}()

private func writeHint(_ bytes: [UInt8], to path: String) {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    require(fd >= 0, "cannot create \(path): errno \(errno)")
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    require(written == bytes.count, "short write of the hint")
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func commitHintFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let flags = input[0]
    var image = Array(input[2...])
    if flags & 1 != 0, image.count >= 24 { image.replaceSubrange(8..<24, with: fuzzLogID) }
    if flags & 2 != 0, image.count >= 44 {
        let crc = CRC32C.checksum(image[0..<40])
        image.replaceSubrange(40..<44, with: (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) })
    }

    // Pure layer.
    let decoded = CommitHint.decode(image[...], logID: fuzzLogID)
    if let hint = decoded {
        let header = Int64(LogFormat.fileHeaderBytes)
        require(hint.encoded(logID: fuzzLogID) == image, "an accepted hint does not re-encode to its bytes")
        require(hint.committedEnd >= header, "accepted a committed end \(hint.committedEnd) inside the header")
        require(hint.lastSeq <= UInt64(hint.committedEnd - header), "accepted more events than bytes")
        require((hint.lastSeq == 0) == (hint.committedEnd == header), "accepted events without bytes or back")
        require(hint.lastSeq < UInt64.max, "accepted a last seq whose successor overflows")
    }
    guard flags & 4 != 0 else { return 0 }

    // Beside a real log.
    let log = fuzzLog
    let hintPath = CommitHint.path(forLog: log.path)
    writeHint(image, to: hintPath)
    require(CommitHint.read(forLog: log.path, logID: fuzzLogID) == decoded, "read and decode disagree")
    let truth = log.frames.last!.lastSeq
    let fromSeq = UInt64(input[1] % 9) + 1
    do {
        let follower = try LogFollower(path: log.path, fromSeq: fromSeq)
        let committed = try follower.committedLastSeq()
        let limit = decoded?.committedEnd ?? Int64.max
        let expected = log.frames.last(where: { $0.end <= limit })?.lastSeq ?? 0
        require(committed == expected, "committed last seq \(committed), the log holds \(expected) within the hint")
        require(committed <= truth, "committed last seq \(committed) beyond the log's \(truth)")
        let boundaries = [Int64(LogFormat.fileHeaderBytes)] + log.frames.map(\.end)
        if let decoded, decoded.lastSeq != committed || !boundaries.contains(decoded.committedEnd) {
            require(follower.hintProblem != nil, "a hint that disagrees with the log is not reported")
        }
        var previous: UInt64 = 0
        for _ in 0..<8 {
            guard let frame = try follower.nextFrame() else { break }
            require(frame.lastSeq <= truth && frame.firstSeq > previous, "frame \(frame.firstSeq)-\(frame.lastSeq)")
            require(log.frames.contains(where: { $0.end == frame.endOffset }), "a frame the log does not hold")
            previous = frame.lastSeq
        }
    } catch {
        require(error.code == .corruption, "following failed with \(error.code): \(error)")
    }
    return 0
}
