/// Where a setting in force came from.
public enum PreferenceSource: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The agent chose it.
    case agent
    /// The supervisors' default for the agent's role.
    case role(name: RoleName)
    /// The built-in default.
    case system

    public var description: String {
        switch self {
        case .agent: "agent"
        case .role(let name): "role \(name.rawValue)"
        case .system: "system"
        }
    }
}

/// The preferences in force for an agent, with where each setting came from, resolved
/// setting by setting in the order agent, then role default, then system default.
public struct ResolvedPreferences: Codable, Sendable, Equatable {
    public var values: WorkspacePreferences
    public var sources: [PreferenceKey: PreferenceSource]

    public func source(of key: PreferenceKey) -> PreferenceSource { sources[key] ?? .system }

    /// Resolves one agent's preferences. Out-of-range tab counts (which validation refuses
    /// before they are stored) are clamped here as a last guard, so the model stays in bounds.
    public static func resolve(
        role: RoleName,
        roleDefaults: PreferenceOverrides,
        agent: PreferenceOverrides,
        system: WorkspacePreferences = .system
    ) -> ResolvedPreferences {
        var sources: [PreferenceKey: PreferenceSource] = [:]
        func pick<Value>(_ key: PreferenceKey, _ agentValue: Value?, _ roleValue: Value?, _ systemValue: Value) -> Value
        {
            if let agentValue {
                sources[key] = .agent
                return agentValue
            }
            if let roleValue {
                sources[key] = .role(name: role)
                return roleValue
            }
            sources[key] = .system
            return systemValue
        }
        let tabs = pick(.tabsRemembered, agent.tabsRemembered, roleDefaults.tabsRemembered, system.tabsRemembered)
        let tools = pick(.paneTools, agent.paneTools, roleDefaults.paneTools, system.paneTools)
        var styles: [NotificationTrigger: NotificationStyle] = [:]
        for trigger in NotificationTrigger.allCases {
            styles[trigger] = pick(
                .notification(trigger), agent.notifications.style(for: trigger),
                roleDefaults.notifications.style(for: trigger), system.notifications.style(for: trigger))
        }
        var uniqueTools: [PaneTool] = []
        for tool in tools where !uniqueTools.contains(tool) { uniqueTools.append(tool) }
        let values = WorkspacePreferences(
            tabsRemembered: min(max(tabs, WorkspaceLimits.tabsRememberedMin), WorkspaceLimits.tabsRememberedMax),
            paneTools: uniqueTools,
            notifications: NotificationPreferences(
                newSession: styles[.newSession] ?? system.notifications.newSession,
                idleSessionMessage: styles[.idleSessionMessage] ?? system.notifications.idleSessionMessage,
                supervisorMessage: styles[.supervisorMessage] ?? system.notifications.supervisorMessage))
        return ResolvedPreferences(values: values, sources: sources)
    }
}
