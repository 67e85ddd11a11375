/// The rule that decided an offer or assignment, as machine-readable as the bus needs it.
public enum RoutingRule: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Rule 1: the customer's sticky owner, Available, under capacity and skilled enough.
    case sticky
    /// Rule 2 ran out: the conversation was held for its owner, the hold expired, and a
    /// fully skilled agent took it.
    case holdForOwnerFallback
    /// Rule 3: a fully skilled agent, ranked by the queue's method.
    case skills
    /// Rule 4: step `n` (2 or more) of the queue's fallback ladder.
    case fallbackStep(Int)
    /// An explicit transfer to a named agent.
    case transfer

    /// The name on the wire: `sticky`, `holdForOwnerFallback`, `skills`, `fallbackStep(2)`, `transfer`.
    public var name: String {
        switch self {
        case .sticky: "sticky"
        case .holdForOwnerFallback: "holdForOwnerFallback"
        case .skills: "skills"
        case .fallbackStep(let step): "fallbackStep(\(step))"
        case .transfer: "transfer"
        }
    }

    /// Parses `name`; nil for anything else.
    public init?(name: String) {
        switch name {
        case "sticky": self = .sticky
        case "holdForOwnerFallback": self = .holdForOwnerFallback
        case "skills": self = .skills
        case "transfer": self = .transfer
        default:
            guard name.hasPrefix("fallbackStep("), name.hasSuffix(")"),
                let step = Int(name.dropFirst("fallbackStep(".count).dropLast()), step >= 2
            else { return nil }
            self = .fallbackStep(step)
        }
    }

    /// The ladder step the decision used: 1 unless it is a fallback step.
    public var ladderStep: Int {
        if case .fallbackStep(let step) = self { return step }
        return 1
    }

    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let rule = RoutingRule(name: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown routing rule \(name); expected sticky, skills, ...")
        }
        self = rule
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
