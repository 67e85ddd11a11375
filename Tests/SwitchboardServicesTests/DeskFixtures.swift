import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace

@testable import SwitchboardDesk

/// A fixed start time for the desk's tests; they move forward from it by whole seconds.
let deskStart = Date(timeIntervalSince1970: 1_780_000_000)

func deskTime(_ seconds: Double) -> Date { deskStart.addingTimeInterval(seconds) }

let priya: AgentID = "priya-raman"
let tomasz: AgentID = "tomasz-nowak"

/// A `conv.<id>` item as the router writes it (docs/PROTOCOL.md §6.1).
func conversationItem(
    _ id: String, channel: Channel = .chat, customer: String = "cust-1", queue: String = "chat-en-general",
    state: ConversationState, agent: AgentID? = nil, topic: String? = nil, assignedAtSeconds: Double? = nil,
    messageCount: Int = 0
) -> JSON {
    [
        "conversationId": .string(id), "customerId": .string(customer), "channel": .string(channel.rawValue),
        "queue": .string(queue), "priority": 0, "topic": .optional(topic), "state": .string(state.rawValue),
        "agentId": .optional(agent?.rawValue), "requiredSkills": [],
        "intent": ["intent": "card_arrival", "confidence": 0.9, "skill": "cards"],
        "openedAt": .int(Int64(deskStart.timeIntervalSince1970 * 1_000)),
        "assignedAt": assignedAtSeconds.map { .int(Int64(deskTime($0).timeIntervalSince1970 * 1_000)) } ?? .null,
        "endedAt": .null, "rule": "skills", "reason": "Skills: English 5.", "transfers": 0,
        "messageCount": .number(messageCount),
    ]
}

/// The data of a router event about a conversation, with its item.
func conversationEvent(_ id: String, item: JSON, _ fields: [(String, JSON)] = []) -> JSON {
    var object = JSONObject([("conversationId", .string(id))] + fields)
    object["key"] = .string("conv.\(id)")
    object["item"] = item
    return .object(object)
}

/// The data of a `conversation.message` event.
func messageEvent(
    _ id: String, number: Int, role: SwitchboardWire.TranscriptMessage.Role, text: String,
    audience: String = "everyone"
)
    -> JSON
{
    [
        "conversationId": .string(id), "number": .number(number), "role": .string(role.rawValue), "author": "someone",
        "text": .string(text), "audience": .string(audience),
        "at": .int(Int64(deskTime(Double(number)).timeIntervalSince1970 * 1_000)),
    ]
}

func transcriptMessage(_ number: Int, _ role: SwitchboardWire.TranscriptMessage.Role, _ text: String = "hello")
    -> SwitchboardWire.TranscriptMessage
{
    SwitchboardWire.TranscriptMessage(
        number: number, role: role, author: role.rawValue, text: text, audience: .everyone,
        at: RoutingInstant(millisecondsSinceEpoch: Int64(deskTime(Double(number)).timeIntervalSince1970 * 1_000)))
}

func deskItem(
    _ conversation: String, _ channel: Channel, customer: String = "cust-1", queue: String = "chat-en-general"
)
    -> WorkItem
{
    WorkItem(
        conversation: ConversationID(conversation), channel: channel, customer: CustomerID(customer),
        queue: QueueID(queue))
}

/// A signed-in desk for `agent`.
func signedInRecord(_ agent: AgentID = priya, role: String = "senior-agent") -> DeskRecord {
    var record = DeskRecord(
        agent: agent, role: RoleName(role), roleDefaults: PreferenceOverrides(), agentOverrides: PreferenceOverrides())
    _ = record.signIn(now: deskStart)
    return record
}

extension Array where Element == DeskEvent {
    /// The event types in order, as the bus names them (`session.opened`).
    var whats: [String] { map(\.what) }
}
