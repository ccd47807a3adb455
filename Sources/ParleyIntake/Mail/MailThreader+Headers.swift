extension MailThreader.Message {
    /// Reads the threading facts from a raw message (header, empty line, body). Only the header fields
    /// needed here are read (unfolded, not MIME-decoded: an RFC 2047 encoded subject is compared as
    /// written): `Message-ID`, `In-Reply-To`, `References`, `Subject`, `From`, `To`, `Cc` and `Date`
    /// (an unreadable date becomes `nil`). A message without a usable Message-ID gets
    /// ``MailThreader/syntheticMessageID(date:from:subject:bodyPrefix:)``. Never fails; the header is
    /// read up to 256 KiB.
    public init(parsing bytes: [UInt8]) {
        let (fields, bodyStart) = MailThreader.headerFields(bytes)
        func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
        let subject = value("subject") ?? ""
        let from = value("from") ?? ""
        let dateText = value("date") ?? ""
        let participants = ["from", "to", "cc"].flatMap { name in
            fields.filter { $0.name == name }.flatMap { MailThreader.addresses(in: $0.value) }
        }
        let id =
            MailThreader.messageIDs(in: value("message-id") ?? "").first
            ?? MailThreader.syntheticMessageID(
                date: dateText, from: from, subject: subject, bodyPrefix: Array(bytes[bodyStart...].prefix(512)))
        self.init(
            messageID: id, inReplyTo: MailThreader.messageIDs(in: value("in-reply-to") ?? "").first,
            references: MailThreader.messageIDs(in: value("references") ?? ""), subject: subject,
            participants: Set(participants), date: try? MailDate.parse(dateText))
    }
}

extension MailThreader {
    /// The ids in a `Message-ID`, `In-Reply-To` or `References` value: the text inside each `<…>`, with
    /// whitespace removed (folded ids); a value without brackets that is one word is taken whole. At most
    /// 10,000 ids.
    public static func messageIDs(in value: String) -> [String] {
        var ids: [String] = []
        var current: String?
        for character in value {
            if character == "<" {
                current = ""
            } else if character == ">" {
                if let id = current, !id.isEmpty, id.utf8.count <= 998 { ids.append(id) }
                current = nil
                if ids.count >= 10_000 { break }
            } else if !character.isWhitespace {
                current?.append(character)
            }
        }
        if ids.isEmpty, !value.contains("<") {
            let words = value.split(whereSeparator: \.isWhitespace)
            if words.count == 1, let word = words.first, word.utf8.count <= 998 { ids.append(String(word)) }
        }
        return ids
    }

    /// The lowercased addresses in an address-list value (`"Bob, Jr." <Bob@Example.com>, ann@x.org`):
    /// the text inside `<…>` when an item has it, otherwise the item without comments; items without `@`
    /// are dropped. Not MIME-decoded.
    public static func addresses(in value: String) -> [String] {
        var items: [String] = []
        var item = ""
        var quoted = false
        var angle = false
        var comment = 0
        var escaped = false
        for character in value.prefix(100_000) {
            if escaped {
                escaped = false
                if comment == 0 { item.append(character) }
                continue
            }
            switch character {
            case "\\" where quoted || comment > 0: escaped = true
            case "\"" where comment == 0: quoted.toggle()
            case "(" where !quoted: comment += 1
            case ")" where !quoted && comment > 0: comment -= 1
            case "<" where !quoted && comment == 0:
                angle = true
                item = "<"
            case ">" where !quoted && comment == 0 && angle:
                angle = false
                item.append(">")
            case ",", ";":
                if !quoted && comment == 0 && !angle {
                    items.append(item)
                    item = ""
                } else if comment == 0 {
                    item.append(character)
                }
            default:
                if comment == 0 && !quoted { item.append(character) }
            }
        }
        items.append(item)
        return items.compactMap { raw in
            var address = Substring(raw)
            if let open = address.firstIndex(of: "<") {
                address = address[address.index(after: open)...].prefix { $0 != ">" }
            } else if let colon = address.firstIndex(of: ":") {
                address = address[address.index(after: colon)...]
            }
            let trimmed = address.filter { !$0.isWhitespace }.lowercased()
            return trimmed.contains("@") ? trimmed : nil
        }
    }

    /// Unfolded header fields (name lowercased, value without its line breaks) and the body's offset.
    static func headerFields(_ bytes: [UInt8]) -> (fields: [(name: String, value: String)], bodyStart: Int) {
        var fields: [(name: String, value: String)] = []
        var position = 0
        let limit = min(bytes.count, 256 * 1024)
        var name: [UInt8]?
        var value: [UInt8] = []
        func flush() {
            if let name {
                fields.append(
                    (
                        String(decoding: name, as: UTF8.self).lowercased(),
                        String(decoding: value, as: UTF8.self).trimmingCharacters(in: " \t")
                    ))
            }
            name = nil
            value = []
        }
        while position < limit {
            let end = bytes[position..<limit].firstIndex(of: 0x0A) ?? limit
            var line = bytes[position..<end]
            let next = end + 1
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty {
                flush()
                return (fields, min(next, bytes.count))
            }
            if let first = line.first, first == 0x20 || first == 0x09 {
                if name != nil { value.append(contentsOf: line) }
            } else {
                flush()
                if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                    var fieldName = line[line.startIndex..<colon]
                    while fieldName.last == 0x20 || fieldName.last == 0x09 { fieldName.removeLast() }
                    name = Array(fieldName)
                    value = Array(line[(colon + 1)...])
                }
            }
            position = next
        }
        flush()
        return (fields, min(position, bytes.count))
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
