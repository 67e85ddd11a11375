import Foundation
import SwitchboardRouting

/// What `switchboard replay --json` prints: one object whose keys a supervisor's page draws.
public struct ReplayReport: Sendable, Encodable {
    public var window: Window
    public var centre: Centre
    public var conversations: Int
    public var inputs: Int
    public var replaySeconds: Double
    public var conversationsPerSecond: Double
    public var reproduction: Reproduction
    public var queues: [QueueRow]
    public var hourly: [HourRow]
    public var agents: [AgentRow]
    public var changedConversations: Int
    public var models: Models
    public var explain: Explanation?
    /// Every recorded decision in the window (only when asked for: `--decisions`).
    public var decisions: [Decision]?

    public struct Window: Sendable, Encodable {
        public var since: String
        public var until: String
    }

    public struct Centre: Sendable, Encodable {
        public var changed: String?

        enum CodingKeys: String, CodingKey { case changed }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(changed, forKey: .changed)
        }
    }

    public struct Decision: Sendable, Encodable {
        public var conversation: String
        public var agent: String
        public var at: String
        public var rule: String
        public var reason: String
        public var offered: Bool

        init(_ decision: ReplayDecision) {
            conversation = decision.conversation.rawValue
            agent = decision.agent.rawValue
            at = ReplayTime.iso(decision.at)
            rule = decision.rule
            reason = decision.reason
            offered = decision.offered
        }
    }

    public struct Divergence: Sendable, Encodable {
        public var conversation: String
        public var at: String
        public var recorded: Decision?
        public var replayed: Decision?

        enum CodingKeys: String, CodingKey { case conversation, at, recorded, replayed }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(conversation, forKey: .conversation)
            try container.encode(at, forKey: .at)
            try container.encode(recorded, forKey: .recorded)
            try container.encode(replayed, forKey: .replayed)
        }
    }

    public struct Reproduction: Sendable, Encodable {
        /// Recorded decisions within the window, and how many the what-if run made the same.
        public var decisions: Int
        public var equal: Int
        public var firstDivergence: Divergence?

        enum CodingKeys: String, CodingKey { case decisions, equal, firstDivergence }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(decisions, forKey: .decisions)
            try container.encode(equal, forKey: .equal)
            try container.encode(firstDivergence, forKey: .firstDivergence)
        }
    }

    public struct QueueRow: Sendable, Encodable {
        public var queue: String
        public var recorded: QueueFigures
        public var replayed: QueueFigures
        public var difference: QueueFigures
    }

    public struct HourRow: Sendable, Encodable {
        public var hour: String
        public var queue: String
        public var recorded: HourFigures
        public var replayed: HourFigures
    }

    public struct HourFigures: Sendable, Encodable {
        public var serviceLevel: Double?
        public var averageWaitSeconds: Double?
        public var arrivals: Int

        init(_ figures: QueueFigures?) {
            serviceLevel = figures?.serviceLevel.map(ReplayFigures.rounded)
            averageWaitSeconds = figures?.averageWaitSeconds.map(ReplayFigures.rounded)
            arrivals = figures?.arrivals ?? 0
        }

        enum CodingKeys: String, CodingKey { case serviceLevel, averageWaitSeconds, arrivals }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(serviceLevel, forKey: .serviceLevel)
            try container.encode(averageWaitSeconds, forKey: .averageWaitSeconds)
            try container.encode(arrivals, forKey: .arrivals)
        }
    }

    public struct AgentRow: Sendable, Encodable {
        public var agent: String
        public var recorded: AgentFigures?
        public var replayed: AgentFigures?

        enum CodingKeys: String, CodingKey { case agent, recorded, replayed }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(agent, forKey: .agent)
            try container.encode(recorded, forKey: .recorded)
            try container.encode(replayed, forKey: .replayed)
        }
    }

    public struct Models: Sendable, Encodable {
        public var patience: [ReplayModels.PatienceModel]
        public var handling: [ReplayModels.HandlingModel]
        public var acceptDelay: [ReplayModels.MedianModel]
        public var wrapUp: [ReplayModels.MedianModel]
    }

    public struct Explanation: Sendable, Encodable {
        public var conversation: String
        public var recorded: Side?
        public var replayed: Side?

        public struct Side: Sendable, Encodable {
            public var agent: String?
            public var rule: String?
            public var reason: String?
            public var waitSeconds: Double?
            /// What happened to it: answered, abandoned, waiting.
            public var outcome: String

            enum CodingKeys: String, CodingKey { case agent, rule, reason, waitSeconds, outcome }
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(agent, forKey: .agent)
                try container.encode(rule, forKey: .rule)
                try container.encode(reason, forKey: .reason)
                try container.encode(waitSeconds.map(ReplayFigures.rounded), forKey: .waitSeconds)
                try container.encode(outcome, forKey: .outcome)
            }
        }

        enum CodingKeys: String, CodingKey { case conversation, recorded, replayed }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(conversation, forKey: .conversation)
            try container.encode(recorded, forKey: .recorded)
            try container.encode(replayed, forKey: .replayed)
        }
    }

    enum CodingKeys: String, CodingKey {
        case window, centre, conversations, inputs, replaySeconds, conversationsPerSecond, reproduction, queues,
            hourly, agents, changedConversations, models, explain, decisions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(window, forKey: .window)
        try container.encode(centre, forKey: .centre)
        try container.encode(conversations, forKey: .conversations)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(replaySeconds, forKey: .replaySeconds)
        try container.encode(conversationsPerSecond, forKey: .conversationsPerSecond)
        try container.encode(reproduction, forKey: .reproduction)
        try container.encode(queues, forKey: .queues)
        try container.encode(hourly, forKey: .hourly)
        try container.encode(agents, forKey: .agents)
        try container.encode(changedConversations, forKey: .changedConversations)
        try container.encode(models, forKey: .models)
        try container.encode(explain, forKey: .explain)
        try container.encodeIfPresent(decisions, forKey: .decisions)
    }

    /// One line of JSON.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
