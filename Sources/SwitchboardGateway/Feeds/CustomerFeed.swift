public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire

/// What one customer's chat (socket or event stream) receives, as a value type: the whole
/// customer-visible transcript once, then each new line in order, never a whisper, and the
/// conversation's state whenever what the customer sees of it changes. The shell feeds it facts
/// and sends what it returns.
public struct CustomerFeed: Sendable {
    /// What the customer is shown about their conversation.
    public struct Status: Sendable, Equatable {
        public var state: String
        public var agentName: String?
        public var estimatedWaitSeconds: Int?
        public var queueName: String
        public var endedReason: String?
        /// With `endedReason` `queue-closed`: when the queue opens (UTC, ISO 8601) and its time zone.
        public var opensAt: String? = nil
        public var timeZone: String? = nil
    }

    public let conversationId: String
    public let people: People
    private var lastNumber: Int?
    private var pending: [TranscriptMessage] = []
    private var lastStatus: Status?

    /// The name the customer gave, for their own lines ("Customer" without one).
    public let customerName: String?

    public init(conversationId: String, people: People, customerName: String? = nil) {
        self.conversationId = conversationId
        self.people = people
        self.customerName = customerName
    }

    /// The status from the router's conversation (nil: not seen yet), the assigned agent's name,
    /// the monitor's estimate and the reason the gateway recorded, if the customer's side ended it.
    /// `hours` (the monitor's, for the queue) says when a queue that closed on the customer opens.
    public static func status(
        conversation: ConversationItem?, agentName: String?, estimatedWaitSeconds: Int?, queueName: String,
        recordedEndReason: String?, hours: MonitorQueueItem.Hours? = nil
    ) -> Status {
        let state: String
        var endedReason: String? = nil
        if recordedEndReason != nil || conversation?.isOverForCustomer == true {
            state = "ended"
            if let recordedEndReason {
                endedReason = recordedEndReason
            } else if conversation?.state == .abandoned {
                endedReason = conversation?.endCause == "queue-closed" ? "queue-closed" : "customer-left"
            } else {
                endedReason = "closed-by-agent"
            }
        } else if conversation?.state == .assigned {
            state = "connected"
        } else {
            state = "waiting"
        }
        let closed = endedReason == "queue-closed"
        return Status(
            state: state, agentName: state == "connected" ? agentName : nil,
            estimatedWaitSeconds: state == "waiting" ? estimatedWaitSeconds : nil, queueName: queueName,
            endedReason: endedReason, opensAt: closed ? hours?.opensAt : nil, timeZone: closed ? hours?.timeZone : nil)
    }

    /// The `conversation` push when the status differs from the last one sent.
    public mutating func update(_ status: Status) -> JSON? {
        guard status != lastStatus else { return nil }
        lastStatus = status
        return [
            "type": "conversation", "conversationId": .string(conversationId), "state": .string(status.state),
            "agentName": .optional(status.agentName),
            "estimatedWaitSeconds": status.estimatedWaitSeconds.map { .number($0) } ?? .null,
            "queueName": .string(status.queueName), "endedReason": .optional(status.endedReason),
            "opensAt": .optional(status.opensAt), "timeZone": .optional(status.timeZone),
        ]
    }

    /// The whole transcript arrived (as the customer's side sees it): the `messages` push of
    /// every visible line, then of lines that came while it was on its way.
    public mutating func transcript(_ messages: [TranscriptMessage]) -> JSON {
        let last = messages.map(\.number).max() ?? 0
        let later = pending.filter { $0.number > last }.sorted { $0.number < $1.number }
        pending = []
        lastNumber = max(last, later.last?.number ?? 0)
        return Self.push(
            (messages + later).compactMap { TranscriptLines.customer($0, people: people, customerName: customerName) })
    }

    /// A new line: its push, or nil (a whisper, one already sent, or held until the transcript arrives).
    public mutating func message(_ message: TranscriptMessage) -> JSON? {
        guard let lastNumber else {
            if pending.count < 1_000 { pending.append(message) }
            return nil
        }
        guard message.number > lastNumber else { return nil }
        self.lastNumber = message.number
        guard let line = TranscriptLines.customer(message, people: people, customerName: customerName) else {
            return nil
        }
        return Self.push([line])
    }

    /// Whether the transcript has been sent (new lines flow).
    public var transcriptSent: Bool { lastNumber != nil }

    static func push(_ lines: [JSON]) -> JSON {
        ["type": "messages", "messages": .array(lines)]
    }
}
