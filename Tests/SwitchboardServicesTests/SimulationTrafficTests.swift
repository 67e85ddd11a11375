import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTools
import SwitchboardTopology
import Testing

@Suite("Simulation: arrivals, traffic mix, openings and dialogues")
struct SimulationTrafficTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("Poisson arrivals per queue: counts near rate × time, exponential gaps", arguments: [UInt64(1), 2024, 77])
    func poissonStatistics(seed: UInt64) {
        let rates = [0.5, 0.3, 0.2]
        let horizon = 20_000.0
        var process = ArrivalProcess(rates: rates, seed: seed)
        var counts = [0, 0, 0]
        var lastTime = [0.0, 0.0, 0.0]
        var gaps: [[Double]] = [[], [], []]
        var previous = 0.0
        while let arrival = process.take(), arrival.at < horizon {
            #expect(arrival.at >= previous, "seed \(seed): arrivals come in time order")
            previous = arrival.at
            counts[arrival.queue] += 1
            gaps[arrival.queue].append(arrival.at - lastTime[arrival.queue])
            lastTime[arrival.queue] = arrival.at
        }
        for (queue, rate) in rates.enumerated() {
            let expected = rate * horizon
            // A Poisson count has standard deviation √(λT): five of them is far outside chance.
            #expect(
                abs(Double(counts[queue]) - expected) < 5 * expected.squareRoot(),
                "seed \(seed) queue \(queue): \(counts[queue]) vs \(expected)")
            let mean = gaps[queue].reduce(0, +) / Double(gaps[queue].count)
            let variance = gaps[queue].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps[queue].count)
            // Exponential gaps: mean 1/λ, coefficient of variation 1.
            #expect(abs(mean * rate - 1) < 0.06, "seed \(seed) queue \(queue): mean gap \(mean)")
            #expect(
                abs(variance.squareRoot() / mean - 1) < 0.08,
                "seed \(seed) queue \(queue): CV \(variance.squareRoot() / mean)")
        }
    }

    @Test("the same seed gives the same arrivals; another seed, others")
    func arrivalsReplay() {
        func first(_ seed: UInt64) -> [ArrivalProcess.Arrival] {
            var process = ArrivalProcess(rates: [1, 2], seed: seed)
            return (0..<50).compactMap { _ in process.take() }
        }
        #expect(first(5) == first(5))
        #expect(first(5) != first(6))
    }

    @Test("a queue without traffic never gets an arrival")
    func silentQueue() {
        var process = ArrivalProcess(rates: [0, 1], seed: 3)
        for _ in 0..<200 { #expect(process.take()?.queue == 1) }
        var none = ArrivalProcess(rates: [0, 0], seed: 3)
        #expect(none.take() == nil)
    }

    @Test("the sample contact centre's mix: every served queue gets traffic, English chat the most")
    func sampleMix() throws {
        let centre = try ContactCentre.load(
            file: Self.repository.appendingPathComponent("Topology/contact-centre.yaml").path)
        let mix = TrafficMix(contactCentre: centre)
        #expect(mix.queues.count == centre.routing.queues.count, "every sample queue has agents")
        #expect(mix.queues.allSatisfy { $0.weight > 0 })
        let rates = mix.rates(total: 3)
        #expect(abs(rates.reduce(0, +) - 3) < 1e-9)
        let busiest = try #require(mix.queues.indices.max { rates[$0] < rates[$1] })
        #expect(mix.queues[busiest].id == "chat-en-general")
        let spanish = try #require(mix.queues.first { $0.id == "chat-es" })
        #expect(spanish.language == "spanish" && !spanish.isEnglish)
        let cards = try #require(mix.queues.first { $0.id == "chat-en-cards" })
        #expect(cards.productSkills == ["cards"])
        #expect(
            mix.queues.first { $0.id == "voice-retention" }?.weight ?? 0 < mix.queues.first {
                $0.id == "voice-en-general"
            }?.weight ?? 0)
    }

    @Test(
        "openings: a cards queue hears about cards, other languages scripted lines, returning customers their topic"
    )
    func openings() {
        var random = SimulationRandom(seed: 9)
        let bank = CoreBench.utterances
        for _ in 0..<20 {
            let cards = bank.opening(
                language: "english", productSkills: ["cards"], preferredSkill: nil, random: &random)
            #expect(cards.intent == "card_arrival" && cards.skill == "cards" && !cards.scripted)
            let spanish = bank.opening(language: "spanish", productSkills: [], preferredSkill: nil, random: &random)
            #expect(spanish.scripted && spanish.intent == nil)
            #expect(ScriptedLines.openings["spanish"]?[spanish.skill]?.contains(spanish.text) == true)
            let again = bank.opening(
                language: "english", productSkills: [], preferredSkill: "transfers", random: &random)
            #expect(again.skill == "transfers")
        }
        let loans = bank.opening(language: "english", productSkills: ["loans"], preferredSkill: nil, random: &random)
        #expect(loans.scripted && loans.skill == "loans", "no data-set intent is about loans: a scripted line")
    }

    @Test("BANKING77 is read in place beside the repository when present, the shipped examples otherwise")
    func utteranceSource() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-utterances-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let repository = folder.appendingPathComponent("repo")
        let data = folder.appendingPathComponent("shared/data/banking77")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        let without = try UtteranceBank.load(explicitPath: nil, repositories: [repository.path])
        #expect(without.origin == .examples && without.count > 0)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // A stand-in file of our own, laid out where BANKING77 would be.
        try "text,category\nWhere is my card?,card_arrival\nIs my transfer done?,pending_transfer\n"
            .write(to: data.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        let with = try UtteranceBank.load(explicitPath: nil, repositories: [repository.path])
        #expect(with.origin == .banking77 && with.count == 2)
        var random = SimulationRandom(seed: 1)
        #expect(
            with.opening(language: nil, productSkills: ["transfers"], preferredSkill: nil, random: &random).text
                == "Is my transfer done?")
    }

    @Test(
        "dialogues: chat alternates to the agent's closing line, email gets one answer, a call or a case none"
    )
    func dialogues() {
        var random = SimulationRandom(seed: 4)
        for _ in 0..<30 {
            let chat = Dialogue.make(
                channel: .chat, language: "english", replies: ["Sorted, {customer}."], centreName: "Test Bank",
                random: &random)
            #expect(chat.turns.first?.speaker == .agent && chat.turns.last?.speaker == .agent)
            #expect(zip(chat.turns, chat.turns.dropFirst()).allSatisfy { $0.speaker != $1.speaker })
            #expect(chat.turns.count >= 5 && chat.turns.count <= 9)
            #expect(!chat.turns.contains { $0.text.contains("{") })
        }
        #expect(
            Dialogue.make(channel: .email, language: "english", replies: [], centreName: "B", random: &random).turns
                .map(\.speaker) == [.agent])
        for silent in [Channel.voice, .case] {
            #expect(
                Dialogue.make(channel: silent, language: "english", replies: [], centreName: "B", random: &random).turns
                    .isEmpty)
        }
        let german = Dialogue.make(channel: .chat, language: "german", replies: [], centreName: "B", random: &random)
        #expect(ScriptedLines.dialogues["german"]?.closings.contains(german.turns.last?.text ?? "") == true)
    }

    @Test("random draws stay in range and weights of zero are never chosen")
    func randomDraws() {
        var random = SimulationRandom(seed: 12)
        for _ in 0..<1_000 {
            let value = random.uniform(2...5)
            #expect(value >= 2 && value <= 5)
            #expect(random.exponential(mean: 3) >= 0)
            let index = random.weightedIndex([0, 1, 0, 2])
            #expect(index == 1 || index == 3)
        }
        #expect(random.weightedIndex([0, 0]) == nil)
    }

    @Test("the live feed names the agent, the rule and the reason; ids lose the run's tag")
    func liveFeed() {
        let feed = LiveFeed(agentNames: ["priya-raman": "Priya Raman"])
        let event = RecordedEvent(
            source: "router", topic: "conv.c-k3x-17.assigned", type: "conversation.assigned", epoch: 1, seq: 9,
            data: [
                "conversationId": "c-k3x-17", "agentId": "priya-raman", "rule": "sticky", "queue": "chat-en-general",
                "reason": "Sticky: Priya Raman handled this customer 3 min ago.",
            ])
        let line = feed.line(for: event, atMilliseconds: 0)
        #expect(
            line?.hasSuffix(
                "c-17 → Priya Raman (sticky, chat-en-general): Sticky: Priya Raman handled this customer 3 min ago.")
                == true)
        #expect(LiveFeed.shortID("other-id") == "other-id")
    }
}

