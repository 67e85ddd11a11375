public import Foundation
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardWorkspace

/// The desk's account of one agent as the snapshot (`desk.<agentId>`) and the last event of
/// every change (`item`) carry it: who they are, whether they are signed in, a summary of the
/// sessions for dashboards, the offers waiting, and the whole workspace (tabs, pane, drafts
/// byte for byte, preferences) in the workspace model's own form.
public enum DeskItem {
    public static func json(_ record: DeskRecord, name: String?, updatedAt: Date) throws -> JSON {
        let workspace = record.workspace
        var object = JSONObject()
        object["agentId"] = .string(record.agent.rawValue)
        object["name"] = .optional(name)
        object["role"] = .string(workspace.role.rawValue)
        object["signedIn"] = .bool(record.signedIn)
        object["signedInAt"] = record.signedInAt.map { .int(milliseconds($0)) } ?? .null
        object["updatedAt"] = .int(milliseconds(updatedAt))
        object["summary"] = summary(workspace)
        object["offers"] = .array(record.offers.map(offer))
        object["workspace"] = try DeskCoding.busJSON(workspace)
        return .object(object)
    }

    /// The sessions as a dashboard lists them.
    static func summary(_ workspace: Workspace) -> JSON {
        var byChannel = JSONObject()
        for (channel, count) in workspace.summary.sessionsByChannel.sorted(by: { $0.key < $1.key }) {
            byChannel[channel.rawValue] = .number(count)
        }
        return [
            "activeSession": .optional(workspace.activeSessionID?.rawValue),
            "viewedSession": .optional(workspace.viewedSessionID?.rawValue),
            "liveCall": .optional(workspace.liveCall?.id.rawValue),
            "unreadTotal": .number(workspace.unreadTotal),
            "sessionsByChannel": .object(byChannel),
            "drafts": .number(workspace.drafts.count),
            "sessions": .array(
                workspace.sessions.map { session in
                    [
                        "conversationId": .string(session.id.rawValue), "channel": .string(session.channel.rawValue),
                        "customerId": .string(session.item.customer.rawValue),
                        "queue": .string(session.item.queue.rawValue), "topic": .optional(session.item.topic),
                        "openedAt": .int(milliseconds(session.openedAt)),
                        "active": .bool(session.id == workspace.activeSessionID),
                        "onScreen": .bool(session.id == workspace.viewedSessionID),
                        "liveCall": .bool(session.isLiveCall), "unread": .number(session.unreadCount),
                        "pendingActions": .array(session.pendingActions.map { .string($0.rawValue) }),
                        "activeTab": .string(session.activeTabID.rawValue), "tabs": .number(session.tabs.count),
                        "hasDraft": .bool(workspace.draft(for: session.id) != nil),
                    ]
                }),
        ]
    }

    static func offer(_ offer: DeskOffer) -> JSON {
        [
            "conversationId": .string(offer.conversation.rawValue), "channel": .string(offer.item.channel.rawValue),
            "customerId": .string(offer.item.customer.rawValue), "queue": .string(offer.item.queue.rawValue),
            "topic": .optional(offer.item.topic), "rule": .optional(offer.rule), "reason": .optional(offer.reason),
            "offeredAt": offer.offeredAt.map { .int(milliseconds($0)) } ?? .null,
            "expiresAt": offer.expiresAt.map { .int(milliseconds($0)) } ?? .null,
        ]
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded())
    }
}
