import Foundation
import SwitchboardRouting
import SwitchboardWorkspace

/// A fixed start time; tests move forward from it by whole seconds.
let start = Date(timeIntervalSince1970: 1_780_000_000)

func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

func item(
    _ conversation: String, _ channel: Channel, customer: String = "cust-1", queue: String = "general",
    topic: String? = nil, transferredFrom: String? = nil
) -> WorkItem {
    WorkItem(
        conversation: ConversationID(conversation), channel: channel, customer: CustomerID(customer),
        queue: QueueID(queue), topic: topic, transferredFrom: transferredFrom.map(AgentID.init))
}

func newWorkspace(
    role: String = "agent", roleDefaults: PreferenceOverrides = PreferenceOverrides(),
    agentOverrides: PreferenceOverrides = PreferenceOverrides()
) -> Workspace {
    Workspace(agent: "a-7", role: RoleName(role), roleDefaults: roleDefaults, agentOverrides: agentOverrides)
}

extension Workspace {
    /// Assigns work at `time` and returns the events.
    @discardableResult
    mutating func assign(_ work: WorkItem, at time: Date = start) -> [WorkspaceEvent] {
        apply(.workAssigned(work), now: time)
    }

    /// A customer message at `time`.
    @discardableResult
    mutating func customerWrites(_ conversation: ConversationID, at time: Date = start) -> [WorkspaceEvent] {
        apply(.messageArrived(conversation: conversation, author: .customer), now: time)
    }
}

let chat1: ConversationID = "c-chat-1"
let chat2: ConversationID = "c-chat-2"
let call1: ConversationID = "c-call-1"
let email1: ConversationID = "c-mail-1"
let case1: ConversationID = "c-case-1"
