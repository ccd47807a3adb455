/// Reduces HTML to readable text: tags stripped, script/style/title/head-comment content dropped, common
/// entities decoded, block tags turned into line breaks, runs of whitespace collapsed, blank lines collapsed
/// to one. `&nbsp;` becomes a plain space. Not an HTML parser: it is meant for mail bodies.
public enum HTMLText {
    private static let blockTags: Set<String> = [
        "p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
        "pre", "hr", "section", "article", "header", "footer", "address", "dl", "dt", "dd", "body", "html",
    ]
    private static let droppedTags: Set<String> = ["script", "style", "title", "head"]
    private static let namedEntities: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
    ]

    /// The text of `html`.
    public static func text(fromHTML html: String) -> String {
        let input = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var index = 0
        var noCloseFrom: Int?

        func nextClose(_ start: Int) -> Int? { input[(start + 1)...].firstIndex(of: ">") }
        func emit(_ scalar: Unicode.Scalar) {
            if pendingSpace, let last = out.last, last != "\n" { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        func newline() {
            pendingSpace = false
            out.append("\n")
        }

        while index < input.count {
            let scalar = input[index]
            if scalar == "<" {
                if matches(input, at: index, "<!--") {
                    index = find(input, "-->", from: index + 4).map { $0 + 3 } ?? input.count
                    continue
                }
                // Once no `>` follows some `<`, none follows any later one: remember that, so a run of `<`
                // without `>` costs linear, not quadratic, time.
                let close: Int? = if let noCloseFrom, noCloseFrom <= index { nil } else { nextClose(index) }
                guard let close else {
                    noCloseFrom = index
                    emit(scalar)
                    index += 1
                    continue
                }
                var nameStart = index + 1
                let closing = nameStart < close && input[nameStart] == "/"
                if closing { nameStart += 1 }
                var name = ""
                var cursor = nameStart
                while cursor < close, input[cursor].properties.isAlphabetic || ("0"..."9").contains(input[cursor]) {
                    name.unicodeScalars.append(input[cursor])
                    cursor += 1
                }
                name = name.lowercased()
                index = close + 1
                if !closing && droppedTags.contains(name) {
                    if let end = find(input, "</" + name, from: index, caseInsensitive: true) {
                        index = input[end...].firstIndex(of: ">").map { $0 + 1 } ?? input.count
                    } else {
                        index = input.count
                    }
                    continue
                }
                if blockTags.contains(name) {
                    newline()
                } else if name == "td" || name == "th" {
                    pendingSpace = true
                }
                continue
            }
            if scalar == "&", let (decoded, next) = entity(input, at: index) {
                emit(decoded)
                index = next
                continue
            }
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" {
                pendingSpace = true
            } else {
                emit(scalar)
            }
            index += 1
        }

        var lines: [String] = []
        for line in String(out).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = String(line).trimmingWhitespace
            if trimmed.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Decodes `&name;`, `&#NNN;` or `&#xHH;` at `start`; `nil` when it is not one we know.
    private static func entity(_ input: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        var end = start + 1
        while end < input.count && end - start <= 10 && input[end] != ";" { end += 1 }
        guard end < input.count, input[end] == ";", end > start + 1 else { return nil }
        let body = String(String.UnicodeScalarView(input[(start + 1)..<end]))
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value else { return nil }
            return (Unicode.Scalar(value) ?? "\u{FFFD}", end + 1)
        }
        guard let scalar = namedEntities[body.lowercased()] else { return nil }
        return (scalar, end + 1)
    }

    private static func matches(
        _ input: [Unicode.Scalar], at index: Int, _ text: String, caseInsensitive: Bool = false
    ) -> Bool {
        let pattern = Array(text.unicodeScalars)
        guard index + pattern.count <= input.count else { return false }
        for (offset, scalar) in pattern.enumerated() {
            let candidate = input[index + offset]
            if candidate == scalar { continue }
            if caseInsensitive, candidate.properties.lowercaseMapping == String(scalar) { continue }
            return false
        }
        return true
    }

    private static func find(
        _ input: [Unicode.Scalar], _ text: String, from start: Int, caseInsensitive: Bool = false
    ) -> Int? {
        var index = start
        while index < input.count {
            if matches(input, at: index, text, caseInsensitive: caseInsensitive) { return index }
            index += 1
        }
        return nil
    }
}
