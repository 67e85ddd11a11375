/// A kind of customer contact. Capacity is counted per channel.
public enum Channel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case voice
    case chat
    case messaging
    case email
    case `case`

    public static func < (lhs: Channel, rhs: Channel) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .voice: 0
        case .chat: 1
        case .messaging: 2
        case .email: 3
        case .case: 4
        }
    }
}

// Channels key persisted dictionaries (`capacity: {chat: 3, voice: 1}`).
extension Channel: CodingKeyRepresentable {}
