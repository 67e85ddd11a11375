public import Foundation
public import SwitchboardRouting

/// The part of an agent's workspace a supervisor's dashboard shows: which sessions the agent
/// holds, which one has focus, what waits where. Small enough to publish on every change;
/// drafts, tabs and the pane stay private to the desk.
public struct DeskSummary: Codable, Sendable, Equatable {
    /// One session as the supervisor sees it.
    public struct SessionLine: Codable, Sendable, Equatable {
        public var conversation: ConversationID
        public var channel: Channel
        public var customer: CustomerID
        public var queue: QueueID
        public var openedAt: Date
        public var isActive: Bool
        public var isLiveCall: Bool
        public var unreadCount: Int
        public var pendingActions: [PendingAction]
    }

    public var agent: AgentID
    public var role: RoleName
    public var activeSession: ConversationID?
    public var sessions: [SessionLine]

    /// Open sessions per channel, the figure a supervisor compares with the capacity profile.
    public var sessionsByChannel: [Channel: Int] {
        sessions.reduce(into: [:]) { counts, line in counts[line.channel, default: 0] += 1 }
    }
}

extension Workspace {
    /// What the supervisor's view needs of this workspace.
    public var summary: DeskSummary {
        DeskSummary(
            agent: agent, role: role, activeSession: activeSessionID,
            sessions: sessions.map { session in
                DeskSummary.SessionLine(
                    conversation: session.id, channel: session.channel, customer: session.item.customer,
                    queue: session.item.queue, openedAt: session.openedAt, isActive: session.id == activeSessionID,
                    isLiveCall: session.isLiveCall, unreadCount: session.unreadCount,
                    pendingActions: session.pendingActions)
            })
    }
}
