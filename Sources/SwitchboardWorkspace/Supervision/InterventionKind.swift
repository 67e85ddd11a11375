public import SwitchboardRouting

/// How a supervisor steps into a live conversation.
///
/// | kind    | channels                 | what it does                                        |
/// |---------|--------------------------|-----------------------------------------------------|
/// | observe | chat, messaging          | reads the conversation live; silent                 |
/// | listen  | voice                    | hears the call live; silent                         |
/// | whisper | chat, messaging, voice   | speaks to the agent only; the customer never sees it|
/// | barge   | chat, messaging, voice   | joins: the customer and the agent both see it       |
///
/// Email and case are asynchronous: a supervisor reviews them, there is nothing live to join.
public enum InterventionKind: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case observe
    case listen
    case whisper
    case barge

    /// The channels this kind applies to.
    public var channels: Set<Channel> {
        switch self {
        case .observe: [.chat, .messaging]
        case .listen: [.voice]
        case .whisper, .barge: [.chat, .messaging, .voice]
        }
    }

    /// The permission a sender's role must grant.
    public var permission: Permission {
        switch self {
        case .observe: .observe
        case .listen: .listen
        case .whisper: .whisper
        case .barge: .barge
        }
    }

    /// Observe and listen say nothing to anyone.
    public var isSilent: Bool { self == .observe || self == .listen }

    /// The kinds that apply to `channel`, for errors that suggest the right one.
    public static func applicable(to channel: Channel) -> [InterventionKind] {
        allCases.filter { $0.channels.contains(channel) }
    }

    /// Engagement order: silent monitoring, then whispering, then barging in.
    public static func < (lhs: InterventionKind, rhs: InterventionKind) -> Bool {
        rank(lhs) < rank(rhs)
    }

    private static func rank(_ kind: InterventionKind) -> Int {
        switch kind {
        case .observe, .listen: 0
        case .whisper: 1
        case .barge: 2
        }
    }
}
