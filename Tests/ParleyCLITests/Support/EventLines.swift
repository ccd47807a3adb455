/// Valid JSON Lines events for tests that need input but do not care about its details.
enum EventLines {
    /// A `note_added` event; `body` is padded with `bodyBytes` x's when given.
    static func note(_ index: Int, conversation: String? = nil, bodyBytes: Int = 0) -> String {
        let body = "note \(index)" + String(repeating: "x", count: bodyBytes)
        return #"{"type":"note_added","at":"2026-03-02T09:15:00Z","conversation":""#
            + (conversation ?? "c\(index)") + #"","author":"agent:ana","body":""# + body + #""}"#
    }

    /// `count` note events numbered from `start`.
    static func notes(_ count: Int, from start: Int = 1, bodyBytes: Int = 0) -> [String] {
        (start..<(start + count)).map { note($0, bodyBytes: bodyBytes) }
    }

    /// A mix of all eight types, `count` events long, with event times one minute apart.
    static func mixed(_ count: Int) -> [String] {
        (0..<count).map { index in
            let minute = index % 60
            let hour = 8 + index / 60 % 10
            let at = "2026-03-02T" + twoDigits(hour) + ":" + twoDigits(minute) + ":00Z"
            let conversation = "conv-\(index % 7)"
            switch index % 8 {
            case 0:
                return
                    #"{"type":"message_received","at":"\#(at)","conversation":"\#(conversation)","customer":"cust-\#(index)","channel":"email","body":"hello \#(index)"}"#
            case 1:
                return
                    #"{"type":"reply_sent","at":"\#(at)","conversation":"\#(conversation)","author":"agent:ana","body":"reply \#(index)"}"#
            case 2:
                return #"{"type":"assigned","at":"\#(at)","conversation":"\#(conversation)","assignee":"agent:bo"}"#
            case 3:
                return #"{"type":"status_changed","at":"\#(at)","conversation":"\#(conversation)","status":"pending"}"#
            case 4:
                return #"{"type":"categorized","at":"\#(at)","conversation":"\#(conversation)","category":"billing"}"#
            case 5:
                return
                    #"{"type":"note_added","at":"\#(at)","conversation":"\#(conversation)","author":"agent:ana","body":"note \#(index)"}"#
            case 6:
                return
                    #"{"type":"customer_linked","at":"\#(at)","customer":"cust-\#(index)","same_as":"cust-\#(index + 1)"}"#
            default:
                return #"{"type":"policy_set","at":"\#(at)","policy":{"first_response_minutes":\#(index)}}"#
            }
        }
    }

    /// Lines joined with `\n` after each, as bytes for standard input.
    static func input(_ lines: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(contentsOf: line.utf8)
            bytes.append(0x0A)
        }
        return bytes
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
