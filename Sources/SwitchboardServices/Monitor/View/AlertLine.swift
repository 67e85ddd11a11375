public import SwitchboardBus
public import SwitchboardWire

/// An alert on the supervisor's view: the router's (skill too rare, queue overflow) and the
/// monitor's own (a conversation to escalate, a service not heard).
public struct AlertLine: Sendable, Equatable {
    /// Unique within its source, without dots (`escalation:c-7`, `skill-too-rare:chat-es:spanish:3`).
    public var id: String
    /// `router` or `monitor`.
    public var source: String
    /// `skill-too-rare`, `queue-overflow`, `escalation`, `service-not-heard`, ...
    public var kind: String
    /// `watch` or `intervene` for escalations; nil otherwise.
    public var level: String?
    public var sentence: String
    public var queue: String?
    public var conversation: String?
    /// When the monitor raised it (its own alerts), milliseconds since the Unix epoch.
    public var raisedAtMillis: Int64?

    public init(
        id: String, source: String, kind: String, level: String?, sentence: String, queue: String?,
        conversation: String?, raisedAtMillis: Int64?
    ) {
        self.id = id
        self.source = source
        self.kind = kind
        self.level = level
        self.sentence = sentence
        self.queue = queue
        self.conversation = conversation
        self.raisedAtMillis = raisedAtMillis
    }

    /// The wire item `monitor.alert.<source>:<id>` (and the monitor's own `alert.<id>`).
    public var wire: MonitorAlertItem {
        MonitorAlertItem(
            id: id, source: source, kind: kind, level: level, sentence: sentence, queue: queue,
            conversationId: conversation, raisedAt: raisedAtMillis)
    }

    public var json: JSON { wire.json }
}
