import SwitchboardRouting
public import SwitchboardWire

/// What the router's metrics read at a scrape, kept up to date from each batch's effects (so
/// a scrape never waits for the router's loop): routing decisions by rule, and each queue's
/// latest item (waiting, assigned, within the service level, abandoned).
public struct RouterFigures: Sendable {
    public struct DecisionKey: Hashable, Sendable {
        /// `offered` or `assigned`.
        public var kind: String
        /// The rule's name (`sticky`, `skills`, `fallbackStep(2)`, …).
        public var rule: String
    }

    public var decisions: [DecisionKey: Int] = [:]
    public var queues: [String: QueueItem] = [:]

    public init() {}

    /// Counts the decisions among `effects` and keeps the queue items they carry. A reload
    /// starts the queues over from `queuesAfterReload` (a queue removed leaves the figures).
    mutating func record(_ effects: [RouterEffect], queuesAfterReload: [QueueItem]) {
        for effect in effects {
            switch effect {
            case .conversation(.assigned(let decision, _), _):
                decisions[DecisionKey(kind: "assigned", rule: decision.rule.name), default: 0] += 1
            case .conversation(.offered(let decision, _), _):
                decisions[DecisionKey(kind: "offered", rule: decision.rule.name), default: 0] += 1
            case .queueChanged(let item):
                queues[item.queue.rawValue] = item
            case .reloaded:
                queues = Dictionary(queuesAfterReload.map { ($0.queue.rawValue, $0) }, uniquingKeysWith: { $1 })
            default:
                break
            }
        }
    }
}
