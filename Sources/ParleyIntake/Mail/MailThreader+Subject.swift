extension MailThreader {
    /// Reply and forward prefixes, lowercased, in the languages mail clients commonly use: English
    /// (`Re`, `Fwd`, `Fw`), German (`AW`, `WG`), Scandinavian (`SV`, `VS`, `VL`), Dutch (`Antw`),
    /// French (`TR`), Spanish/Portuguese (`RV`, `Res`, `Enc`), Italian (`R`, `Rif`), Polish (`Odp`),
    /// Turkish (`YNT`) and Chinese (`回复`, `回覆`, `答复`, `转发`, `轉寄`).
    static let subjectPrefixes = [
        "re", "fwd", "fw", "aw", "wg", "sv", "vs", "vl", "antw", "tr", "rv", "res", "enc", "r", "rif", "odp", "ynt",
        "回复", "回覆", "答复", "转发", "轉寄",
    ]

    /// The subject used to compare messages: lowercased, whitespace runs collapsed to one space, and
    /// leading reply/forward prefixes (``subjectPrefixes``, each followed by `:` or `：`, optionally
    /// counted as `Re[2]:` or `Re(2):`) and bracket tags (`[ticket #123]`, `[list-name]`, up to 80
    /// characters) removed, repeatedly: `Re: AW: [ticket #123] Fwd:  Printer` → `printer`. Only the first
    /// 1,000 characters are considered.
    public static func normalizedSubject(_ subject: String) -> String {
        var text = Substring(
            subject.prefix(1000).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " "))
        var changed = true
        while changed && !text.isEmpty {
            changed = false
            text = text.drop(while: \.isWhitespace)
            if text.first == "[", let close = text.prefix(81).firstIndex(of: "]") {
                text = text[text.index(after: close)...]
                changed = true
                continue
            }
            for prefix in subjectPrefixes where text.hasPrefix(prefix) {
                var rest = text.dropFirst(prefix.count).drop(while: { $0 == " " })
                if let open = rest.first, open == "[" || open == "(" {
                    let close: Character = open == "[" ? "]" : ")"
                    let inner = rest.dropFirst().prefix(while: \.isNumber)
                    if !inner.isEmpty, inner.count <= 4, rest.dropFirst(1 + inner.count).first == close {
                        rest = rest.dropFirst(2 + inner.count).drop(while: { $0 == " " })
                    }
                }
                if let colon = rest.first, colon == ":" || colon == "：" {
                    text = rest.dropFirst()
                    changed = true
                    break
                }
            }
        }
        return String(text.drop(while: \.isWhitespace)).trimmingSuffixWhitespace()
    }
}

extension String {
    fileprivate func trimmingSuffixWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
