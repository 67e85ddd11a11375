public import Foundation
public import SwitchboardRouting

/// What happened in one conversation, in time order, as the monitor learns it from the
/// router's events. Health is judged from it.
public struct ConversationTimeline: Codable, Sendable, Equatable {
    /// Entries kept per conversation. Beyond it the oldest message entries go first; lifecycle
    /// entries (queued, assigned, transfers) are kept because health counts them.
    public static let entriesMax = 400

    /// One thing that happened.
    public enum Event: Codable, Sendable, Equatable {
        case queued(queue: QueueID)
        case assigned(agent: AgentID)
        /// Moved to another queue or agent; it waits again until assigned.
        case transferred
        /// Went back to its queue (the agent left, an offer expired).
        case requeued
        case customerMessage(text: String)
        case agentMessage
        case supervisorMessage(kind: InterventionKind)
        /// The agent put the call on hold, or took it off hold.
        case callHeld
        case callResumed
        case closed

        var isMessage: Bool {
            switch self {
            case .customerMessage, .agentMessage, .supervisorMessage: true
            default: false
            }
        }
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var at: Date
        public var event: Event

        public init(at: Date, event: Event) {
            self.at = at
            self.event = event
        }
    }

    public let conversation: ConversationID
    public let channel: Channel
    public internal(set) var entries: [Entry]

    public init(conversation: ConversationID, channel: Channel, entries: [Entry] = []) {
        self.conversation = conversation
        self.channel = channel
        self.entries = []
        for entry in entries { record(entry.event, at: entry.at) }
    }

    /// Adds an entry, keeping the bound.
    public mutating func record(_ event: Event, at time: Date) {
        entries.append(Entry(at: time, event: event))
        if entries.count > Self.entriesMax {
            let oldest = entries.firstIndex { $0.event.isMessage } ?? 0
            entries.remove(at: oldest)
        }
    }
}
