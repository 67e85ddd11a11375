public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardServiceKit
public import SwitchboardTopology
public import SwitchboardWorkspace

/// A supervisor's command that another authority carries out: a reassignment is the router's
/// `conversation.transfer`, a presence change the presence tracker's `presence.set`. The monitor
/// checks the supervisor's role, then forwards the command saying who asked (in the transfer's
/// note, in the presence's reason), so the history and the agent's presence name the supervisor.
/// Pure: what to send and what to answer, no I/O.
public struct SupervisorForward: Sendable, Equatable {
    /// Where the command goes.
    public var service: ServiceName
    public var type: String
    public var data: JSON
    /// The suffix of the forwarded command's id: the monitor's command id plus this, so a
    /// retried command is applied once.
    public var idSuffix: String

    /// The reason the presence tracker keeps is at most this long (its own limit).
    static let presenceReasonBytesMax = 300

    /// The permissions that make a role a supervisor's: any of the interventions.
    static let supervisorPermissions = Set(InterventionKind.allCases.map(\.permission))

    /// What `command` forwards, when `sender` (whose role the contact centre gives as
    /// `senderRole`) may send it; nil for a command that is not forwarded. Throws the refusal:
    /// `forbidden` naming the role that would allow it, `not_found` for an agent the file does
    /// not list.
    public static func make(
        _ command: SupervisorCommand, senderRole: RoleName?, policy: SupervisionPolicy,
        name: (AgentID) -> String, isAgent: (AgentID) -> Bool
    ) throws(CommandFailure) -> SupervisorForward? {
        switch command {
        case .reassign(let supervisor, let conversation, let target, let note):
            try authorize(supervisor, role: senderRole, policy: policy, to: "reassign a conversation")
            var data = JSONObject([("conversationId", .string(conversation.rawValue))])
            switch target {
            case .agent(let agent):
                guard isAgent(agent) else { throw unknownAgent(agent) }
                data["agentId"] = .string(agent.rawValue)
            case .queue(let queue): data["queue"] = .string(queue.rawValue)
            }
            let who = "Reassigned by supervisor \(name(supervisor))"
            data["note"] = .string(
                fitted(note.map { "\(who): \($0)" } ?? "\(who).", bytesMax: SupervisorCommand.noteBytesMax))
            return SupervisorForward(
                service: .router, type: "conversation.transfer", data: .object(data), idSuffix: "reassign")
        case .setPresence(let supervisor, let agent, let status, let reason):
            try authorize(supervisor, role: senderRole, policy: policy, to: "set an agent's presence")
            guard isAgent(agent) else { throw unknownAgent(agent) }
            let who = "Set by supervisor \(name(supervisor))"
            let text = fitted(reason.map { "\(who): \($0)" } ?? who, bytesMax: presenceReasonBytesMax)
            return SupervisorForward(
                service: .presence, type: "presence.set",
                data: [
                    "agentId": .string(agent.rawValue), "status": .string(status.rawValue), "reason": .string(text),
                ],
                idSuffix: "presence")
        case .intervene, .stop, .view:
            return nil
        }
    }

    /// The monitor's answer, from the service's result: `{conversationId, supervisorId, toAgentId
    /// | toQueue}` for a reassignment, the agent's presence item for a presence change.
    public func answer(_ result: JSON, supervisor: AgentID) -> JSON {
        guard type == "conversation.transfer" else { return result }
        var answer = JSONObject([
            ("conversationId", result["conversationId"] ?? data["conversationId"] ?? .null),
            ("supervisorId", .string(supervisor.rawValue)),
        ])
        if let agent = data["agentId"] { answer["toAgentId"] = agent }
        if let queue = data["queue"] { answer["toQueue"] = queue }
        return .object(answer)
    }

    /// Refuses a sender whose role grants no supervision.
    static func authorize(
        _ sender: AgentID, role: RoleName?, policy: SupervisionPolicy, to action: String
    ) throws(CommandFailure) {
        guard let role else {
            throw CommandFailure(
                code: .forbidden,
                message: "\(sender) has no role in the contact-centre configuration, so may not \(action); "
                    + "give \(sender) a supervisor's role")
        }
        guard let granted = policy.permissionsByRole[role] else {
            throw CommandFailure(
                code: .forbidden,
                message: "\(sender) has role '\(role)', which the contact-centre configuration does not define; "
                    + "define the role under roles: or correct \(sender)'s role")
        }
        guard granted.isDisjoint(with: supervisorPermissions) else { return }
        let supervising = policy.permissionsByRole.filter { !$0.value.isDisjoint(with: supervisorPermissions) }
            .keys.sorted().map(\.rawValue)
        let remedy =
            supervising.isEmpty
            ? "no role grants supervision: add observe, listen, whisper or barge to a role's permissions"
            : "the role '\(supervising.joined(separator: "' or '"))' does: ask an administrator to give "
                + "\(sender) that role, or ask a supervisor"
        throw CommandFailure(
            code: .forbidden,
            message: "\(sender) has role '\(role)', which grants no supervision permission; only a supervisor "
                + "(a role granting observe, listen, whisper or barge) may \(action): \(remedy)")
    }

    static func unknownAgent(_ agent: AgentID) -> CommandFailure {
        CommandFailure(
            code: .notFound, message: "no agent \(agent) in the contact-centre file; name an agent it lists")
    }

    /// `text` cut (at a character) to at most `bytesMax` bytes of UTF-8.
    static func fitted(_ text: String, bytesMax: Int) -> String {
        guard text.utf8.count > bytesMax else { return text }
        var cut = ""
        for character in text {
            if cut.utf8.count + character.utf8.count + "…".utf8.count > bytesMax { break }
            cut.append(character)
        }
        return cut + "…"
    }
}
