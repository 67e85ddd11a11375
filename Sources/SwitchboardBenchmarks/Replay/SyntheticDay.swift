import Foundation
public import Logging
public import SwitchboardRouter
import GRDB
public import SwitchboardRouting
import SwitchboardStore

/// A recorded day made in process: a seeded workload (Poisson arrivals in an English and a
/// Spanish chat queue, exponential handling and patience, returning customers) drives the
/// router's state machine, and every input goes into a real SQLite router store through the
/// router's own journal code, with a history checkpoint at the start, as a live router with
/// `journalRetention:` would leave it.
public struct SyntheticDay: Sendable {
    public var conversations: Int
    public var seed: UInt64
    public var englishAgents = 60
    public var spanishAgents = 3
    public var spanishShare = 0.05
    public var meanHandlingSeconds = 180.0
    public var meanPatienceSeconds = 240.0
    public var customers = 20_000

    public static let start = RoutingInstant(millisecondsSinceEpoch: 1_798_761_600_000)  // 2027-01-01T00:00Z

    public init(conversations: Int, seed: UInt64) {
        self.conversations = conversations
        self.seed = seed
    }

    /// The centre of the day: `spanishAgents` speak Spanish (and English), the rest English.
    public func settings(spanishAgents: Int? = nil) -> RouterSettings {
        let queues = [
            QueueConfiguration(
                id: "chat-en", channel: .chat, requiredSkills: [SkillRequirement("english", minimumLevel: 2)],
                serviceLevel: ServiceLevelTarget(percent: 80, withinSeconds: 30)),
            QueueConfiguration(
                id: "chat-es", channel: .chat, requiredSkills: [SkillRequirement("spanish", minimumLevel: 2)],
                serviceLevel: ServiceLevelTarget(percent: 80, withinSeconds: 30)),
        ]
        let routing = RoutingConfiguration(
            skills: [SkillDefinition(id: "english", kind: .language), SkillDefinition(id: "spanish", kind: .language)],
            capacityProfiles: [CapacityProfile(id: "chat", capacity: [.chat: 2])],
            roles: [Role(id: "agent", queues: queues.map(\.id))], queues: queues)
        var agents = (0..<englishAgents).map { index in
            AgentProfile(id: AgentID("en-\(index)"), role: "agent", capacityProfile: "chat", skills: ["english": 3])
        }
        for index in 0..<(spanishAgents ?? self.spanishAgents) {
            agents.append(
                AgentProfile(
                    id: AgentID("es-\(index)"), role: "agent", capacityProfile: "chat",
                    skills: ["spanish": 4, "english": 2]))
        }
        return RouterSettings(routing: routing, agents: agents, closedRetentionSeconds: 600)
    }

    private struct Event: Comparable {
        var at: Int64
        var order: Int
        var input: RouterInput

        static func < (a: Event, b: Event) -> Bool { (a.at, a.order) < (b.at, b.order) }
        static func == (a: Event, b: Event) -> Bool { (a.at, a.order) == (b.at, b.order) }
    }

    /// Records the day into a new store at `path`; returns the number of inputs journaled.
    public func record(to path: String, logger: Logger) async throws -> Int {
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: path, source: "router"), logger: logger, migrations: RouterJournal.migrate)
        let settings = settings()
        var state = try RouterState(settings: settings, now: Self.start)
        var random = SplitMix64(seed: seed)
        var pending: [(RouterInput, RoutingInstant)] = []
        var inputs = 0
        func apply(_ input: RouterInput, at: RoutingInstant) -> RouterStep {
            let step = state.apply(input, at: at)
            pending.append((input, at))
            inputs += 1
            return step
        }
        func flush() async throws {
            let batch = pending
            pending = []
            _ = try await store.commit { transaction in try RouterJournal.append(batch, in: transaction.db) }
        }
        for (index, agent) in settings.agents.enumerated() {
            _ = apply(
                .presence(agent.id, .available, stamp: PresenceStamp(epoch: 1, sequence: UInt64(index + 1))),
                at: Self.start)
        }
        try await flush()
        let through = try await store.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(position) FROM router_journal") ?? 0
        }
        try await RouterJournal.writeCheckpoint(
            state, through: through, writer: RouterCheckpointWriter(), store: store,
            retention: RouterJournal.Retention(journalSeconds: 90 * 86_400))

        // Arrivals at 85% of the English agents' capacity; Spanish is a share of them.
        let slots = Double(englishAgents * 2)
        let arrivalsPerSecond = 0.85 * slots / meanHandlingSeconds / (1 - spanishShare)
        var events: [Event] = []
        var order = 0
        func push(_ input: RouterInput, at: Int64) {
            order += 1
            events.append(Event(at: at, order: order, input: input))
            var child = events.count - 1
            while child > 0, events[child] < events[(child - 1) / 2] {
                events.swapAt(child, (child - 1) / 2)
                child = (child - 1) / 2
            }
        }
        func pop() -> Event {
            events.swapAt(0, events.count - 1)
            let top = events.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1
                var smallest = parent
                if left < events.count, events[left] < events[smallest] { smallest = left }
                if left + 1 < events.count, events[left + 1] < events[smallest] { smallest = left + 1 }
                if smallest == parent { break }
                events.swapAt(parent, smallest)
                parent = smallest
            }
            return top
        }
        func exponential(_ mean: Double) -> Double { -mean * log(1 - Double.random(in: 0..<1, using: &random)) }
        var clock = Self.start.millisecondsSinceEpoch
        for index in 0..<conversations {
            clock += Int64(exponential(1 / arrivalsPerSecond) * 1_000) + 1
            let spanish = Double.random(in: 0..<1, using: &random) < spanishShare
            let customer = CustomerID("cust-\(Int.random(in: 0..<customers, using: &random))")
            let id = ConversationID("c-\(index + 1)")
            push(.open(ConversationRequest(id: id, customer: customer, queue: spanish ? "chat-es" : "chat-en"), text: nil, intent: nil), at: clock)
            push(.abandon(id), at: clock + Int64(exponential(meanPatienceSeconds) * 1_000))
        }
        var lastTick: Int64 = 0
        while !events.isEmpty {
            if let deadline = state.engine.earliestScheduledDeadline?.millisecondsSinceEpoch,
                deadline < events[0].at, deadline > lastTick
            {
                lastTick = max(deadline, state.engine.now.millisecondsSinceEpoch)
                _ = apply(.tick, at: RoutingInstant(millisecondsSinceEpoch: lastTick))
                continue
            }
            let event = pop()
            let at = RoutingInstant(millisecondsSinceEpoch: max(event.at, state.engine.now.millisecondsSinceEpoch))
            if case .abandon(let id) = event.input {
                // The customer leaves only if still waiting.
                guard state.engine.conversation(id)?.state == .queued else { continue }
            }
            if case .close(let id) = event.input, state.engine.conversation(id)?.state != .assigned { continue }
            let step = apply(event.input, at: at)
            for effect in step.effects {
                if case .conversation(.assigned(let decision, _), _) = effect {
                    push(.close(decision.conversation), at: at.millisecondsSinceEpoch + Int64(exponential(meanHandlingSeconds) * 1_000))
                }
            }
            if pending.count >= 4_096 { try await flush() }
        }
        try await flush()
        await store.close()
        return inputs
    }
}
