public import SwitchboardBus
public import SwitchboardRouting

/// A supervisor's intervention in progress,
/// `monitor.intervention.<conversationId>:<supervisorId>` (docs/PROTOCOL.md §6.5).
public struct MonitorInterventionItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case observe
        case listen
        case whisper
        case barge
    }

    public var conversationId: ConversationID
    public var supervisorId: AgentID
    public var channel: Channel
    public var kind: Kind
    public var startedAt: RoutingInstant
    public var messagesSent: Int

    public init(
        conversationId: ConversationID, supervisorId: AgentID, channel: Channel, kind: Kind, startedAt: RoutingInstant,
        messagesSent: Int
    ) {
        self.conversationId = conversationId
        self.supervisorId = supervisorId
        self.channel = channel
        self.kind = kind
        self.startedAt = startedAt
        self.messagesSent = messagesSent
    }

    /// The item's key.
    public var key: String { "monitor.intervention.\(conversationId):\(supervisorId)" }

    public var json: JSON {
        [
            "conversationId": .string(conversationId.rawValue), "supervisorId": .string(supervisorId.rawValue),
            "channel": .string(channel.rawValue), "kind": .string(kind.rawValue),
            "startedAt": .int(startedAt.millisecondsSinceEpoch), "messagesSent": .number(messagesSent),
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.intervention item")
        self.init(
            conversationId: try fields.identifier("conversationId"),
            supervisorId: try fields.identifier("supervisorId"),
            channel: try fields.oneOf("channel"), kind: try fields.oneOf("kind"),
            startedAt: try fields.instant("startedAt"),
            messagesSent: try fields.int("messagesSent"))
    }
}
