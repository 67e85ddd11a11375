public import SwitchboardBus

/// An alert on the supervisor's view, `monitor.alert.<source>:<id>`, and the monitor's own
/// alerts, `alert.<id>` (docs/PROTOCOL.md §6.5): the router's (skill too rare, queue overflow)
/// and the monitor's (a conversation to escalate, a service not heard).
public struct MonitorAlertItem: Sendable, Hashable {
    /// Unique within its source, without dots (`escalation:c-7`).
    public var id: String
    /// `router` or `monitor`.
    public var source: String
    /// `skill-too-rare`, `queue-overflow`, `escalation`, `service-not-heard`, …
    public var kind: String
    /// `watch` or `intervene` for escalations; nil otherwise.
    public var level: String?
    public var sentence: String
    public var queue: String?
    public var conversationId: String?
    /// When the monitor raised it (its own alerts), milliseconds since the Unix epoch.
    public var raisedAt: Int64?

    public init(
        id: String, source: String, kind: String, level: String?, sentence: String, queue: String?,
        conversationId: String?, raisedAt: Int64?
    ) {
        self.id = id
        self.source = source
        self.kind = kind
        self.level = level
        self.sentence = sentence
        self.queue = queue
        self.conversationId = conversationId
        self.raisedAt = raisedAt
    }

    public var json: JSON {
        [
            "id": .string(id), "source": .string(source), "kind": .string(kind), "level": .optional(level),
            "sentence": .string(sentence), "queue": .optional(queue), "conversationId": .optional(conversationId),
            "raisedAt": raisedAt.map(JSON.int) ?? .null,
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.alert item")
        self.init(
            id: try fields.string("id"), source: try fields.string("source"), kind: try fields.string("kind"),
            level: try fields.optionalString("level"), sentence: try fields.string("sentence"),
            queue: try fields.optionalString("queue"), conversationId: try fields.optionalString("conversationId"),
            raisedAt: try fields.optionalInt64("raisedAt"))
    }
}
