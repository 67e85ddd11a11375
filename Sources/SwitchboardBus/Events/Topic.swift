/// Topic rules of the bus: dot-separated segments, the first is the family
/// (`conv.c-123.assigned` → family `conv`). Ids inside topics may not contain dots.
public enum Topic {
    /// The families of DESIGN §2. A publisher may use others; consumers filter by prefix.
    public static let knownFamilies: Set<String> = [
        "conv", "agent", "queue", "sticky", "presence", "desk", "assist", "alert", "monitor", "sys",
    ]

    /// Topics longer than this are refused (they are ZeroMQ subscription keys, kept short).
    public static let bytesMax = 256

    /// The family of a topic or prefix: everything before the first dot.
    public static func family(of topic: some StringProtocol) -> Substring {
        let text = Substring(topic)
        if let dot = text.firstIndex(of: ".") { return text[..<dot] }
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
        if topic.isEmpty { return "the topic is empty" }
        if topic.utf8.count > bytesMax { return "the topic is longer than \(bytesMax) bytes" }
        let segments = topic.split(separator: ".", omittingEmptySubsequences: false)
        if segments.count < 2 { return "the topic '\(topic)' has no family segment followed by a dot" }
        if segments.contains(where: \.isEmpty) { return "the topic '\(topic)' has an empty segment" }
        for byte in topic.utf8 where byte <= 0x20 || byte == 0x7F {
            return "the topic '\(topic)' contains a space or control character"
        }
        return nil
    }
}
