/// One personalisation setting.
public enum PreferenceKey: String, Codable, Sendable, Hashable, CaseIterable, CodingKeyRepresentable {
    case tabsRemembered = "tabs-remembered"
    case paneTools = "pane-tools"
    case notifyNewSession = "notifications.new-session"
    case notifyIdleSessionMessage = "notifications.idle-session-message"
    case notifySupervisorMessage = "notifications.supervisor-message"

    static func notification(_ trigger: NotificationTrigger) -> PreferenceKey {
        switch trigger {
        case .newSession: .notifyNewSession
        case .idleSessionMessage: .notifyIdleSessionMessage
        case .supervisorMessage: .notifySupervisorMessage
        }
    }
}

/// A personalisation setting that cannot be used: names where it was set, which setting,
/// the value, and what a valid value looks like.
public struct PreferenceError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// Where the setting comes from: "agent a-7", "role first-line".
    public var scope: String
    public var key: PreferenceKey
    public var value: String
    public var problem: String

    public init(scope: String, key: PreferenceKey, value: String, problem: String) {
        self.scope = scope
        self.key = key
        self.value = value
        self.problem = problem
    }

    public var description: String { "\(scope): \(key.rawValue) = \(value) \(problem)" }
}
