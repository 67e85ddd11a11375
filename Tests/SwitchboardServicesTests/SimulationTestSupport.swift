import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTools
import SwitchboardTopology

/// A small world for driving `SimulationCore` by hand: two queues, a few utterances, a clock
/// the test moves, and every command the core asked for, in order.
struct CoreBench {
    var core: SimulationCore
    var now = 0.0
    /// Every command so far, in order.
    var sent: [SimulationCommand] = []
    /// Commands before this index were answered (or handed to the test to answer).
    var cursor = 0

    static let chat = SimulatedQueue(
        id: "chat-en", channel: .chat, language: "english", productSkills: [], weight: 3, hasWrapUp: true)
    static let voice = SimulatedQueue(
        id: "voice-es", channel: .voice, language: "spanish", productSkills: [], weight: 1, hasWrapUp: false)

    static let catalogue = IntentCatalog(profiles: [
        IntentProfile(
            intent: "card_arrival", skill: "cards", need: "their card", nextAction: "check the card",
            replies: ["Your card is on its way, {customer}."]),
        IntentProfile(
            intent: "pending_transfer", skill: "transfers", need: "their transfer", nextAction: "check the transfer",
            replies: ["The transfer will arrive today."]),
    ])

    static let utterances = UtteranceBank(
        examples: [
            LabelledExample(text: "Where is my new card?", intent: "card_arrival"),
            LabelledExample(text: "My card has not come yet", intent: "card_arrival"),
            LabelledExample(text: "My transfer is still pending", intent: "pending_transfer"),
        ], origin: .examples, path: "test", catalogue: catalogue)

    /// Settings with nothing left to chance that a test does not ask for.
    static func quietSettings() -> SimulationSettings {
        var settings = SimulationSettings()
        settings.durationSeconds = 1_000
        settings.conversationsPerSecond = 1
        settings.seed = 11
        settings.customers.returningShare = 0
        settings.agents.declineShare = 0
        settings.agents.earlySignOutShare = 0
        settings.agents.breakEverySeconds = 1e9
        return settings
    }

    init(
        settings: SimulationSettings = CoreBench.quietSettings(), queues: [SimulatedQueue] = [CoreBench.chat],
        agents: [AgentID] = ["ann", "bob"]
    ) {
        core = SimulationCore(
            settings: settings, mix: TrafficMix(queues: queues), utterances: Self.utterances, agents: agents,
            centreName: "Test Bank", runTag: "t")
    }

    mutating func start() {
        sent += core.start(at: now)
    }

    /// Moves the clock to `time` in small steps (so timers fire in order), answering nothing.
    mutating func advance(to time: Double) {
        while now < time {
            now = min(time, now + 0.05)
            sent += core.advance(to: now)
        }
    }

    /// Answers `command` with `result` (ok with `data` by default).
    mutating func answer(_ command: SimulationCommand, _ result: SimulationCommandResult = .ok([:])) {
        sent += core.finished(command, result: result, at: now)
    }

    /// Answers with ok every command not yet passed over (each command is answered once).
    mutating func answerAll() {
        while cursor < sent.count {
            let command = sent[cursor]
            cursor += 1
            answer(command)
        }
    }

    mutating func observe(
        _ id: String, _ state: ConversationState, agent: AgentID? = nil, messages: Int = 1, event: String? = nil,
        rule: String? = nil, eventAgent: AgentID? = nil
    ) {
        sent += core.observe(
            ConversationObservation(
                conversation: ConversationID(id), state: state, agent: agent, messageCount: messages, event: event,
                rule: rule, reason: rule.map { "Because \($0)." }, eventAgent: eventAgent),
            at: now)
    }

    /// Advances until a command satisfying `match` is sent (at most `seconds`); returns it.
    mutating func advance(
        until match: (SimulationCommand) -> Bool, within seconds: Double, answering: Bool = true
    ) -> SimulationCommand? {
        let deadline = now + seconds
        while now < deadline {
            advance(to: now + 0.05)
            while cursor < sent.count {
                let command = sent[cursor]
                cursor += 1
                if match(command) { return command }
                if answering { answer(command) }
            }
        }
        return nil
    }

    /// `advance(until:within:answering:)` that fails the test when no such command comes.
    mutating func expectCommand(
        until match: (SimulationCommand) -> Bool, within seconds: Double, answering: Bool = true
    ) throws -> SimulationCommand {
        guard let found = advance(until: match, within: seconds, answering: answering) else {
            throw BenchError(description: "no such command within \(seconds) s (at t=\(now))")
        }
        return found
    }

    func commands(_ type: String) -> [SimulationCommand] { sent.filter { $0.type == type } }
}

extension SimulationCommand {
    var conversationID: String? { data["conversationId"]?.stringValue }
    var agentID: String? { data["agentId"]?.stringValue }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
}
