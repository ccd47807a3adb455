// libFuzzer target: `JSONLineDecoder.decode`, the JSON Lines event decoder of ParleyEvents, on any line.
//
// Built together with the sources of ParleyLog and ParleyEvents as ONE module named ParleyLog (see
// Fuzz/README.md):
//
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParleyLog \
//       Fuzz/JSONLineDecoderFuzz.swift Sources/ParleyLog/*.swift Sources/ParleyLog/Internal/*.swift \
//       Sources/ParleyEvents/*.swift Sources/ParleyEvents/Types/*.swift -o .build-fuzz/jsonl-decoder
//
// Input: one line, without its terminator.
//
// Checks, beyond "no crash, no hang, bounded memory":
//   - an error carries the line number it was given;
//   - a line the decoder accepts is a JSON object for `JSONParser` too;
//   - an accepted event survives the binary codec (encode, decode, validate: the same event);
//   - an accepted event survives `dump`: `JSONLineEncoder` output, with and without "seq" and
//     "recorded_at", decodes to the same event, and encoding that again gives the same bytes
//     (so a dump can always be appended again: docs/EVENTS.md).

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("fuzz invariant violated: \(message())\n", stderr)
        abort()
    }
}

private let lineNumber = 17

@_cdecl("LLVMFuzzerTestOneInput")
public func jsonLineDecoderFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = Array(UnsafeBufferPointer(start: data, count: size))[...]
    let decoder = JSONLineDecoder()
    let event: Event
    do {
        event = try decoder.decode(line, lineNumber: lineNumber)
    } catch {
        require(error.line == lineNumber, "error without its line number: \(error)")
        return 0
    }

    // The decoder scans members itself; the full parser must agree that this is an object.
    switch Result(catching: { () throws(EventError) in try JSONParser.parse(line) }) {
    case .success(.object): break
    case .success(let other): require(false, "decoder accepted a line the parser reads as \(other)")
    case .failure(let error): require(false, "decoder accepted a line the parser refuses: \(error)")
    }

    // Binary round trip.
    var record: [UInt8] = []
    EventCodec.encode(event, into: &record)
    guard case .event(let stored)? = try? EventCodec.decode(record[...]) else {
        require(false, "an accepted event does not decode from its own record")
        return 0
    }
    require(stored == event, "binary round trip changed the event")
    require((try? EventCodec.validate(record[...]))?.kind == event.kind, "its record does not validate")

    // JSON Lines round trip, as `dump` then `append` would do it.
    let encoder = JSONLineEncoder()
    var plain: [UInt8] = []
    encoder.encode(event, into: &plain)
    var dumped: [UInt8] = []
    encoder.encode(
        SequencedEvent(seq: 42, recordedAt: Timestamp(nanoseconds: 1_772_445_600_000_000_000), event: event),
        into: &dumped)
    for (name, bytes) in [("plain", plain), ("dump", dumped)] {
        do {
            let back = try decoder.decode(bytes[...], lineNumber: 1)
            require(
                back == event, "\(name) encoding decodes to another event:\n\(String(decoding: bytes, as: UTF8.self))")
        } catch {
            require(
                false,
                "\(name) encoding of an accepted event is refused: \(error)\n\(String(decoding: bytes, as: UTF8.self))")
        }
    }
    var again: [UInt8] = []
    encoder.encode(event, into: &again)
    require(again == plain, "JSON encoding is not deterministic")
    return 0
}
