public import SwitchboardBus
public import SwitchboardRouting

/// A conversation's whole transcript, `transcript.<id>` (docs/PROTOCOL.md §6.1): sent only to
/// a snapshot request whose prefix names `transcript.`; `conversation.message` events extend it.
public struct TranscriptItem: Sendable, Hashable {
    public var conversationId: ConversationID
    /// Oldest first.
    public var messages: [TranscriptMessage]

    public init(conversationId: ConversationID, messages: [TranscriptMessage]) {
        self.conversationId = conversationId
        self.messages = messages
    }

    /// The item's key, `transcript.<id>`.
    public var key: String { "transcript.\(conversationId)" }

    public var json: JSON {
        ["conversationId": .string(conversationId.rawValue), "messages": .array(messages.map(\.json))]
    }

    public init(json: JSON) throws(WireError) {
        let item = "transcript item"
        let fields = try WireFields(json, item: item)
        self.init(
            conversationId: try fields.identifier("conversationId"),
            messages: try fields.elements("messages") { value, path throws(WireError) in
                try TranscriptMessage(json: value, item: item, path: path)
            })
    }

    /// Reads the item keeping every message that can be read and counting the others, for a
    /// consumer that would rather show most of a transcript than none of it; the item itself
    /// (its `conversationId`, its `messages` array) must still be readable.
    public static func readingEachMessage(_ json: JSON) throws(WireError) -> (item: TranscriptItem, unreadable: Int) {
        let item = "transcript item"
        let fields = try WireFields(json, item: item)
        var messages: [TranscriptMessage] = []
        var unreadable = 0
        for value in try fields.array("messages") {
            if let message = try? TranscriptMessage(json: value) { messages.append(message) } else { unreadable += 1 }
        }
        return (TranscriptItem(conversationId: try fields.identifier("conversationId"), messages: messages), unreadable)
    }
}
