public import Foundation
public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire
import SwitchboardWorkspace

/// The desk's account of one agent as the snapshot (`desk.<agentId>`) and the last event of
/// every change (`item`) carry it: who they are, whether they are signed in, a summary of the
/// sessions for dashboards, the offers waiting, and the whole workspace (tabs, pane, drafts
/// byte for byte, preferences) in the workspace model's own form. Built as the wire's
/// `DeskItem`, which alone writes the JSON.
public enum DeskWireItem {
    public static func item(_ record: DeskRecord, name: String?, updatedAt: Date) throws -> DeskItem {
        DeskItem(
            agentId: record.agent, name: name, role: RoleID(record.workspace.role.rawValue),
            signedIn: record.signedIn, signedInAt: record.signedInAt.map(instant), updatedAt: instant(updatedAt),
            summary: summary(record.workspace), offers: record.offers.map(offer),
            workspace: try DeskCoding.busJSON(record.workspace))
    }

    public static func json(_ record: DeskRecord, name: String?, updatedAt: Date) throws -> JSON {
        try item(record, name: name, updatedAt: updatedAt).json
    }

    /// The sessions as a dashboard lists them.
    static func summary(_ workspace: Workspace) -> DeskItem.Summary {
        DeskItem.Summary(
            activeSession: workspace.activeSessionID, viewedSession: workspace.viewedSessionID,
            liveCall: workspace.liveCall?.id, unreadTotal: workspace.unreadTotal,
            sessionsByChannel: workspace.summary.sessionsByChannel, drafts: workspace.drafts.count,
            sessions: workspace.sessions.map { session in
                DeskItem.Session(
                    conversationId: session.id, channel: session.channel, customerId: session.item.customer,
                    queue: session.item.queue, topic: session.item.topic, openedAt: instant(session.openedAt),
                    active: session.id == workspace.activeSessionID, onScreen: session.id == workspace.viewedSessionID,
                    liveCall: session.isLiveCall, unread: session.unreadCount,
                    pendingActions: session.pendingActions.map(\.rawValue), activeTab: session.activeTabID.rawValue,
                    tabs: session.tabs.count, hasDraft: workspace.draft(for: session.id) != nil)
            })
    }

    static func offer(_ offer: DeskOffer) -> DeskItem.Offer {
        DeskItem.Offer(
            conversationId: offer.conversation, channel: offer.item.channel, customerId: offer.item.customer,
            queue: offer.item.queue, topic: offer.item.topic, rule: offer.rule, reason: offer.reason,
            offeredAt: offer.offeredAt.map(instant), expiresAt: offer.expiresAt.map(instant))
    }

    static func instant(_ date: Date) -> RoutingInstant {
        RoutingInstant(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000).rounded()))
    }
}
