/// Topic rules of the bus: dot-separated segments, the first is the family
/// (`conv.c-123.assigned` → family `conv`). Ids inside topics may not contain dots.
public enum Topic {
    /// The families docs/PROTOCOL.md §2 lists. A publisher may use others; consumers filter by prefix.
    public static let knownFamilies: Set<String> = [
        "conv", "agent", "queue", "sticky", "presence", "desk", "assist", "alert", "monitor", "sys",
    ]

    /// Topics longer than this are refused (they are ZeroMQ subscription keys, kept short).
    public static let bytesMax = 256

    /// The family of a topic or prefix: everything before the first dot.
    public static func family(of topic: some StringProtocol) -> Substring {
        let text = Substring(topic)
        // Scan the UTF-8 bytes: a dot is ASCII, and this sits on the hot path of every event.
        if let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) { return text[..<dot] }
        return text
    }

    /// The family of a topic given as bytes, without building a String for the rest.
    static func family(ofBytes topic: [UInt8]) -> String? {
        let end = topic.firstIndex(of: UInt8(ascii: ".")) ?? topic.count
        guard end > 0, end <= 32 else { return nil }
        return String(validating: topic[0..<end], as: UTF8.self)
    }

    /// Why `topic` is not a valid event topic, or nil when it is.
    public static func problem(with topic: String) -> String? {
        // Over its contiguous bytes: every received event's topic is checked.
        var contiguous = topic
        return contiguous.withUTF8 { bytes in problem(with: topic, bytes: bytes) }
    }

    private static func problem(with topic: String, bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.isEmpty { return "the topic is empty" }
        if bytes.count > bytesMax { return "the topic is longer than \(bytesMax) bytes" }
        var dots = 0
        var previousWasDot = true  // a leading dot is an empty first segment
        for byte in bytes {
            if byte <= 0x20 || byte == 0x7F { return "the topic '\(topic)' contains a space or control character" }
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return "the topic '\(topic)' has an empty segment" }
                dots += 1
                previousWasDot = true
            } else {
                previousWasDot = false
            }
        }
        if dots == 0 { return "the topic '\(topic)' has no family segment followed by a dot" }
        if previousWasDot { return "the topic '\(topic)' has an empty segment" }
        return nil
    }
}
