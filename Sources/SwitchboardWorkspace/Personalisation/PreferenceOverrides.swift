/// Personalisation set at one level (a role's defaults, or one agent's choices). A nil
/// setting leaves the level below in force: agent over role over system.
public struct PreferenceOverrides: Codable, Sendable, Equatable {
    public var tabsRemembered: Int?
    public var paneTools: [PaneTool]?
    public var notifications: NotificationOverrides

    public init(
        tabsRemembered: Int? = nil, paneTools: [PaneTool]? = nil, notifications: NotificationOverrides = .init()
    ) {
        self.tabsRemembered = tabsRemembered
        self.paneTools = paneTools
        self.notifications = notifications
    }

    /// The problems with these settings, each naming the setting and `scope` (e.g. "role first-line").
    public func validate(scope: String) -> [PreferenceError] {
        var errors: [PreferenceError] = []
        let range = WorkspaceLimits.tabsRememberedMin...WorkspaceLimits.tabsRememberedMax
        if let tabsRemembered, !range.contains(tabsRemembered) {
            errors.append(
                PreferenceError(
                    scope: scope, key: .tabsRemembered, value: String(tabsRemembered),
                    problem:
                        "must be between \(range.lowerBound) and \(range.upperBound) (the anchor tab plus at least one)"
                ))
        }
        if let paneTools, Set(paneTools).count != paneTools.count {
            errors.append(
                PreferenceError(
                    scope: scope, key: .paneTools, value: paneTools.map(\.rawValue).joined(separator: ","),
                    problem: "lists a tool twice; name each tool once"))
        }
        return errors
    }
}
