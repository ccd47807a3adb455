// libFuzzer target: cursor files (`LOG.cursors/NAME`) as `tail --cursor`, `ack` and `cursors` read them.
//
// Built together with the sources of ParleyLog as ONE module named ParleyLog (see Fuzz/README.md):
//
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParleyLog \
//       Fuzz/CursorFuzz.swift Sources/ParleyLog/*.swift Sources/ParleyLog/Internal/*.swift \
//       -o .build-fuzz/cursor
//
// Input: byte 0 holds flags, the rest is the cursor file:
//
//   bit 0  the parser is given, as the log's id, the one the input names (when bytes 16..<48 of the file
//          are 32 lower-case hex digits), so that inputs get past the log-id check
//   bit 1  also write the bytes as a cursor file and `CursorStore.load` it; if accepted, `save` the seq
//          and load it again
//
// Checks, beyond "no crash, no hang, bounded memory":
//   - `CursorStore.parse` throws `.corruption` naming the file, or returns a seq of at most
//     `CursorStore.maxSeq` (so `seq + 1` cannot overflow) from a file that is exactly the line a save
//     writes for that seq and log id;
//   - `load` of the file gives what `parse` of its bytes gives; `save` then `load` round-trips, and the
//     saved file holds the same bytes.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private let fixedLogID: [UInt8] = Array(0x10..<0x20)

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz invariant violated: \(message())\n", stderr)
        abort()
    }
}

/// A directory of this process for the cursor files, removed at exit.
private let workDirectory: String = {
    for base in ["/dev/shm", "/tmp"] {
        let path = "\(base)/parley-fuzz-cursor-\(getpid())"
        if mkdir(path, 0o700) == 0 || errno == EEXIST {
            atexit {
                unlink(workDirectory + "/log.cursors/c")
                rmdir(workDirectory + "/log.cursors")
                rmdir(workDirectory)
            }
            return path
        }
    }
    fatalError("fuzz: cannot create a work directory in /dev/shm or /tmp")
}()

/// The log id whose hex the file names, if bytes 16..<48 are 32 lower-case hex digits.
private func namedLogID(_ file: ArraySlice<UInt8>) -> [UInt8]? {
    guard file.count >= 48 else { return nil }
    func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
    var id: [UInt8] = []
    let start = file.startIndex + 16
    for index in stride(from: start, to: start + 32, by: 2) {
        guard let high = nibble(file[index]), let low = nibble(file[index + 1]) else { return nil }
        id.append(high << 4 | low)
    }
    return id
}

private func writeFile(_ path: String, _ bytes: [UInt8]) {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    require(fd >= 0, "cannot create \(path): errno \(errno)")
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    require(written == bytes.count, "short write of the cursor")
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func cursorFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let flags = input[0]
    let file = input[1...]
    let logID = flags & 1 != 0 ? namedLogID(file) ?? fixedLogID : fixedLogID
    let path = "cursor-file"

    let parsed: Result<UInt64, LogError>
    do {
        let seq = try CursorStore.parse(file, logID: logID, name: "c", path: path)
        require(seq <= CursorStore.maxSeq, "accepted seq \(seq) beyond \(CursorStore.maxSeq)")
        let line = Array("parley-cursor 1 \(LogHeader.hex(logID)) \(seq)\n".utf8)
        require(Array(file) == line, "accepted a file that is not exactly the saved line for seq \(seq)")
        parsed = .success(seq)
    } catch {
        require(error.code == .corruption, "refused with \(error.code), not corruption")
        require(error.path == path, "the error does not name the file")
        parsed = .failure(error)
    }
    guard flags & 2 != 0 else { return 0 }

    let store = CursorStore(logPath: workDirectory + "/log", logID: logID)
    mkdir(store.directory, 0o700)
    writeFile(store.directory + "/c", Array(file))
    do {
        let loaded = try store.load("c")
        guard case .success(let seq) = parsed, loaded == seq else {
            require(false, "load accepted what parse refused, or read another seq")
            return 0
        }
        try store.save("c", seq: seq)
        require(try store.load("c") == seq, "save then load does not round-trip")
    } catch {
        if case .success = parsed { require(false, "load or save refused what parse accepted: \(error)") }
        require(error.code == .corruption, "load refused with \(error.code), not corruption")
    }
    return 0
}
