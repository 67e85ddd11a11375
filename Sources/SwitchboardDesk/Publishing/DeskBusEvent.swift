public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace

/// One desk event as it goes on the bus: `desk.<agentId>.<what>` with type `desk.<what>`.
public struct DeskBusEvent: Sendable, Equatable {
    public var topic: String
    public var type: String
    public var data: JSON

    /// The bus events of one change of `agent`'s desk, in order. The events of one change are
    /// committed and published together; the last of them carries `key` and `item` (the desk
    /// after the whole change), so a consumer keeping `state[key] = item` is right after each
    /// change while the item, which holds the drafts, travels once per change and not once
    /// per event. A change with no events publishes nothing.
    public static func events(for events: [DeskEvent], of agent: AgentID, item: JSON) -> [DeskBusEvent] {
        events.enumerated().map { index, event in
            var data = JSONObject([("agentId", .string(agent.rawValue))])
            if let conversation = event.conversation { data["conversationId"] = .string(conversation.rawValue) }
            for (key, value) in fields(event) { data[key] = value }
            if index == events.count - 1 {
                data["key"] = .string("desk.\(agent.rawValue)")
                data["item"] = item
            }
            return DeskBusEvent(
                topic: "desk.\(agent.rawValue).\(event.what)", type: "desk.\(event.what)", data: .object(data))
        }
    }

    /// The fields of one event besides `agentId` and `conversationId`.
    static func fields(_ event: DeskEvent) -> [(String, JSON)] {
        switch event {
        case .signedIn(let role): return [("role", .string(role.rawValue))]
        case .signedOut: return []
        case .offerReceived(let offer):
            let item = DeskWireItem.offer(offer).json.objectValue ?? JSONObject()
            return item.members.filter { $0.key != "conversationId" }.map { ($0.key, $0.value) }
        case .offerWithdrawn(_, let reason): return [("reason", .string(reason.rawValue))]
        case .caseSummaryEdited(_, let summary):
            return [
                ("issue", .string(summary.issue)), ("nextStep", .string(summary.nextStep)),
                ("actionsTaken", .array(summary.actionsTaken.map(JSON.string))),
                ("editedBy", .optional(summary.editedBy)),
                ("editedAt", summary.editedAt.map { .int(DeskWireItem.instant($0).millisecondsSinceEpoch) } ?? .null),
            ]
        case .workspace(let event): return fields(event)
        }
    }

    static func fields(_ event: WorkspaceEvent) -> [(String, JSON)] {
        switch event {
        case .sessionOpened(_, let channel, let customer, let queue, let placement):
            var fields: [(String, JSON)] = [
                ("channel", .string(channel.rawValue)), ("customerId", .string(customer.rawValue)),
                ("queue", .string(queue.rawValue)),
            ]
            switch placement {
            case .focused:
                fields.append(("placement", "focused"))
            case .background(.liveCall(let call)):
                fields += [("placement", "background"), ("why", "live-call"), ("liveCall", .string(call.rawValue))]
            case .background(.caseWaits):
                fields += [("placement", "background"), ("why", "case-waits")]
            case .background(.agentBusy(let active)):
                fields += [
                    ("placement", "background"), ("why", "agent-busy"), ("activeSession", .string(active.rawValue)),
                ]
            }
            return fields
        case .sessionRefused(_, let sessionsMax):
            return [("sessionsMax", .number(sessionsMax))]
        case .sessionFocused(_, let previous, let reason):
            return [("previous", .optional(previous?.rawValue)), ("reason", .string(reason.rawValue))]
        case .sessionBrowsed(_, let active):
            return [("activeSession", .optional(active?.rawValue))]
        case .sessionClosed(_, let reason, let endsConversation):
            return [("reason", .string(reason.rawValue)), ("endsConversation", .bool(endsConversation))]
        case .callEnded:
            return []
        case .unreadChanged(_, let unread):
            return [("unread", .number(unread))]
        case .pendingActionsChanged(_, let actions):
            return [("pendingActions", .array(actions.map { .string($0.rawValue) }))]
        case .notificationRaised(_, let trigger, let style):
            return [("trigger", .string(trigger.rawValue)), ("style", .string(style.rawValue))]
        case .tabOpened(_, let tab, let kind):
            return [("tabId", .string(tab.rawValue)), ("kind", .string(kind.rawValue))]
        case .tabSelected(_, let tab):
            return [("tabId", .string(tab.rawValue))]
        case .tabClosed(_, let tab, let reason):
            return [("tabId", .string(tab.rawValue)), ("reason", .string(reason.rawValue))]
        case .paneChanged(_, let tab, let tools):
            return [("tabId", .string(tab.rawValue)), ("tools", .array(tools.map { .string($0.rawValue) }))]
        case .paneUpdated(_, let tool, let shown):
            return [("tool", .string(tool.rawValue)), ("shown", .bool(shown))]
        case .draftSaved(_, let revision, let bytes), .draftRestored(_, let revision, let bytes),
            .draftKept(_, let revision, let bytes):
            return [("revision", .number(revision)), ("bytes", .number(bytes))]
        case .draftDiscarded(_, let reason):
            return [("reason", .string(reason.rawValue))]
        case .replySent(_, let text):
            // The text itself is the router's (its transcript and `conversation.message`).
            return [("bytes", .number(text.utf8.count))]
        case .preferencesChanged(let preferences):
            return [
                ("tabsRemembered", .number(preferences.tabsRemembered)),
                ("paneTools", .array(preferences.paneTools.map { .string($0.rawValue) })),
                (
                    "notifications",
                    [
                        "newSession": .string(preferences.notifications.newSession.rawValue),
                        "idleSessionMessage": .string(preferences.notifications.idleSessionMessage.rawValue),
                        "supervisorMessage": .string(preferences.notifications.supervisorMessage.rawValue),
                    ]
                ),
            ]
        }
    }
}
