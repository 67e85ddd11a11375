/// How much work of each channel an agent can hold at once, which channels block others
/// while live, and which queues agents of this profile serve.
public struct CapacityProfile: Sendable, Hashable, Codable {
    public var id: CapacityProfileID
    /// Cap per channel; a missing channel means 0 (the agent takes none of it).
    public var capacity: [Channel: Int]
    /// While an agent has live work (offered or assigned, not wrap-up) on `channel`, no
    /// new work on the `blocks` channels: a live voice call gets no new chat or email.
    public var exclusions: [ChannelExclusion]
    /// Queues served by every agent with this profile (in addition to their role's).
    public var queues: [QueueID]

    public init(
        id: CapacityProfileID, capacity: [Channel: Int], exclusions: [ChannelExclusion] = [],
        queues: [QueueID] = []
    ) {
        self.id = id
        self.capacity = capacity
        self.exclusions = exclusions
        self.queues = queues
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(CapacityProfileID.self, forKey: .id)
        capacity = try container.decodeIfPresent([Channel: Int].self, forKey: .capacity) ?? [:]
        exclusions = try container.decodeIfPresent([ChannelExclusion].self, forKey: .exclusions) ?? []
        queues = try container.decodeIfPresent([QueueID].self, forKey: .queues) ?? []
    }
}

/// "While work on `channel` is live, take no new work on `blocks`."
public struct ChannelExclusion: Sendable, Hashable, Codable {
    public var channel: Channel
    public var blocks: [Channel]

    public init(channel: Channel, blocks: [Channel]) {
        self.channel = channel
        self.blocks = blocks
    }

    /// The usual rule: a live voice call blocks new chats, messages and emails.
    public static let voiceBlocksText = ChannelExclusion(channel: .voice, blocks: [.chat, .messaging, .email])
}

/// A fixed-size count per channel: loads and caps without a dictionary on the hot path.
public struct ChannelCounts: Sendable, Hashable, Codable, CustomStringConvertible {
    public var voice: Int
    public var chat: Int
    public var messaging: Int
    public var email: Int
    public var `case`: Int

    public init(voice: Int = 0, chat: Int = 0, messaging: Int = 0, email: Int = 0, case caseCount: Int = 0) {
        self.voice = voice
        self.chat = chat
        self.messaging = messaging
        self.email = email
        self.case = caseCount
    }

    public init(_ dictionary: [Channel: Int]) {
        self.init()
        for (channel, count) in dictionary { self[channel] = count }
    }

    public static let zero = ChannelCounts()

    @inline(__always)
    public subscript(channel: Channel) -> Int {
        get {
            switch channel {
            case .voice: voice
            case .chat: chat
            case .messaging: messaging
            case .email: email
            case .case: self.case
            }
        }
        set {
            switch channel {
            case .voice: voice = newValue
            case .chat: chat = newValue
            case .messaging: messaging = newValue
            case .email: email = newValue
            case .case: self.case = newValue
            }
        }
    }

    /// True when every channel is zero.
    public var isZero: Bool { self == .zero }

    /// Only the non-zero channels, as a dictionary.
    public var nonZero: [Channel: Int] {
        var result: [Channel: Int] = [:]
        for channel in Channel.allCases where self[channel] != 0 { result[channel] = self[channel] }
        return result
    }

    public var description: String {
        Channel.allCases.filter { self[$0] != 0 }.map { "\($0.rawValue) \(self[$0])" }.joined(separator: ", ")
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Channel: Int].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nonZero)
    }
}
