public import SwitchboardBus
public import SwitchboardRouting

/// The monitor's item of a conversation that needs a supervisor's eye,
/// `monitor.conversation.<id>` (docs/PROTOCOL.md §6.5): the router's facts with health flags
/// and an escalation. Gone (`item: null`) when healthy again or ended.
public struct MonitorConversationItem: Sendable, Hashable {
    /// One thing that is off, with its figures.
    public enum Flag: Sendable, Hashable {
        case longWait(phrase: String, seconds: Int)
        case longSilence(phrase: String, seconds: Int, onHold: Bool)
        case negativeSentiment(phrase: String, terms: [String], score: Int)
        case repeatedTransfers(phrase: String, count: Int)

        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case longWait = "long-wait"
            case longSilence = "long-silence"
            case negativeSentiment = "negative-sentiment"
            case repeatedTransfers = "repeated-transfers"
        }

        public var kind: Kind {
            switch self {
            case .longWait: .longWait
            case .longSilence: .longSilence
            case .negativeSentiment: .negativeSentiment
            case .repeatedTransfers: .repeatedTransfers
            }
        }

        /// What a supervisor reads, e.g. "waiting 4m10s for an agent".
        public var phrase: String {
            switch self {
            case .longWait(let phrase, _), .longSilence(let phrase, _, _), .negativeSentiment(let phrase, _, _),
                .repeatedTransfers(let phrase, _):
                phrase
            }
        }

        /// `{kind, phrase, …figures}`.
        public var json: JSON {
            var object = JSONObject([("kind", .string(kind.rawValue)), ("phrase", .string(phrase))])
            switch self {
            case .longWait(_, let seconds): object["seconds"] = .number(seconds)
            case .longSilence(_, let seconds, let onHold):
                object["seconds"] = .number(seconds)
                object["onHold"] = .bool(onHold)
            case .negativeSentiment(_, let terms, let score):
                object["terms"] = .array(terms.map(JSON.string))
                object["score"] = .number(score)
            case .repeatedTransfers(_, let count): object["count"] = .number(count)
            }
            return .object(object)
        }

        init(fields: WireFields) throws(WireError) {
            let phrase = try fields.string("phrase")
            switch try fields.oneOf("kind", Kind.self) {
            case .longWait: self = .longWait(phrase: phrase, seconds: try fields.int("seconds"))
            case .longSilence:
                self = .longSilence(
                    phrase: phrase, seconds: try fields.int("seconds"), onHold: try fields.bool("onHold"))
            case .negativeSentiment:
                self = .negativeSentiment(
                    phrase: phrase, terms: try fields.strings("terms"), score: try fields.int("score"))
            case .repeatedTransfers: self = .repeatedTransfers(phrase: phrase, count: try fields.int("count"))
            }
        }
    }

    public struct Escalation: Sendable, Hashable {
        public enum Level: String, Sendable, Hashable, CaseIterable {
            case watch
            case intervene
        }

        public var level: Level
        public var reason: String

        public init(level: Level, reason: String) {
            self.level = level
            self.reason = reason
        }
    }

    public var conversationId: ConversationID
    public var customerId: CustomerID
    public var queue: QueueID
    public var channel: Channel
    public var state: ConversationState
    public var agentId: AgentID?
    public var flags: [Flag]
    public var escalation: Escalation?
    /// The summariser's running summary, when it published one.
    public var summary: String?

    public init(
        conversationId: ConversationID, customerId: CustomerID, queue: QueueID, channel: Channel,
        state: ConversationState, agentId: AgentID?, flags: [Flag], escalation: Escalation?, summary: String?
    ) {
        self.conversationId = conversationId
        self.customerId = customerId
        self.queue = queue
        self.channel = channel
        self.state = state
        self.agentId = agentId
        self.flags = flags
        self.escalation = escalation
        self.summary = summary
    }

    /// The item's key, `monitor.conversation.<id>`.
    public var key: String { "monitor.conversation.\(conversationId)" }

    public var json: JSON {
        [
            "conversationId": .string(conversationId.rawValue), "customerId": .string(customerId.rawValue),
            "queue": .string(queue.rawValue), "channel": .string(channel.rawValue), "state": .string(state.rawValue),
            "agentId": .optional(agentId?.rawValue), "flags": .array(flags.map(\.json)),
            "escalation": escalation.map { ["level": .string($0.level.rawValue), "reason": .string($0.reason)] }
                ?? .null,
            "summary": .optional(summary),
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.conversation item")
        self.init(
            conversationId: try fields.identifier("conversationId"), customerId: try fields.identifier("customerId"),
            queue: try fields.identifier("queue"), channel: try fields.oneOf("channel"),
            state: try fields.oneOf("state"),
            agentId: try fields.optionalIdentifier("agentId"),
            flags: try fields.elements("flags") { value, path throws(WireError) in
                try Flag(fields: try WireFields(value, item: fields.item, path: path))
            },
            escalation: try fields.optionalFields("escalation").map { escalation throws(WireError) in
                Escalation(level: try escalation.oneOf("level"), reason: try escalation.string("reason"))
            },
            summary: try fields.optionalString("summary"))
    }
}
