import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardWorkspace

/// The settings a `desk.setPreferences` changes, over the agent's own: a field left out keeps
/// its value, a field sent as `null` goes back to the role's default.
public struct PreferencePatch: Sendable, Equatable {
    /// What to do with one setting.
    public enum Change<Value: Sendable & Equatable>: Sendable, Equatable {
        case keep
        case set(Value)
        case reset

        func applied(to value: Value?) -> Value? {
            switch self {
            case .keep: value
            case .set(let new): new
            case .reset: nil
            }
        }
    }

    public var tabsRemembered: Change<Int> = .keep
    public var paneTools: Change<[PaneTool]> = .keep
    public var notifications: [NotificationTrigger: Change<NotificationStyle>] = [:]

    public init() {}

    /// The agent's overrides after this change.
    public func applied(to overrides: PreferenceOverrides) -> PreferenceOverrides {
        var result = overrides
        result.tabsRemembered = tabsRemembered.applied(to: overrides.tabsRemembered)
        result.paneTools = paneTools.applied(to: overrides.paneTools)
        var notifications = overrides.notifications
        for (trigger, change) in self.notifications {
            let value = change.applied(to: notifications.style(for: trigger))
            switch trigger {
            case .newSession: notifications.newSession = value
            case .idleSessionMessage: notifications.idleSessionMessage = value
            case .supervisorMessage: notifications.supervisorMessage = value
            }
        }
        result.notifications = notifications
        return result
    }

    init(_ fields: CommandFields) throws(CommandFailure) {
        switch fields.data["tabsRemembered"] {
        case nil: break
        case .null?: tabsRemembered = .reset
        case let value?:
            guard let count = value.intValue else { throw fields.invalid("tabsRemembered", "must be a whole number") }
            tabsRemembered = .set(Int(count))
        }
        switch fields.data["paneTools"] {
        case nil: break
        case .null?: paneTools = .reset
        case .array(let names)?:
            var tools: [PaneTool] = []
            for name in names {
                guard let text = name.stringValue, let tool = PaneTool(rawValue: text) else {
                    throw fields.invalid(
                        "paneTools",
                        "names '\(name.text)', which is not a pane tool; use "
                            + "\(PaneTool.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                tools.append(tool)
            }
            paneTools = .set(tools)
        default:
            throw fields.invalid("paneTools", "must be a list of pane tools, or null for the role's default")
        }
        switch fields.data["notifications"] {
        case nil: break
        case .object(let members)?:
            for member in members {
                guard let trigger = NotificationTrigger(camelCase: member.key) else {
                    throw fields.invalid(
                        "notifications.\(member.key)",
                        "is not a notification; use newSession, idleSessionMessage or supervisorMessage")
                }
                if member.value.isNull {
                    notifications[trigger] = .reset
                } else if let text = member.value.stringValue, let style = NotificationStyle(rawValue: text) {
                    notifications[trigger] = .set(style)
                } else {
                    throw fields.invalid(
                        "notifications.\(member.key)",
                        "must be off, badge, toast or toast-and-sound (or null for the role's default)")
                }
            }
        default:
            throw fields.invalid(
                "notifications", "must map newSession, idleSessionMessage, supervisorMessage to a style")
        }
        guard tabsRemembered != .keep || paneTools != .keep || !notifications.isEmpty else {
            throw CommandFailure(
                code: .missingField,
                message: "send at least one of \"tabsRemembered\", \"paneTools\", \"notifications\"")
        }
    }
}

extension NotificationTrigger {
    /// The contact-centre file's and the protocol's spelling (`idleSessionMessage`).
    init?(camelCase name: String) {
        switch name {
        case "newSession": self = .newSession
        case "idleSessionMessage": self = .idleSessionMessage
        case "supervisorMessage": self = .supervisorMessage
        default: return nil
        }
    }
}
