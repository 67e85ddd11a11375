public import SwitchboardBus
public import SwitchboardTopology

/// The permission table: which principal may send which command to which service, decided from
/// the sender's role, name and `actFor` in the topology's `security:` section, the receiving
/// service, and the command's type and fields. Pure: no I/O, tested alone; the command path
/// (`GuardedCommandHandler`) asks it before a command changes anything.
///
/// Without security (`principal` nil) everything is allowed: the open mode the processes warn
/// about. With it, an unlisted principal may send nothing.
public struct CommandPermissions: Sendable {
    /// The principals by name; empty when the topology has no security.
    public let principals: [String: TopologySecurity.Principal]

    public init(principals: [TopologySecurity.Principal]) {
        var byName: [String: TopologySecurity.Principal] = [:]
        for principal in principals { byName[principal.name] = principal }
        self.principals = byName
    }

    public init(security: TopologySecurity?) {
        self.init(principals: security?.curve.map { Array($0.principals.values) } ?? [])
    }

    /// Decides for a command as the command server received it.
    public func decide(_ command: CommandRequest, at service: ServiceName) -> PermissionDecision {
        guard let name = command.principal else { return .allowed }
        guard let sender = principals[name] else {
            return .forbidden(
                permission: .listedPrincipal,
                message: "'\(name)' is not a principal of this topology (security.principals); "
                    + "it may send no command")
        }
        return Self.decide(sender: sender, service: service, type: command.type, data: command.data)
    }

    /// The person a command acts for (`agentId` of an agent's command, `supervisorId` of a
    /// supervisor's), as the audit log records it; nil for a command that acts for no one.
    public static func actingFor(type: String, data: JSON) -> String? {
        guard let field = actingForField(type) else { return nil }
        return data[field]?.stringValue
    }

    /// The field that names the person a command type acts for.
    static func actingForField(_ type: String) -> String? {
        if type.hasPrefix("desk.") || type.hasPrefix("presence.") { return "agentId" }
        if type.hasPrefix("supervisor.") { return "supervisorId" }
        if type == "conversation.accept" || type == "conversation.decline" { return "agentId" }
        return nil
    }

    /// The table itself, for a listed sender.
    public static func decide(
        sender: TopologySecurity.Principal, service: ServiceName, type: String, data: JSON
    ) -> PermissionDecision {
        let granted = sender.commands.contains(type)
        if !granted {
            let needed = requirement(service: service, type: type, data: data)
            if !needed.contains(where: { holds(sender, $0, type: type) }) {
                let permission = needed.first ?? .read
                return .forbidden(permission: permission, message: refusal(sender, permission, type, service))
            }
        } else if type == "conversation.message", let role = data["role"]?.stringValue,
            role != "customer" && role != "agent"
        {
            // A simulator plays customers and agents, never a supervisor or the system.
            return .forbidden(
                permission: .supervisorMessages,
                message: refusal(sender, .supervisorMessages, type, service))
        }
        if let field = actingForField(type), let person = data[field]?.stringValue, person != sender.name,
            !sender.actFor, !ownAuthority(sender, type: type)
        {
            return .forbidden(
                permission: .actFor,
                message: "principal '\(sender.name)' (role \(sender.role.rawValue)) lacks 'actFor': it may not "
                    + "send \(type) for '\(person)' (\(field)), only for itself; only principals with "
                    + "actFor: true (the desk, the gateway) act for others")
        }
        return .allowed
    }

    /// The permissions any one of which lets a command through (the first is the one a refusal names).
    static func requirement(service: ServiceName, type: String, data: JSON) -> [CommandPermission] {
        switch (service, type) {
        case (.router, "conversation.open"), (.router, "conversation.abandon"): return [.customerActions]
        case (.router, "conversation.message"):
            switch data["role"]?.stringValue {
            case "customer"?: return [.customerActions]
            case "agent"?: return [.agentActions]
            case "supervisor"?: return [.supervisorMessages]
            // The monitor's joined/left lines; the gateway's "The customer left the chat."
            case "system"?: return [.supervisorMessages, .customerActions]
            // No valid role: whoever may send some message, to be refused by the router for the field.
            default: return [.agentActions, .customerActions, .supervisorMessages]
            }
        case (.router, "conversation.accept"), (.router, "conversation.decline"),
            (.router, "conversation.endWrapUp"), (.router, "conversation.transfer"):
            return [.agentActions]
        // An agent closes a conversation, or the gateway when its customer leaves.
        case (.router, "conversation.close"): return [.agentActions, .customerActions]
        case (.router, "agent.add"), (.router, "agent.update"), (.router, "agent.remove"),
            (.router, "router.reload"):
            return [.administration]
        case (.presence, _) where type.hasPrefix("presence."): return [.presence]
        case (.desk, _) where type.hasPrefix("desk."): return [.agentDesk]
        case (.monitor, _) where type.hasPrefix("supervisor."): return [.supervision]
        // Reads (router.status, conversation.explain/.transcript, monitor.view) and types the
        // service does not take (it answers unknown_command).
        default: return [.read]
        }
    }

    /// Whether `sender` holds `permission` (for `type`).
    static func holds(_ sender: TopologySecurity.Principal, _ permission: CommandPermission, type: String) -> Bool {
        let service = sender.role == .service ? ServiceName(rawValue: sender.name) : nil
        switch permission {
        case .read: return sender.role != .tool
        case .customerActions: return sender.role == .gateway
        // The monitor transfers only: a supervisor's reassignment, after it checked their role.
        case .agentActions: return service == .desk || (service == .monitor && type == "conversation.transfer")
        case .agentDesk: return sender.role == .gateway || sender.role == .operator
        case .presence:
            return sender.role == .gateway
                || ((service == .router || service == .monitor) && type == "presence.set")
        case .supervision: return sender.role == .gateway || sender.role == .operator || service == .monitor
        case .supervisorMessages: return service == .monitor
        case .administration: return sender.role == .operator
        default: return false
        }
    }

    /// The router sets an agent Away after missed offers, and the monitor sets a presence a
    /// supervisor chose (their role checked): decisions about the agent, not made for them.
    static func ownAuthority(_ sender: TopologySecurity.Principal, type: String) -> Bool {
        sender.role == .service && type == "presence.set"
            && (sender.name == ServiceName.router.rawValue || sender.name == ServiceName.monitor.rawValue)
    }

    static func refusal(
        _ sender: TopologySecurity.Principal, _ permission: CommandPermission, _ type: String, _ service: ServiceName
    ) -> String {
        let who = "principal '\(sender.name)' (role \(sender.role.rawValue))"
        if sender.role == .tool {
            return "\(who) lacks '\(permission)': a tool may subscribe and ask for snapshots but sends no "
                + "command (\(type) to the \(service.rawValue)) unless the topology grants it (commands: [...])"
        }
        return "\(who) lacks '\(permission)' for \(type) at the \(service.rawValue): \(holders(permission))"
    }

    static func holders(_ permission: CommandPermission) -> String {
        switch permission {
        case .read: return "services, the gateway and operators read"
        case .customerActions: return "only the gateway acts for customers"
        case .agentActions:
            return "agents act at the router only through the desk (and supervisors reassign through the monitor)"
        case .agentDesk: return "only the gateway (for its agents) and operators (for themselves) use a desk"
        case .presence:
            return "only the gateway (for its agents), the router and the monitor (for supervisors) set presence"
        case .supervision: return "only the gateway (for a supervisor), the monitor and operators supervise"
        case .supervisorMessages: return "only the monitor sends supervisor and system messages"
        case .administration: return "only operators change agents or reload the router"
        default: return "no principal holds it"
        }
    }
}
