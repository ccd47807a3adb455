import ParleyLog
import Testing

@Suite struct SHA256Tests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    // The example vectors of NIST's "Cryptographic Standards and Guidelines: Examples with Intermediate
    // Values" for SHA-256 and the FIPS 180-2 appendix (one block, two blocks, a million "a").
    @Test func oneBlockMessageMatchesTheNISTExample() {
        #expect(
            hex(SHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func emptyMessageMatchesTheKnownDigest() {
        #expect(hex(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func twoBlockMessageMatchesTheNISTExample() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            hex(SHA256.hash(Array(message.utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func fourBlockMessageMatchesTheNISTExample() {
        let message =
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
            + "mnopqrstnopqrstu"
        #expect(
            hex(SHA256.hash(Array(message.utf8)))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func aMillionAsFedInOddChunksMatchesTheNISTExample() {
        var hash = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var left = 1_000_000
        while left > 0 {
            let take = min(left, chunk.count)
            hash.update(chunk[0..<take])
            left -= take
        }
        #expect(hex(hash.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func paddingBoundariesAgreeWithByteAtATimeFeeding() {
        // Lengths around the 55/56/64-byte padding edges, fed whole and one byte at a time.
        var random = SplitMix64(seed: 0x5AA5)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000] {
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var byByte = SHA256()
            for byte in message { byByte.update([byte]) }
            let whole = SHA256.hash(message)
            #expect(byByte.finalize() == whole, "length \(length)")
            #expect(whole.count == SHA256.digestBytes)
        }
    }

    @Test func differentMessagesGiveDifferentDigests() {
        #expect(SHA256.hash(Array("abc".utf8)) != SHA256.hash(Array("abd".utf8)))
    }
}
