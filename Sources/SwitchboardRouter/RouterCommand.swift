import Foundation
public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardServiceKit
public import SwitchboardWire

/// A command to the router, read and validated from its JSON. Every refusal names the field
/// and what to send instead.
public enum RouterCommand: Sendable, Equatable {
    /// Changes state: journaled, applied once.
    case input(RouterInput)
    /// Reads state: answered from the current state, not journaled.
    case query(RouterQuery)
}

public enum RouterQuery: Sendable, Equatable {
    case transcript(ConversationID, as: TranscriptMessage.Role)
    case explain(ConversationID)
    case status
}

/// Finds the intent of a conversation's opening text (the assistance library does).
public protocol IntentClassifying: Sendable {
    func classify(_ text: String) -> DetectedIntent?
}

extension RouterCommand {
    /// The command types the router takes, for `unknown_command` replies and docs.
    public static let types = [
        "conversation.open", "conversation.message", "conversation.accept", "conversation.decline",
        "conversation.close", "conversation.endWrapUp", "conversation.abandon", "conversation.transfer",
        "conversation.transcript", "conversation.explain", "agent.add", "agent.update", "agent.remove",
        "router.status", "router.reload",
    ]

    /// Reads `request`. `reload` is handled by the router itself (it reads the file), so it is
    /// not parsed here; `classifier` finds the intent of an opening text.
    public static func parse(
        _ request: CommandRequest, classifier: (any IntentClassifying)?, agents: (AgentID) -> AgentProfile?
    ) -> Result<RouterCommand, CommandFailure> {
        do throws(CommandFailure) {
            return .success(try read(request, classifier: classifier, agents: agents))
        } catch {
            return .failure(error)
        }
    }

    private static func read(
        _ request: CommandRequest, classifier: (any IntentClassifying)?, agents: (AgentID) -> AgentProfile?
    ) throws(CommandFailure) -> RouterCommand {
        let fields = CommandFields(request.data)
        switch request.type {
        case "conversation.open":
            let id = ConversationID(try fields.identifier("conversationId"))
            let queue = QueueID(try fields.identifier("queue"))
            let customer = CustomerID(try fields.identifier("customerId"))
            let channel = try fields.optionalString("channel").map { name throws(CommandFailure) -> Channel in
                guard let channel = Channel(rawValue: name) else {
                    throw fields.invalid(
                        "channel", "'\(name)' is not a channel; use voice, chat, messaging, email or case")
                }
                return channel
            }
            let skills = try fields.skills("skills")
            let priority = try fields.optionalInt("priority", in: -1_000...1_000)
            let topic = try fields.optionalString("topic", maxBytes: 200)
            let text = try fields.optionalString("text", maxBytes: RouterState.messageCharactersMax * 4)
            let intent = text.flatMap { classifier?.classify($0) }
            let request = ConversationRequest(
                id: id, customer: customer, queue: queue, channel: channel, extraSkills: skills, priority: priority,
                topic: topic)
            return .input(.open(request, text: text, intent: intent))
        case "conversation.message":
            let id = ConversationID(try fields.identifier("conversationId"))
            let roleName = try fields.string("role")
            guard let role = TranscriptMessage.Role(rawValue: roleName) else {
                throw fields.invalid("role", "'\(roleName)' is not a role; use customer, agent, supervisor or system")
            }
            let author = try fields.string("author", maxBytes: 200)
            let text = try fields.string("text", maxBytes: RouterState.messageCharactersMax * 4)
            guard text.count <= RouterState.messageCharactersMax else {
                throw fields.invalid(
                    "text", "is \(text.count) characters; the limit is \(RouterState.messageCharactersMax)")
            }
            let audienceName = try fields.optionalString("audience") ?? "everyone"
            guard let audience = TranscriptMessage.Audience(rawValue: audienceName) else {
                throw fields.invalid("audience", "'\(audienceName)' is not an audience; use everyone or agent")
            }
            if audience == .agent && role == .customer {
                throw fields.invalid(
                    "audience", "a customer's message reaches everyone; only agent-side roles can whisper")
            }
            let message = TranscriptMessage(
                number: 0, role: role, author: author, text: text, audience: audience, at: .zero)
            return .input(.message(id, message))
        case "conversation.accept":
            return .input(
                .accept(
                    ConversationID(try fields.identifier("conversationId")),
                    agent: AgentID(try fields.identifier("agentId"))))
        case "conversation.decline":
            return .input(
                .decline(
                    ConversationID(try fields.identifier("conversationId")),
                    agent: AgentID(try fields.identifier("agentId"))))
        case "conversation.close":
            return .input(.close(ConversationID(try fields.identifier("conversationId"))))
        case "conversation.endWrapUp":
            let disposition = try fields.optionalString("disposition", maxBytes: 100) ?? "completed"
            return .input(.endWrapUp(ConversationID(try fields.identifier("conversationId")), disposition: disposition))
        case "conversation.abandon":
            return .input(.abandon(ConversationID(try fields.identifier("conversationId"))))
        case "conversation.transfer":
            let id = ConversationID(try fields.identifier("conversationId"))
            let queue = try fields.optionalIdentifier("queue")
            let agent = try fields.optionalIdentifier("agentId")
            let note = try fields.optionalString("note", maxBytes: ConversationTransfer.noteBytesMax)
                .flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            switch (queue, agent) {
            case (let queue?, nil): return .input(.transfer(id, to: .queue(QueueID(queue)), note: note))
            case (nil, let agent?): return .input(.transfer(id, to: .agent(AgentID(agent)), note: note))
            default:
                throw fields.invalid("queue", "give exactly one of \"queue\" or \"agentId\" as the transfer target")
            }
        case "conversation.transcript":
            let id = ConversationID(try fields.identifier("conversationId"))
            let roleName = try fields.optionalString("as") ?? "agent"
            guard let role = TranscriptMessage.Role(rawValue: roleName) else {
                throw fields.invalid("as", "'\(roleName)' is not a role; use customer, agent, supervisor or system")
            }
            return .query(.transcript(id, as: role))
        case "conversation.explain":
            return .query(.explain(ConversationID(try fields.identifier("conversationId"))))
        case "router.status":
            return .query(.status)
        case "agent.add":
            return .input(.addAgent(try fields.agentProfile(existing: nil)))
        case "agent.update":
            let id = AgentID(try fields.identifier("agentId"))
            guard let existing = agents(id) else {
                throw CommandFailure(code: .notFound, message: "no agent \(id); add it with agent.add first")
            }
            return .input(.updateAgent(try fields.agentProfile(existing: existing)))
        case "agent.remove":
            return .input(.removeAgent(AgentID(try fields.identifier("agentId"))))
        default:
            throw CommandFailure(
                code: .unknownCommand,
                message: "the router takes no '\(request.type)'; it takes \(types.joined(separator: ", "))")
        }
    }
}

