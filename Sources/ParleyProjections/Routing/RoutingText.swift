import Foundation

/// The normal form in which topics' phrases and messages are compared: lower case, no diacritics, and every
/// run of characters that are neither letters nor digits turned into one space, with none at either end.
/// `"Très  DÉÇU !"` and `"tres decu"` have the same form.
///
/// Text is cut into chunks at ASCII characters that are not letters or digits. A chunk of ASCII is
/// lower-cased byte by byte; a chunk with other characters is folded on its own — through a table when
/// it holds only ASCII, Latin letters with diacritics (U+00C0…U+017F that decompose into an ASCII letter
/// and marks) and combining marks, through Foundation's case- and diacritic-insensitive folding
/// otherwise — and cut again at characters that are neither letters nor digits. ``TopicMatcher`` cuts
/// messages the same way, so a phrase and a message always agree on their words.
public enum RoutingText {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        forEachWord(text) { word in
            if !bytes.isEmpty { bytes.append(0x20) }
            bytes.append(contentsOf: word)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The words of the folded form of `text`.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(text) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Calls `body` with the UTF-8 bytes of each folded word of `text`, in order.
    static func forEachWord(_ text: String, _ body: ([UInt8]) -> Void) {
        var chunk: [UInt8] = []
        var plain = true
        func flush() {
            guard !chunk.isEmpty else { return }
            if plain { body(chunk) } else { for word in foldedWords(ofChunk: chunk) { body(word) } }
            chunk.removeAll(keepingCapacity: true)
            plain = true
        }
        for byte in text.utf8 {
            if byte >= 0x80 {
                chunk.append(byte)
                plain = false
            } else if isASCIIAlphanumeric(byte) {
                chunk.append(asciiLowercased(byte))
            } else {
                flush()
            }
        }
        flush()
    }

    /// The folded words of a chunk that holds non-ASCII characters (and no ASCII separator).
    static func foldedWords(ofChunk chunk: [UInt8]) -> [[UInt8]] {
        let text = String(decoding: chunk, as: UTF8.self)
        var word: [UInt8] = []
        word.reserveCapacity(chunk.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                word.append(asciiLowercased(UInt8(value)))
            } else if value >= 0x300 && value <= 0x36F {
                continue  // a combining mark: dropped, as diacritic folding does
            } else if value >= 0xC0 && value < 0x180, case let base = latinBases[Int(value - 0xC0)], base != 0x2E {
                word.append(base)
            } else {
                return foundationWords(text)
            }
        }
        return word.isEmpty ? [] : [word]
    }

    /// Words of `text` folded by Foundation and cut at characters that are neither letters nor digits.
    private static func foundationWords(_ text: String) -> [[UInt8]] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var words: [[UInt8]] = []
        var word = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(Array(word.utf8))
                word = ""
            }
        }
        if !word.isEmpty { words.append(Array(word.utf8)) }
        return words
    }

    /// For U+00C0…U+017F, the lower-case ASCII letter it decomposes into (with combining marks only), or
    /// `.` when it does not (Æ, Ø, ß, ı, …; those go through Foundation). Generated from Unicode's
    /// canonical decompositions.
    private static let latinBases: [UInt8] = Array(
        ("aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.y"
            + "aaaaaaccccccccdd..eeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll."
            + "...nnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzz.").utf8)

    /// `0`…`9`, `A`…`Z`, `a`…`z`.
    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte &- 0x30) < 10 || ((byte | 0x20) &- 0x61) < 26
    }

    /// The lower-case form of an ASCII letter; any other byte as it is.
    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte &- 0x41) < 26 ? byte | 0x20 : byte
    }
}
