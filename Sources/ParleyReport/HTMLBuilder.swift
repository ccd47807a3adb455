/// Builds HTML (and the SVG inside it) as text, escaping every piece of data in one place.
///
/// Text goes through ``escapeText(_:)`` and attribute values through ``escapeAttribute(_:)``; element and
/// attribute names are the program's own and must be plain names (a name with anything else is a
/// programmer error and traps). Only ``raw(_:)`` writes text as given: for the style sheet and the doctype,
/// which the program writes itself.
///
/// ```swift
/// var html = HTMLBuilder()
/// html.element("p", ["class": "note"]) { $0.text("5 < 6 & \"so\"") }
/// // <p class="note">5 &lt; 6 &amp; "so"</p>
/// ```
public struct HTMLBuilder: Sendable {
    /// The text built so far.
    public private(set) var output = ""

    /// An empty builder.
    public init() {}

    /// Writes `text` as element content, escaped.
    /// - Parameter text: any text, data included.
    public mutating func text(_ text: String) {
        output += Self.escapeText(text)
    }

    /// Writes `markup` as given. Only for text the program itself wrote (style sheet, doctype), never data.
    /// - Parameter markup: trusted markup.
    public mutating func raw(_ markup: String) {
        output += markup
    }

    /// Writes an element with its attributes and the content `body` writes.
    /// - Parameters:
    ///   - name: the element's name, e.g. `section` or `rect`.
    ///   - attributes: name and value pairs, written in this order; values are escaped.
    ///   - body: writes the content.
    public mutating func element(
        _ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ body: (inout HTMLBuilder) -> Void
    ) {
        open(name, attributes)
        body(&self)
        output += "</" + name + ">"
    }

    /// Writes an element whose content is `text`, escaped.
    /// - Parameters:
    ///   - name: the element's name.
    ///   - attributes: name and value pairs; values are escaped.
    ///   - text: the content.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) {
        open(name, attributes)
        output += Self.escapeText(text)
        output += "</" + name + ">"
    }

    /// Writes an element without content: `<meta …>` for HTML's void elements, `<rect …/>` (``selfClosing``)
    /// for SVG's.
    /// - Parameters:
    ///   - name: the element's name.
    ///   - attributes: name and value pairs; values are escaped.
    ///   - selfClosing: whether to close it with `/>` (SVG) rather than `>` (HTML void elements).
    public mutating func empty(
        _ name: String, _ attributes: KeyValuePairs<String, String> = [:], selfClosing: Bool = false
    ) {
        writeStart(name, attributes)
        output += selfClosing ? "/>" : ">"
    }

    private mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        writeStart(name, attributes)
        output += ">"
    }

    private mutating func writeStart(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        precondition(Self.isName(name), "not an element name: \(name)")
        output += "<" + name
        for (key, value) in attributes {
            precondition(Self.isName(key), "not an attribute name: \(key)")
            output += " " + key + "=\"" + Self.escapeAttribute(value) + "\""
        }
    }

    /// `text` made safe as element content: `&`, `<` and `>` become references; control characters HTML
    /// forbids (C0 but tab, line feed and carriage return; DEL; C1) become U+FFFD.
    /// - Parameter text: any text.
    /// - Returns: the escaped text.
    public static func escapeText(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// `text` made safe inside a double- or single-quoted attribute value: as ``escapeText(_:)``, and `"`
    /// and `'` become references as well.
    /// - Parameter text: any text.
    /// - Returns: the escaped text.
    public static func escapeAttribute(_ text: String) -> String {
        escape(text, quotes: true)
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `name` is a plain element or attribute name: ASCII letters, digits, `-` and `:`, starting
    /// with a letter.
    static func isName(_ name: String) -> Bool {
        guard let first = name.utf8.first, Self.isLetter(first) else { return false }
        return name.utf8.allSatisfy { Self.isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x3A }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}