extension CommandFields {
    /// An agent profile from `agent.add`, or changed fields over `existing` for `agent.update`.
    func agentProfile(existing: AgentProfile?) throws(CommandFailure) -> AgentProfile {
        let id = AgentID(try identifier("agentId"))
        var profile: AgentProfile
        if let existing {
            profile = existing
        } else {
            profile = AgentProfile(
                id: id, name: try optionalString("name", maxBytes: 200) ?? id.rawValue,
                role: RoleID(try identifier("role")),
                capacityProfile: CapacityProfileID(try identifier("capacityProfile")))
        }
        if let name = try optionalString("name", maxBytes: 200) { profile.name = name }
        if let role = try optionalIdentifier("role") { profile.role = RoleID(role) }
        if let capacity = try optionalIdentifier("capacityProfile") {
            profile.capacityProfile = CapacityProfileID(capacity)
        }
        if data["skills"] != nil {
            var skills: [SkillID: Int] = [:]
            for requirement in try self.skills("skills") { skills[requirement.skill] = requirement.minimumLevel }
            profile.skills = skills
        }
        if case .object(let overrides)? = data["capacityOverrides"] {
            var capacity: [Channel: Int] = [:]
            for member in overrides {
                guard let channel = Channel(rawValue: member.key) else {
                    throw invalid("capacityOverrides", "names '\(member.key)', which is not a channel")
                }
                guard let cap = member.value.intValue, (0...50).contains(cap) else {
                    throw invalid("capacityOverrides.\(member.key)", "must be 0 to 50")
                }
                capacity[channel] = Int(cap)
            }
            profile.capacityOverrides = capacity
        }
        if case .array(let queues)? = data["additionalQueues"] {
            profile.additionalQueues = try queues.map { value throws(CommandFailure) -> QueueID in
                guard let queue = value.stringValue, isValidIdentifier(queue) else {
                    throw invalid("additionalQueues", "must be a list of queue ids")
                }
                return QueueID(queue)
            }
        }
        return profile
    }
}
