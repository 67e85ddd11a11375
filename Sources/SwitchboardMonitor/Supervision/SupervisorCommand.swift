import Foundation
public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardServiceKit
public import SwitchboardWorkspace

/// A command to the monitor (docs/PROTOCOL.md §6.5), read and validated from its JSON.
public enum SupervisorCommand: Sendable, Equatable {
    /// `supervisor.observe`, `.listen`, `.whisper`, `.barge`.
    case intervene(supervisor: AgentID, kind: InterventionKind, conversation: ConversationID, text: String?)
    /// `supervisor.stop`.
    case stop(supervisor: AgentID, conversation: ConversationID)
    /// `supervisor.reassign`: the router's `conversation.transfer`, on the supervisor's authority.
    case reassign(supervisor: AgentID, conversation: ConversationID, to: TransferTarget, note: String?)
    /// `supervisor.setPresence`: the presence tracker's `presence.set`, on the supervisor's authority.
    case setPresence(supervisor: AgentID, agent: AgentID, status: PresenceStatus, reason: String?)
    /// `monitor.view`.
    case view

    /// The command types the monitor takes.
    public static let types = [
        "supervisor.observe", "supervisor.listen", "supervisor.whisper", "supervisor.barge", "supervisor.stop",
        "supervisor.reassign", "supervisor.setPresence", "monitor.view",
    ]

    /// The bytes a reassignment's note may have (the router's limit for a transfer's note).
    public static let noteBytesMax = 2_000
    /// The bytes the reason for a presence change may have (the presence tracker keeps 300,
    /// and the monitor adds who set it).
    public static let presenceReasonBytesMax = 200

    /// Reads `request`; a refusal names the field and what to send.
    public static func parse(_ request: CommandRequest) -> Result<SupervisorCommand, CommandFailure> {
        let fields = CommandFields(request.data)
        do throws(CommandFailure) {
            switch request.type {
            case "monitor.view":
                return .success(.view)
            case "supervisor.stop":
                return .success(
                    .stop(
                        supervisor: AgentID(try fields.identifier("supervisorId")),
                        conversation: ConversationID(try fields.identifier("conversationId"))))
            case "supervisor.reassign":
                let supervisor = AgentID(try fields.identifier("supervisorId"))
                let conversation = ConversationID(try fields.identifier("conversationId"))
                let target: TransferTarget
                switch (try fields.optionalIdentifier("toAgentId"), try fields.optionalIdentifier("toQueue")) {
                case (let agent?, nil): target = .agent(AgentID(agent))
                case (nil, let queue?): target = .queue(QueueID(queue))
                default:
                    throw fields.invalid(
                        "toAgentId", "give exactly one of \"toAgentId\" or \"toQueue\" as where the conversation goes")
                }
                let note = try fields.optionalString("note", maxBytes: noteBytesMax)
                    .flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
                return .success(.reassign(supervisor: supervisor, conversation: conversation, to: target, note: note))
            case "supervisor.setPresence":
                let supervisor = AgentID(try fields.identifier("supervisorId"))
                let agent = AgentID(try fields.identifier("agentId"))
                let name = try fields.string("status")
                guard let status = PresenceStatus(rawValue: name) else {
                    throw fields.invalid("status", "'\(name)' is not a presence; use available, away, dnd or offline")
                }
                let reason = try fields.optionalString("reason", maxBytes: presenceReasonBytesMax)
                    .flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
                return .success(.setPresence(supervisor: supervisor, agent: agent, status: status, reason: reason))
            case "supervisor.observe", "supervisor.listen", "supervisor.whisper", "supervisor.barge":
                let name = String(request.type.dropFirst("supervisor.".count))
                guard let kind = InterventionKind(rawValue: name) else {
                    throw CommandFailure(code: .unknownCommand, message: "no intervention '\(name)'")
                }
                let supervisor = AgentID(try fields.identifier("supervisorId"))
                let conversation = ConversationID(try fields.identifier("conversationId"))
                // Bounded here in bytes; the ledger refuses above its own limit with a sentence.
                let text = try fields.optionalString("text", maxBytes: InterventionLedger.messageBytesMax * 4)
                if kind == .whisper, text == nil {
                    throw fields.missing("text", "the words to whisper to the agent")
                }
                return .success(.intervene(supervisor: supervisor, kind: kind, conversation: conversation, text: text))
            default:
                throw CommandFailure(
                    code: .unknownCommand,
                    message: "the monitor takes no '\(request.type)'; it takes \(types.joined(separator: ", "))")
            }
        } catch {
            return .failure(error)
        }
    }
}

extension SupervisionError {
    /// The NACK for this refusal: `forbidden` when the sender's role does not allow it (the
    /// message names the permission and the role that grants it).
    public var failure: CommandFailure {
        let code: CommandFailure.Code
        switch self {
        case .senderHasNoRole, .unknownRole, .permissionMissing: code = .forbidden
        case .notApplicable, .messageRequired, .silentKindCarriesNoText, .messageTooLarge: code = .invalidArgument
        case .notIntervening, .tooManySupervisors, .tooManyInterventions: code = .conflict
        }
        return CommandFailure(code: code, message: description)
    }
}
