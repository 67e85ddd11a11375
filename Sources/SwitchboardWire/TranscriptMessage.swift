public import SwitchboardBus
public import SwitchboardRouting

/// One line of a conversation's transcript as the router keeps and publishes it: the data of
/// `conversation.message` (besides `conversationId`, `key`, `item`), an element of a
/// `transcript.<id>` item and of the `conversation.transcript` result (docs/PROTOCOL.md §6.1).
///
/// `Codable` only for the router's own journal and checkpoints (their layout predates this
/// type and is kept); the bus reads and writes it with `json` and `init(json:)`.
public struct TranscriptMessage: Sendable, Hashable, Codable {
    /// Who wrote it.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case customer
        case agent
        case supervisor
        case system
    }

    /// Who sees it. A whisper is `agent`: the customer's side never receives it.
    public enum Audience: String, Sendable, Hashable, Codable, CaseIterable {
        case everyone
        case agent
    }

    /// Position in the transcript, from 1.
    public var number: Int
    public var role: Role
    /// The author's name or id as the sender gave it.
    public var author: String
    public var text: String
    public var audience: Audience
    public var at: RoutingInstant

    public init(number: Int, role: Role, author: String, text: String, audience: Audience, at: RoutingInstant) {
        self.number = number
        self.role = role
        self.author = author
        self.text = text
        self.audience = audience
        self.at = at
    }

    /// True for a whisper: only the agent's side sees it.
    public var isWhisper: Bool { audience == .agent }

    public var json: JSON {
        [
            "number": .number(number), "role": .string(role.rawValue), "author": .string(author), "text": .string(text),
            "audience": .string(audience.rawValue), "at": .int(at.millisecondsSinceEpoch),
        ]
    }

    /// Reads a message; `json` may carry other members too (an event's `conversationId`, `key`, `item`).
    public init(json: JSON) throws(WireError) {
        try self.init(json: json, item: "transcript message", path: "")
    }

    /// Reads a message at `path` inside `item` (an element of a transcript item).
    public init(json: JSON, item: String, path: String) throws(WireError) {
        let fields = try WireFields(json, item: item, path: path)
        let number = try fields.int("number")
        guard number >= 1 else {
            throw fields.error("number", expected: "a position from 1", found: .number(number))
        }
        self.init(
            number: number, role: try fields.oneOf("role"), author: try fields.string("author"),
            text: try fields.string("text"), audience: try fields.oneOf("audience"), at: try fields.instant("at"))
    }
}
