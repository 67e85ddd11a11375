/// How loudly the desk tells the agent about something.
public enum NotificationStyle: String, Codable, Sendable, Hashable, CaseIterable {
    /// Nothing beyond the session list.
    case off
    /// The unread badge on the session only.
    case badge
    /// A toast the agent can click to go to the session.
    case toast
    /// A toast with a sound.
    case toastAndSound = "toast-and-sound"

    /// Whether the desk raises a notification the client shows (toast, sound).
    public var interruptsAgent: Bool { self == .toast || self == .toastAndSound }
}

/// What the desk can notify about.
public enum NotificationTrigger: String, Codable, Sendable, Hashable, CaseIterable {
    /// A session opened in the background (a new chat while busy, a case).
    case newSession = "new-session"
    /// A customer wrote in a session the agent is not looking at.
    case idleSessionMessage = "idle-session-message"
    /// A supervisor whispered or barged in a session the agent is not looking at.
    case supervisorMessage = "supervisor-message"
}

/// The notification style per trigger.
public struct NotificationPreferences: Codable, Sendable, Equatable {
    public var newSession: NotificationStyle
    public var idleSessionMessage: NotificationStyle
    public var supervisorMessage: NotificationStyle

    public init(
        newSession: NotificationStyle, idleSessionMessage: NotificationStyle, supervisorMessage: NotificationStyle
    ) {
        self.newSession = newSession
        self.idleSessionMessage = idleSessionMessage
        self.supervisorMessage = supervisorMessage
    }

    public func style(for trigger: NotificationTrigger) -> NotificationStyle {
        switch trigger {
        case .newSession: newSession
        case .idleSessionMessage: idleSessionMessage
        case .supervisorMessage: supervisorMessage
        }
    }
}

/// Notification settings that a role default or an agent sets; nil leaves the level below in force.
public struct NotificationOverrides: Codable, Sendable, Equatable {
    public var newSession: NotificationStyle?
    public var idleSessionMessage: NotificationStyle?
    public var supervisorMessage: NotificationStyle?

    public init(
        newSession: NotificationStyle? = nil,
        idleSessionMessage: NotificationStyle? = nil,
        supervisorMessage: NotificationStyle? = nil
    ) {
        self.newSession = newSession
        self.idleSessionMessage = idleSessionMessage
        self.supervisorMessage = supervisorMessage
    }

    public func style(for trigger: NotificationTrigger) -> NotificationStyle? {
        switch trigger {
        case .newSession: newSession
        case .idleSessionMessage: idleSessionMessage
        case .supervisorMessage: supervisorMessage
        }
    }
}
