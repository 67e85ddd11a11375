public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire

/// Transcript lines as each page receives them.
public enum TranscriptLines {
    /// A line for the agent's and supervisor's pages: whispers included, with their audience.
    public static func staff(_ message: TranscriptMessage, people: People, customerName: String? = nil) -> JSON {
        [
            "number": .number(message.number), "role": .string(message.role.rawValue),
            "author": .string(
                people.displayName(author: message.author, role: message.role.rawValue, customerName: customerName)),
            "text": .string(message.text), "audience": .string(message.audience.rawValue),
            "at": .int(message.at.millisecondsSinceEpoch),
        ]
    }

    /// A line for the customer's side, or nil for a whisper (which the customer never receives).
    public static func customer(_ message: TranscriptMessage, people: People, customerName: String? = nil)
        -> JSON?
    {
        guard !message.isWhisper else { return nil }
        return [
            "number": .number(message.number), "role": .string(message.role.rawValue),
            "author": .string(
                people.displayName(author: message.author, role: message.role.rawValue, customerName: customerName)),
            "text": .string(message.text), "at": .int(message.at.millisecondsSinceEpoch),
        ]
    }
}
