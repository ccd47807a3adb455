import Testing

@testable import ParleyReport

/// The one place that escapes: text, attribute values, control characters, and how elements nest.
@Suite struct HTMLBuilderTests {
    @Test func textEscapesAmpersandAndAngleBrackets() {
        #expect(HTMLBuilder.escapeText("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d")
        #expect(HTMLBuilder.escapeText("</p><script>x</script>") == "&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;")
        // Quotes are harmless in text and stay readable there.
        #expect(HTMLBuilder.escapeText(#"say "hi" 'you'"#) == #"say "hi" 'you'"#)
        // An existing reference is data too: escaped again, shown as typed.
        #expect(HTMLBuilder.escapeText("&amp;") == "&amp;amp;")
    }

    @Test func attributeValuesEscapeBothQuotes() {
        #expect(
            HTMLBuilder.escapeAttribute(#"x" onload="alert('1')""#)
                == "x&quot; onload=&quot;alert(&#39;1&#39;)&quot;")
        #expect(HTMLBuilder.escapeAttribute("<&>") == "&lt;&amp;&gt;")
    }

    @Test func forbiddenControlCharactersBecomeReplacementCharacters() {
        #expect(HTMLBuilder.escapeText("a\u{0}b\u{1B}c\u{7F}d\u{85}e") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e")
        #expect(HTMLBuilder.escapeText("tab\tline\ncr\r") == "tab\tline\ncr\r")
        #expect(HTMLBuilder.escapeText("café 🙂 ↑") == "café 🙂 ↑")
    }

    @Test func elementsNestWithAttributesInOrder() {
        var html = HTMLBuilder()
        html.element("p", ["class": "note", "title": "5 > 4"]) { p in
            p.text("x & y")
            p.element("b", text: "<b>")
        }
        #expect(html.output == #"<p class="note" title="5 &gt; 4">x &amp; y<b>&lt;b&gt;</b></p>"#)
    }

    @Test func emptyElementsCloseAsHTMLOrSVGWants() {
        var html = HTMLBuilder()
        html.empty("meta", ["charset": "utf-8"])
        html.empty("rect", ["x": "1"], selfClosing: true)
        #expect(html.output == #"<meta charset="utf-8"><rect x="1"/>"#)
    }

    @Test func rawWritesTrustedMarkupAsGiven() {
        var html = HTMLBuilder()
        html.raw("<!DOCTYPE html>")
        html.text("<")
        #expect(html.output == "<!DOCTYPE html>&lt;")
    }

    @Test func onlyPlainNamesAreNames() {
        #expect(HTMLBuilder.isName("viewBox"))
        #expect(HTMLBuilder.isName("aria-hidden"))
        #expect(HTMLBuilder.isName("xlink:href"))
        #expect(!HTMLBuilder.isName(""))
        #expect(!HTMLBuilder.isName("1x"))
        #expect(!HTMLBuilder.isName("on load"))
        #expect(!HTMLBuilder.isName("a\"b"))
        #expect(!HTMLBuilder.isName("a>b"))
    }
}
