public import SwitchboardBus
public import SwitchboardRouting

/// The router's alert item, `alert.<kind>:<…>` (docs/PROTOCOL.md §6.1): a skill no signed-in
/// agent has at the level a waiting conversation needs, or a queue past its limits.
public enum RouterAlertItem: Sendable, Hashable {
    /// `{kind: "skill-too-rare", skill, minimumLevel, queue, conversationId, sentence}`.
    case skillTooRare(
        skill: SkillID, minimumLevel: Int, queue: QueueID, conversationId: ConversationID, sentence: String)
    /// `{kind: "queue-overflow", queue, waiting, maxWaiting, overdue, maxWaitSeconds, sentence}`.
    case queueOverflow(
        queue: QueueID, waiting: Int, maxWaiting: Int?, overdue: Int, maxWaitSeconds: Double?, sentence: String)

    /// The kinds, as `kind` writes them.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case skillTooRare = "skill-too-rare"
        case queueOverflow = "queue-overflow"
    }

    public var kind: Kind {
        switch self {
        case .skillTooRare: .skillTooRare
        case .queueOverflow: .queueOverflow
        }
    }

    public var queue: QueueID {
        switch self {
        case .skillTooRare(_, _, let queue, _, _), .queueOverflow(let queue, _, _, _, _, _): queue
        }
    }

    public var sentence: String {
        switch self {
        case .skillTooRare(_, _, _, _, let sentence), .queueOverflow(_, _, _, _, _, let sentence): sentence
        }
    }

    public var json: JSON {
        switch self {
        case .skillTooRare(let skill, let level, let queue, let conversation, let sentence):
            [
                "kind": .string(Kind.skillTooRare.rawValue), "skill": .string(skill.rawValue),
                "minimumLevel": .number(level), "queue": .string(queue.rawValue),
                "conversationId": .string(conversation.rawValue), "sentence": .string(sentence),
            ]
        case .queueOverflow(let queue, let waiting, let maxWaiting, let overdue, let maxWaitSeconds, let sentence):
            [
                "kind": .string(Kind.queueOverflow.rawValue), "queue": .string(queue.rawValue),
                "waiting": .number(waiting), "maxWaiting": maxWaiting.map { .number($0) } ?? .null,
                "overdue": .number(overdue), "maxWaitSeconds": maxWaitSeconds.map { .double($0) } ?? .null,
                "sentence": .string(sentence),
            ]
        }
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "router alert item")
        switch try fields.oneOf("kind", Kind.self) {
        case .skillTooRare:
            self = .skillTooRare(
                skill: try fields.identifier("skill"), minimumLevel: try fields.int("minimumLevel"),
                queue: try fields.identifier("queue"), conversationId: try fields.identifier("conversationId"),
                sentence: try fields.string("sentence"))
        case .queueOverflow:
            self = .queueOverflow(
                queue: try fields.identifier("queue"), waiting: try fields.int("waiting"),
                maxWaiting: try fields.optionalInt("maxWaiting"), overdue: try fields.int("overdue"),
                maxWaitSeconds: try fields.optionalDouble("maxWaitSeconds"), sentence: try fields.string("sentence"))
        }
    }
}
