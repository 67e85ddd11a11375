import Foundation
import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire
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
    public var openedAtMilliseconds: Int64
    public var assignedAtMilliseconds: Int64?
    public var endedAtMilliseconds: Int64?
    /// The rule of the last offer or assignment (`sticky`, `skills`, `fallbackStep(2)`, ...).
    public var rule: String?
    public var transfers: Int
    /// When it last started waiting for an agent (opened, re-queued, transferred).
    public var waitingSinceMilliseconds: Int64?
    /// The latest messages, oldest first, at most `messagesKept`.
    public var messages: [MessageNote]

    /// Messages kept per conversation: health reads the last few customer messages and the
    /// time of the last message of each side.
    public static let messagesKept = 24

    /// A transcript line as health needs it: who, when, and the customer's words. The monitor's
    /// own trim of the wire's `TranscriptMessage` (it keeps only the customer's text, for
    /// sentiment, so two dozen lines per conversation stay small), made from it in one place.
    public struct MessageNote: Sendable, Equatable {
        /// The router's number of the message in its conversation (1, 2, …).
        public var number: Int
        public var role: TranscriptMessage.Role
        public var atMilliseconds: Int64
        /// Kept for the customer's messages only (sentiment); nil otherwise.
        public var text: String?
        public var audience: TranscriptMessage.Audience

        public init(_ message: TranscriptMessage) {
            number = message.number
            role = message.role
            atMilliseconds = message.at.millisecondsSinceEpoch
            text = message.role == .customer ? message.text : nil
            audience = message.audience
        }
    }

    /// The monitor's copy of the router's conversation item.
    public init(item: ConversationItem) {
        self.id = item.conversationId
        self.customer = item.customerId
        self.channel = item.channel
        self.queue = item.queue
        self.state = item.state
        self.agent = item.agentId
        self.openedAtMilliseconds = item.openedAt.millisecondsSinceEpoch
        self.assignedAtMilliseconds = item.assignedAt?.millisecondsSinceEpoch
        self.endedAtMilliseconds = item.endedAt?.millisecondsSinceEpoch
        self.rule = item.rule
        self.transfers = item.transfers
        self.waitingSinceMilliseconds = item.awaitsAgent ? openedAtMilliseconds : nil
        self.messages = []
    }

    /// Takes the router's newer item, keeping what the item does not carry.
    public mutating func update(from item: ConversationItem) {
        var next = MonitoredConversation(item: item)
        next.messages = messages
        let waitsNow = item.awaitsAgent
        let waitedBefore = awaitsAgent
        if waitsNow {
            next.waitingSinceMilliseconds =
                waitedBefore ? waitingSinceMilliseconds ?? next.openedAtMilliseconds : next.openedAtMilliseconds
        } else {
            next.waitingSinceMilliseconds = nil
        }
        if next.isOverForCustomer { next.messages.removeAll() }
        self = next
    }

    /// In wrap-up, closed or abandoned: nothing left to supervise (the wire's
    /// `ConversationItem.isOverForCustomer`; not `isEnded`, which leaves wrap-up out).
    public var isOverForCustomer: Bool { state == .wrapUp || state.isEnded }

    /// True while it waits for an agent: queued, or offered and not yet accepted (the wire's
    /// `ConversationItem.awaitsAgent`).
    public var awaitsAgent: Bool { state == .queued || state == .offered }

    mutating func record(_ message: MessageNote) {
        guard !isOverForCustomer else { return }
        // The transcript snapshot is taken after the conversations' one, so a message can come
        // both in it and as an event applied after it: keep it once.
        if let last = messages.last?.number, message.number <= last { return }
        messages.append(message)
        if messages.count > Self.messagesKept { messages.removeFirst(messages.count - Self.messagesKept) }
    }

    /// Its history as the workspace's health model reads it.
    public var timeline: ConversationTimeline {
        func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1_000) }
        var entries: [ConversationTimeline.Entry] = []
        // Transfers happened before the current wait or assignment; only their number counts.
        for _ in 0..<max(0, min(transfers, 50)) {
            entries.append(.init(at: date(openedAtMilliseconds), event: .transferred))
        }
        if isOverForCustomer {
            entries.append(.init(at: date(endedAtMilliseconds ?? openedAtMilliseconds), event: .closed))
        } else if awaitsAgent {
            entries.append(
                .init(at: date(waitingSinceMilliseconds ?? openedAtMilliseconds), event: .queued(queue: queue)))
        } else if let agent {
            entries.append(
                .init(at: date(assignedAtMilliseconds ?? openedAtMilliseconds), event: .assigned(agent: agent)))
        }
        for message in messages {
            let event: ConversationTimeline.Event?
            switch message.role {
            case .customer: event = .customerMessage(text: message.text ?? "")
            case .agent: event = .agentMessage
            case .supervisor: event = .supervisorMessage(kind: message.audience == .agent ? .whisper : .barge)
            case .system: event = nil
            }
            if let event { entries.append(.init(at: date(message.atMilliseconds), event: event)) }
        }
        // Stable: at equal times lifecycle entries (added first) stay ahead of messages.
        let ordered = entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        return ConversationTimeline(conversation: id, channel: channel, entries: ordered.map(\.element))
    }
}
