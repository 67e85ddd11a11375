import Foundation
public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWorkspace

/// One conversation as the monitor follows it: the router's item (`conv.<id>`), when it last
/// started waiting, and its latest messages (enough to judge silences and sentiment).
public struct MonitoredConversation: Sendable, Equatable {
    public var id: ConversationID
    public var customer: CustomerID
    public var channel: Channel
    public var queue: QueueID
    public var state: ConversationState
    public var agent: AgentID?
    public var openedAtMillis: Int64
    public var assignedAtMillis: Int64?
    public var endedAtMillis: Int64?
    /// The rule of the last offer or assignment (`sticky`, `skills`, `fallbackStep(2)`, ...).
    public var rule: String?
    public var transfers: Int
    /// When it last started waiting for an agent (opened, re-queued, transferred).
    public var waitingSinceMillis: Int64?
    /// The latest messages, oldest first, at most `messagesKept`.
    public var messages: [MessageNote]

    /// Messages kept per conversation: health reads the last few customer messages and the
    /// time of the last message of each side.
    public static let messagesKept = 24

    /// A transcript line as health needs it: who, when, and the customer's words.
    public struct MessageNote: Sendable, Equatable {
        /// The router's number of the message in its conversation (1, 2, …), when known.
        public var number: Int?
        public var role: String
        public var atMillis: Int64
        /// Kept for the customer's messages only (sentiment); nil otherwise.
        public var text: String?
        /// `everyone` or `agent` (a whisper).
        public var audience: String

        public init(number: Int? = nil, role: String, atMillis: Int64, text: String?, audience: String) {
            self.number = number
            self.role = role
            self.atMillis = atMillis
            self.text = role == "customer" ? text : nil
            self.audience = audience
        }

        /// Reads a transcript message (`{number, role, author, text, audience, at}`).
        public init?(json: JSON) {
            guard let role = json["role"]?.stringValue, let at = json["at"]?.intValue else { return nil }
            self.init(
                number: json["number"]?.intValue.map { Int($0) }, role: role, atMillis: at, text: json["text"]?.stringValue,
                audience: json["audience"]?.stringValue ?? "everyone")
        }
    }

    /// Reads the router's conversation item; nil when it lacks what the monitor needs.
    public init?(item: JSON) {
        guard let id = item["conversationId"]?.stringValue, let customer = item["customerId"]?.stringValue,
            let channelName = item["channel"]?.stringValue, let channel = Channel(rawValue: channelName),
            let queue = item["queue"]?.stringValue, let stateName = item["state"]?.stringValue,
            let state = ConversationState(rawValue: stateName), let openedAt = item["openedAt"]?.intValue
        else { return nil }
        self.id = ConversationID(id)
        self.customer = CustomerID(customer)
        self.channel = channel
        self.queue = QueueID(queue)
        self.state = state
        self.agent = item["agentId"]?.stringValue.map(AgentID.init)
        self.openedAtMillis = openedAt
        self.assignedAtMillis = item["assignedAt"]?.intValue
        self.endedAtMillis = item["endedAt"]?.intValue
        self.rule = item["rule"]?.stringValue
        self.transfers = Int(item["transfers"]?.intValue ?? 0)
        self.waitingSinceMillis = state == .queued || state == .offered ? openedAt : nil
        self.messages = []
    }

    /// Takes the router's newer item, keeping what the item does not carry.
    public mutating func update(from item: JSON) {
        guard var next = MonitoredConversation(item: item) else { return }
        next.messages = messages
        let waitsNow = next.state == .queued || next.state == .offered
        let waitedBefore = state == .queued || state == .offered
        if waitsNow {
            next.waitingSinceMillis = waitedBefore ? waitingSinceMillis ?? next.openedAtMillis : next.openedAtMillis
        } else {
            next.waitingSinceMillis = nil
        }
        if next.isEnded { next.messages.removeAll() }
        self = next
    }

    /// Closed, abandoned, or closed and in wrap-up: nothing left to supervise.
    public var isEnded: Bool { state == .closed || state == .abandoned || state == .wrapUp }

    /// True while it waits for an agent (queued, or offered and not yet accepted).
    public var isWaiting: Bool { state == .queued || state == .offered }

    mutating func record(_ message: MessageNote) {
        guard !isEnded else { return }
        // The transcript snapshot is taken after the conversations' one, so a message can come
        // both in it and as an event applied after it: keep it once.
        if let number = message.number, let last = messages.last?.number, number <= last { return }
        messages.append(message)
        if messages.count > Self.messagesKept { messages.removeFirst(messages.count - Self.messagesKept) }
    }

    /// Its history as the workspace's health model reads it.
    public var timeline: ConversationTimeline {
        func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1_000) }
        var entries: [ConversationTimeline.Entry] = []
        // Transfers happened before the current wait or assignment; only their number counts.
        for _ in 0..<max(0, min(transfers, 50)) {
            entries.append(.init(at: date(openedAtMillis), event: .transferred))
        }
        if isEnded {
            entries.append(.init(at: date(endedAtMillis ?? openedAtMillis), event: .closed))
        } else if isWaiting {
            entries.append(.init(at: date(waitingSinceMillis ?? openedAtMillis), event: .queued(queue: queue)))
        } else if let agent {
            entries.append(.init(at: date(assignedAtMillis ?? openedAtMillis), event: .assigned(agent: agent)))
        }
        for message in messages {
            let event: ConversationTimeline.Event?
            switch message.role {
            case "customer": event = .customerMessage(text: message.text ?? "")
            case "agent": event = .agentMessage
            case "supervisor": event = .supervisorMessage(kind: message.audience == "agent" ? .whisper : .barge)
            default: event = nil
            }
            if let event { entries.append(.init(at: date(message.atMillis), event: event)) }
        }
        // Stable: at equal times lifecycle entries (added first) stay ahead of messages.
        let ordered = entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        return ConversationTimeline(conversation: id, channel: channel, entries: ordered.map(\.element))
    }
}
