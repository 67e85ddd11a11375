/// The personalisation in force for one agent: every setting has a value.
public struct WorkspacePreferences: Codable, Sendable, Equatable {
    /// How many tabs a session keeps open, anchor included; beyond it the least recently used closes.
    public var tabsRemembered: Int
    /// The productivity-pane tools switched on, in the agent's order of preference.
    public var paneTools: [PaneTool]
    public var notifications: NotificationPreferences

    public init(tabsRemembered: Int, paneTools: [PaneTool], notifications: NotificationPreferences) {
        self.tabsRemembered = tabsRemembered
        self.paneTools = paneTools
        self.notifications = notifications
    }

    /// The built-in defaults, used where neither the role nor the agent says otherwise.
    public static let system = WorkspacePreferences(
        tabsRemembered: 6,
        paneTools: PaneTool.allCases,
        notifications: NotificationPreferences(
            newSession: .toastAndSound, idleSessionMessage: .toast, supervisorMessage: .toast))
}
