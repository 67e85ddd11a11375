public import SwitchboardBus

/// Transcript lines as each page receives them.
public enum TranscriptLines {
    /// A line for the agent's and supervisor's pages: whispers included, with their audience.
    public static func staff(_ message: GatewayTranscriptMessage, people: People, customerName: String? = nil) -> JSON {
        [
            "number": .number(message.number), "role": .string(message.role),
            "author": .string(
                people.displayName(author: message.author, role: message.role, customerName: customerName)),
            "text": .string(message.text), "audience": .string(message.audience),
            "at": message.at.map(JSON.int) ?? .null,
        ]
    }

    /// A line for the customer's side, or nil for a whisper (which the customer never receives).
    public static func customer(_ message: GatewayTranscriptMessage, people: People, customerName: String? = nil)
        -> JSON?
    {
        guard !message.isWhisper else { return nil }
        return [
            "number": .number(message.number), "role": .string(message.role),
            "author": .string(
                people.displayName(author: message.author, role: message.role, customerName: customerName)),
            "text": .string(message.text), "at": message.at.map(JSON.int) ?? .null,
        ]
    }
}