@Suite("Simulation: the demo's screen")
struct SimulationScreenTests {
    @Test("the screen keeps the latest decisions under the monitor's view, cut to the terminal's width")
    func frame() {
        var screen = DemoScreen(feedLinesMax: 2)
        for number in 1...3 { screen.append("decision \(number) " + String(repeating: "x", count: 50)) }
        let lines = screen.frame(header: "header", monitorView: "QUEUES\nchat 0", width: 20).split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "header")
        #expect(lines.contains("QUEUES") && lines.contains("chat 0"))
        #expect(!lines.contains { $0.hasPrefix("decision 1") }, "only the latest two are kept")
        #expect(lines.last?.hasPrefix("decision 3") == true)
        #expect(lines.allSatisfy { $0.count <= 20 })
        #expect(screen.frame(header: "h", monitorView: nil, width: nil).contains("waiting for the monitor"))
    }
}

@Suite("Simulation: commands in lanes")
struct SimulationLaneTests {
    static func command(_ lane: String, _ number: Int) -> SimulationCommand {
        SimulationCommand(
            service: .router, type: "t\(number)", data: [:], lane: lane, purpose: .close(ConversationID("c\(number)")))
    }

    @Test("one lane's commands go one at a time, in order; other lanes go alongside")
    func ordering() {
        var lanes = LaneProbe(inFlightMax: 10)
        #expect(lanes.submit(Self.command("a", 1)) == ["t1"])
        #expect(lanes.submit(Self.command("a", 2)) == [], "a's second waits for its first")
        #expect(lanes.submit(Self.command("b", 3)) == ["t3"], "b does not wait for a")
        #expect(lanes.completed("a") == ["t2"])
        #expect(lanes.completed("a") == [])
        #expect(lanes.completed("b") == [])
        #expect(lanes.isIdle)
    }

    @Test("no more than the limit in flight; the rest start as others end")
    func limit() {
        var lanes = LaneProbe(inFlightMax: 2)
        #expect(lanes.submit(Self.command("a", 1)) == ["t1"])
        #expect(lanes.submit(Self.command("b", 2)) == ["t2"])
        #expect(lanes.submit(Self.command("c", 3)) == [])
        #expect(lanes.completed("a") == ["t3"])
        #expect(lanes.completed("b") == [])
        #expect(lanes.completed("c") == [])
        #expect(lanes.isIdle)
    }
}

/// `CommandLanes` with command types for answers, to keep the expectations short.
struct LaneProbe {
    var lanes: CommandLanes

    init(inFlightMax: Int) {
        lanes = CommandLanes(inFlightMax: inFlightMax)
    }

    mutating func submit(_ command: SimulationCommand) -> [String] { lanes.submit(command).map(\.type) }
    mutating func completed(_ lane: String) -> [String] { lanes.completed(lane: lane).map(\.type) }
    var isIdle: Bool { lanes.isIdle }
}
