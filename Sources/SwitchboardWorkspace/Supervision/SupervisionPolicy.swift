public import SwitchboardRouting

/// Which roles may supervise how, from the roles and permissions of the contact-centre
/// configuration. Who the sender is comes from the caller (transport security authenticates
/// it); this decides what that sender's role allows.
public struct SupervisionPolicy: Codable, Sendable, Equatable {
    public var permissionsByRole: [RoleName: Set<Permission>]

    public init(permissionsByRole: [RoleName: Set<Permission>]) {
        self.permissionsByRole = permissionsByRole
    }

    /// A supervisor may do everything; an agent nothing. The configuration normally replaces it.
    public static let standard = SupervisionPolicy(permissionsByRole: [
        RoleName("supervisor"): [.observe, .listen, .whisper, .barge],
        RoleName("agent"): [],
    ])

    /// The roles that grant `permission`, sorted, for errors that say what is missing.
    public func roles(granting permission: Permission) -> [RoleName] {
        permissionsByRole.filter { $0.value.contains(permission) }.keys.sorted()
    }

    /// Checks that `sender`, holding `senderRole`, may start `kind` on a conversation of
    /// `channel`. Throws an error naming the missing role or permission and what to do.
    public func authorize(
        sender: AgentID, senderRole: RoleName?, kind: InterventionKind, conversation: ConversationID,
        channel: Channel
    ) throws(SupervisionError) {
        guard let senderRole else { throw .senderHasNoRole(sender: sender) }
        guard let granted = permissionsByRole[senderRole] else {
            throw .unknownRole(sender: sender, role: senderRole)
        }
        guard granted.contains(kind.permission) else {
            throw .permissionMissing(
                sender: sender, role: senderRole, kind: kind, permission: kind.permission,
                rolesGranting: roles(granting: kind.permission))
        }
        guard kind.channels.contains(channel) else {
            throw .notApplicable(conversation: conversation, kind: kind, channel: channel)
        }
    }
}
