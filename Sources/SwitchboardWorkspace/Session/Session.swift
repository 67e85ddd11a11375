public import Foundation
public import SwitchboardRouting

/// One work item open on the agent's desk: its tabs, its productivity pane, and what waits
/// in it (unread messages, pending actions).
public struct Session: Codable, Sendable, Equatable, Identifiable {
    /// The session is keyed by its conversation.
    public var id: ConversationID { item.conversation }
    public var channel: Channel { item.channel }
    public var behaviour: ChannelBehaviour { .of(item.channel) }

    public let item: WorkItem
    public let openedAt: Date
    /// When the voice call went live; nil once it ended (or for other channels).
    public internal(set) var liveCallSince: Date?
    /// Messages that arrived while the session was out of view.
    public internal(set) var unreadCount: Int
    /// What waits for the agent here, in a stable order.
    public internal(set) var pendingActions: [PendingAction]
    /// Tabs in the order they were opened; the anchor tab is always present.
    public internal(set) var tabs: [Tab]
    public internal(set) var activeTabID: TabID
    public internal(set) var assistance: Assistance
    /// The workspace's use sequence when the session last had focus; nil if it never had.
    public internal(set) var lastFocusedSequence: UInt64?

    /// True while this is a voice call in progress.
    public var isLiveCall: Bool { liveCallSince != nil }

    /// The tab every session of this channel is anchored on.
    public var anchorTabID: TabID { anchorContent(for: item).id }

    public var activeTab: Tab? { tab(activeTabID) }

    public func tab(_ id: TabID) -> Tab? { tabs.first { $0.id == id } }

    /// The pane as it shows now, given the tools the agent enabled.
    public func pane(enabledTools: [PaneTool]) -> PaneView? {
        activeTab.map { PaneView.build(for: $0, assistance: assistance, enabledTools: enabledTools) }
    }

    init(item: WorkItem, openedAt: Date, useSequence: UInt64) {
        self.item = item
        self.openedAt = openedAt
        self.liveCallSince = item.channel == .voice ? openedAt : nil
        self.unreadCount = 0
        self.pendingActions = []
        let anchor = Tab(content: anchorContent(for: item), openedAt: openedAt, lastUsedSequence: useSequence)
        let customer = Tab(content: .customer(id: item.customer), openedAt: openedAt, lastUsedSequence: useSequence)
        self.tabs = [anchor, customer]
        self.activeTabID = anchor.id
        self.assistance = Assistance()
        self.lastFocusedSequence = nil
    }

    mutating func addPending(_ action: PendingAction) -> Bool {
        guard !pendingActions.contains(action) else { return false }
        pendingActions.append(action)
        pendingActions.sort()
        return true
    }

    mutating func removePending(_ actions: [PendingAction]) -> Bool {
        let before = pendingActions.count
        pendingActions.removeAll { actions.contains($0) }
        return pendingActions.count != before
    }
}

/// The anchor tab of a work item: the case record for cases, the conversation otherwise.
func anchorContent(for item: WorkItem) -> TabContent {
    switch ChannelBehaviour.of(item.channel).anchorTab {
    case .caseRecord: .caseRecord(reference: item.conversation.rawValue)
    default: .conversation
    }
}
