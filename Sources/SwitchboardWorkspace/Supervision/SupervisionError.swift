public import SwitchboardRouting

/// Why a supervision command was refused. The monitor answers with a NACK carrying `code`
/// and `description`, which names the sender, the role or permission missing, and what to do.
public enum SupervisionError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// The configuration gives the sender no role.
    case senderHasNoRole(sender: AgentID)
    /// The sender's role is not defined in the configuration.
    case unknownRole(sender: AgentID, role: RoleName)
    /// The sender's role does not grant the permission; `rolesGranting` lists the roles that do.
    case permissionMissing(
        sender: AgentID, role: RoleName, kind: InterventionKind, permission: Permission, rolesGranting: [RoleName])
    /// This kind of intervention does not apply to the conversation's channel.
    case notApplicable(conversation: ConversationID, kind: InterventionKind, channel: Channel)
    /// A stop or message from a supervisor who is not intervening in the conversation.
    case notIntervening(sender: AgentID, conversation: ConversationID)
    /// Whisper needs text to whisper.
    case messageRequired(conversation: ConversationID, kind: InterventionKind)
    /// Observe and listen are silent: they carry no text.
    case silentKindCarriesNoText(conversation: ConversationID, kind: InterventionKind)
    case messageTooLarge(conversation: ConversationID, bytes: Int, bytesMax: Int)
    case tooManySupervisors(conversation: ConversationID, supervisorsMax: Int)
    case tooManyInterventions(interventionsMax: Int)

    public var code: String {
        switch self {
        case .senderHasNoRole: "no-role"
        case .unknownRole: "unknown-role"
        case .permissionMissing: "permission-missing"
        case .notApplicable: "not-applicable"
        case .notIntervening: "not-intervening"
        case .messageRequired: "message-required"
        case .silentKindCarriesNoText: "silent-intervention"
        case .messageTooLarge: "message-too-large"
        case .tooManySupervisors: "too-many-supervisors"
        case .tooManyInterventions: "too-many-interventions"
        }
    }

    public var description: String {
        switch self {
        case .senderHasNoRole(let sender):
            return "\(sender) has no role in the contact-centre configuration, so may not supervise; "
                + "give \(sender) a role with supervision permissions (e.g. supervisor)."
        case .unknownRole(let sender, let role):
            return "\(sender) has role '\(role)', which the contact-centre configuration does not define; "
                + "define the role under roles: or correct \(sender)'s role."
        case .permissionMissing(let sender, let role, let kind, let permission, let rolesGranting):
            let remedy =
                rolesGranting.isEmpty
                ? "no role grants it: add '\(permission)' to a role's permissions in the contact-centre configuration."
                : "the role '\(rolesGranting.map(\.rawValue).joined(separator: "' or '"))' grants it: "
                    + "ask an administrator to give \(sender) that role, or ask a supervisor to step in."
            return "\(sender) has role '\(role)', which does not grant '\(permission)'; "
                + "\(kind.rawValue) needs a role with '\(permission)': \(remedy)"
        case .notApplicable(let conversation, let kind, let channel):
            let alternatives = InterventionKind.applicable(to: channel).map(\.rawValue)
            let remedy =
                alternatives.isEmpty
                ? "\(channel.rawValue) conversations are reviewed, not joined live."
                : "use \(alternatives.joined(separator: ", ")) on \(channel.rawValue)."
            return "\(kind.rawValue) does not apply to \(conversation), a \(channel.rawValue) conversation; \(remedy)"
        case .notIntervening(let sender, let conversation):
            return "\(sender) is not supervising \(conversation); start with observe, listen, whisper or barge."
        case .messageRequired(let conversation, let kind):
            return "\(kind.rawValue) into \(conversation) needs the text to send."
        case .silentKindCarriesNoText(let conversation, let kind):
            return "\(kind.rawValue) on \(conversation) is silent and sends nothing; whisper to reach the agent, "
                + "or barge to reach the customer too."
        case .messageTooLarge(let conversation, let bytes, let bytesMax):
            return "The message to \(conversation) is \(bytes) bytes; at most \(bytesMax) are sent at once."
        case .tooManySupervisors(let conversation, let supervisorsMax):
            return "\(supervisorsMax) supervisors already watch \(conversation); one of them must stop first."
        case .tooManyInterventions(let interventionsMax):
            return "\(interventionsMax) interventions are in progress; stop some before starting more."
        }
    }
}
