public import SwitchboardBus

/// A right a principal needs to send a command: the name a `forbidden` refusal and the audit log
/// give, and who holds it.
public struct CommandPermission: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Being listed under `security.principals` at all.
    public static let listedPrincipal = CommandPermission(rawValue: "principal")
    /// Naming another person as the one a command acts for (`agentId`, `supervisorId`): principals
    /// with `actFor: true` (the desk, the gateway).
    public static let actFor = CommandPermission(rawValue: "actFor")
    /// Reading state by command (status, explain, transcript, monitor view): services, the
    /// gateway and operators.
    public static let read = CommandPermission(rawValue: "read")
    /// The customer's side (open, abandon, a customer's message, the system line that the
    /// customer left): the gateway.
    public static let customerActions = CommandPermission(rawValue: "customerActions")
    /// An agent's actions at the router (accept, decline, reply, close, wrap-up, transfer): the
    /// desk, which the gateway's agents go through; transfer also the monitor (a supervisor's
    /// reassignment).
    public static let agentActions = CommandPermission(rawValue: "agentActions")
    /// An agent's desk (`desk.*`): the gateway, and operators for themselves.
    public static let agentDesk = CommandPermission(rawValue: "agentDesk")
    /// Presence (`presence.*`): the gateway; `presence.set` also the router (Away after missed
    /// offers) and the monitor (a supervisor's choice).
    public static let presence = CommandPermission(rawValue: "presence")
    /// Supervision (`supervisor.*`): the gateway for a supervisor, the monitor, operators.
    public static let supervision = CommandPermission(rawValue: "supervision")
    /// Supervisor and system messages in a conversation: the monitor.
    public static let supervisorMessages = CommandPermission(rawValue: "supervisorMessages")
    /// The roster and the contact-centre file (`agent.add/update/remove`, `router.reload`): operators.
    public static let administration = CommandPermission(rawValue: "administration")
}

/// What the permission table decided for one command.
public enum PermissionDecision: Sendable, Equatable {
    case allowed
    /// Refused: the permission the sender lacks and a sentence naming the sender and it.
    case forbidden(permission: CommandPermission, message: String)

    public var isAllowed: Bool { self == .allowed }

    /// The refusal to answer with; nil when allowed.
    public var failure: CommandFailure? {
        guard case .forbidden(_, let message) = self else { return nil }
        return CommandFailure(code: .forbidden, message: message)
    }

    public var permission: CommandPermission? {
        guard case .forbidden(let permission, _) = self else { return nil }
        return permission
    }
}
