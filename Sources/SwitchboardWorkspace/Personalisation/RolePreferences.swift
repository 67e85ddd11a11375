/// The workspace defaults supervisors set per role, as the contact-centre configuration
/// declares them. A role without an entry uses the system defaults.
public struct RolePreferences: Codable, Sendable, Equatable {
    public var defaultsByRole: [RoleName: PreferenceOverrides]

    public init(defaultsByRole: [RoleName: PreferenceOverrides] = [:]) {
        self.defaultsByRole = defaultsByRole
    }

    /// The defaults for `role` (empty when the role sets none).
    public func defaults(for role: RoleName) -> PreferenceOverrides {
        defaultsByRole[role] ?? PreferenceOverrides()
    }

    /// The preferences in force for an agent of `role` with their own `agent` overrides.
    public func resolve(role: RoleName, agent: PreferenceOverrides) -> ResolvedPreferences {
        ResolvedPreferences.resolve(role: role, roleDefaults: defaults(for: role), agent: agent)
    }

    /// Every problem in every role's defaults, in role order, for the configuration loader
    /// to refuse the file with.
    public func validate() -> [PreferenceError] {
        defaultsByRole.keys.sorted().flatMap { role in
            defaults(for: role).validate(scope: "role \(role.rawValue)")
        }
    }
}
