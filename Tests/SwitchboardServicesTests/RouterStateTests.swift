import Foundation
import SwitchboardBus
import SwitchboardRouter
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardWire
import Testing

/// A small contact centre: English and Spanish chat, three agents.
func sampleSettings(wrapUpSeconds: Double = 0) -> RouterSettings {
    let routing = RoutingConfiguration(
        skills: [
            SkillDefinition(id: "english", kind: .language), SkillDefinition(id: "spanish", kind: .language),
            SkillDefinition(id: "cards", kind: .product),
        ],
        capacityProfiles: [
            CapacityProfile(id: "blended", capacity: [.voice: 1, .chat: 2], exclusions: [.voiceBlocksText])
        ],
        roles: [Role(id: "agent", queues: ["chat-en", "chat-es"])],
        queues: [
            QueueConfiguration(
                id: "chat-en", channel: .chat, requiredSkills: [SkillRequirement("english", minimumLevel: 2)],
                wrapUpSeconds: wrapUpSeconds),
            QueueConfiguration(
                id: "chat-es", channel: .chat, requiredSkills: [SkillRequirement("spanish", minimumLevel: 2)]),
        ])
    let agents = [
        AgentProfile(
            id: "priya", name: "Priya", role: "agent", capacityProfile: "blended", skills: ["english": 4, "cards": 3]),
        AgentProfile(id: "tom", name: "Tom", role: "agent", capacityProfile: "blended", skills: ["english": 3]),
        AgentProfile(
            id: "lucia", name: "Lucía", role: "agent", capacityProfile: "blended",
            skills: [
                "spanish": 5,
                "english": 2,
            ]),
    ]
    return RouterSettings(
        routing: routing, agents: agents, intentSkillLevels: ["chat-en": 1], closedRetentionSeconds: 60)
}

struct FixedIntent: IntentClassifying {
    func classify(_ text: String) -> DetectedIntent? {
        text.contains("card") ? DetectedIntent(intent: "card_arrival", confidence: 0.93, skill: "cards") : nil
    }
}

@Suite("The router's state machine")
struct RouterStateTests {
    let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)

    func available(_ state: inout RouterState, _ agents: [AgentID], at time: RoutingInstant) {
        for (index, agent) in agents.enumerated() {
            _ = state.apply(
                .presence(agent, .available, stamp: PresenceStamp(epoch: 1, sequence: UInt64(index + 1))), at: time)
        }
    }

    func open(_ id: String, customer: String = "cust-1", queue: String = "chat-en", text: String? = nil) -> RouterInput
    {
        let request = ConversationRequest(id: ConversationID(id), customer: CustomerID(customer), queue: QueueID(queue))
        return .open(request, text: text, intent: text.flatMap { FixedIntent().classify($0) })
    }

    @Test("a conversation opened outside a refusing queue's hours is refused as queue_closed, naming the opening")
    func closedQueueRefuses() throws {
        var settings = sampleSettings()
        let utc = try #require(TimeZone(identifier: "UTC"))
        // `start` is a Tuesday, 22:13 UTC: the queue opens on Wednesdays only.
        let hours = QueueCalendar(timeZone: utc, weekly: [.wednesday: [try #require(OpeningPeriod("09:00-17:00"))]])
        settings.routing.queues[0].hours = QueueHours(calendar: hours, closedRule: .refuse)
        var state = try RouterState(settings: settings, now: start)
        available(&state, ["priya", "tom"], at: start)
        let step = state.apply(open("c-late"), at: start)
        guard case .failed(let failure) = step.outcome else {
            Issue.record("a closed queue took the conversation: \(step.outcome)")
            return
        }
        #expect(failure.code == .queueClosed)
        #expect(failure.message.contains("2023-11-15T09:00:00Z"), "\(failure.message)")
        #expect(failure.message.contains("opens Wednesday 15 November 09:00 (\(utc.identifier))"), "\(failure.message)")
        // The same facts as fields, for a channel to word in its customer's language; they survive the wire.
        #expect(failure.details["queue"] == .string(settings.routing.queues[0].id.rawValue))
        #expect(failure.details["opensAt"] == "2023-11-15T09:00:00Z")
        #expect(failure.details["opensAtLocal"] == "Wednesday 15 November 09:00")
        #expect(failure.details["timeZone"] == .string(utc.identifier))
        let reply = try CommandReply.parse(CommandReply(id: "c-late-open", outcome: step.outcome).bytes)
        #expect(reply.outcome == step.outcome)
        #expect(state.snapshotItems(prefix: "conv.").isEmpty)
    }

    @Test("a transfer with a note carries it on conversation.transferred and in the history; none without")
    func transferNote() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        available(&state, ["priya", "lucia"], at: start)
        _ = state.apply(open("c-t"), at: start)
        let holder = try #require(state.views["c-t"]?.agent)
        _ = state.apply(.accept("c-t", agent: holder), at: start.adding(seconds: 1))
        let step = state.apply(
            .transfer("c-t", to: .queue("chat-es"), note: "Card blocked; identity checked, wants a Spanish speaker."),
            at: start.adding(seconds: 2))
        let event = try #require(step.events.first { $0.type == "conversation.transferred" })
        #expect(event.data["note"] == "Card blocked; identity checked, wants a Spanish speaker.")
        #expect(event.data["fromAgentId"] == .string(holder.rawValue))
        let history = try #require(state.views["c-t"]?.history.last { $0.event == "transferred" })
        #expect(history.transfer?.note == "Card blocked; identity checked, wants a Spanish speaker.")
        // A transfer without a note says nothing of one; the next input carries no leftover.
        let again = state.apply(.transfer("c-t", to: .queue("chat-en")), at: start.adding(seconds: 3))
        let plain = try #require(again.events.first { $0.type == "conversation.transferred" })
        #expect(plain.data["note"] == nil)
    }

    @Test("conversation.transfer reads an optional note, and refuses one that is too long")
    func transferNoteParsed() throws {
        func parse(_ data: JSON) -> Result<RouterCommand, CommandFailure> {
            RouterCommand.parse(
                CommandRequest(id: "t-1", type: "conversation.transfer", data: data), classifier: nil,
                agents: { _ in nil })
        }
        let read = parse(["conversationId": "c-1", "queue": "chat-es", "note": "Over to you."])
        #expect(read == .success(.input(.transfer("c-1", to: .queue("chat-es"), note: "Over to you."))))
        let blank = parse(["conversationId": "c-1", "agentId": "tom", "note": "   "])
        #expect(blank == .success(.input(.transfer("c-1", to: .agent("tom"), note: nil))))
        let long = parse([
            "conversationId": "c-1", "queue": "chat-es", "note": .string(String(repeating: "x", count: 2_001)),
        ])
        guard case .failure(let failure) = long else {
            Issue.record("a 2,001-byte note was taken")
            return
        }
        #expect(failure.message.contains("note"), "\(failure.message)")
    }

    @Test("an arrival at a full queue with overflow.to is published queued there, then requeued to the target")
    func overflowPublished() throws {
        var settings = sampleSettings()
        settings.routing.queues[0].overflow = OverflowLimits(maxWaiting: 1, to: "chat-es")
        var state = try RouterState(settings: settings, now: start)
        _ = state.apply(open("c-1"), at: start)
        let step = state.apply(open("c-2"), at: start.adding(seconds: 1))
        let conversationEvents = step.events.map(\.type).filter { $0.hasPrefix("conversation.") }
        #expect(conversationEvents.prefix(2) == ["conversation.queued", "conversation.requeued"])
        let requeued = try #require(step.events.first { $0.type == "conversation.requeued" })
        #expect(requeued.data["reason"] == "overflowed")
        #expect(requeued.data["sentence"] == "Queue chat-en was full (1 waiting): moved to chat-es.")
        #expect(requeued.data["overflowFromQueue"] == "chat-en")
        #expect(requeued.data["overflowMaxWaiting"] == 1)
        #expect(state.views["c-2"]?.queue == "chat-es")
        // Both queues' counts changed.
        let stats = Set(step.events.filter { $0.type == "queue.stats" }.map(\.topic))
        #expect(stats == ["queue.chat-en.stats", "queue.chat-es.stats"])
    }

    @Test("an opened conversation is assigned with a reason, and the events carry the conversation as it now stands")
    func openAssigns() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        available(&state, ["priya", "tom", "lucia"], at: start)
        let step = state.apply(open("c-1", text: "where is my card?"), at: start.adding(seconds: 1))
        #expect(step.outcome == .ok(["conversationId": "c-1"]))
        let assigned = try #require(step.events.first { $0.type == "conversation.assigned" })
        #expect(assigned.topic == "conv.c-1.assigned")
        #expect(assigned.data["agentId"] == "priya", "the intent's skill (cards) is required and only Priya has it")
        #expect(assigned.data["reason"]?.stringValue?.contains("cards") == true)
        #expect(assigned.data["presence"]?["epoch"] == 1)
        // The opening message comes after the routing events and its item is the final state.
        let last = try #require(step.events.last)
        #expect(last.type == "conversation.message")
        #expect(last.data["item"]?["state"] == "assigned")
        #expect(state.views["c-1"]?.intent?.skill == "cards")
    }

    @Test("a whisper is in the agent's transcript and never in the customer's")
    func whisperVisibility() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        available(&state, ["tom"], at: start)
        _ = state.apply(open("c-2", text: "hello"), at: start)
        let whisper = TranscriptMessage(
            number: 0, role: .supervisor, author: "sam", text: "offer the fee refund", audience: .agent, at: .zero)
        _ = state.apply(.message("c-2", whisper), at: start.adding(seconds: 2))
        let barge = TranscriptMessage(
            number: 0, role: .supervisor, author: "sam", text: "I am Tom's supervisor", audience: .everyone, at: .zero)
        _ = state.apply(.message("c-2", barge), at: start.adding(seconds: 3))
        let agentView = try #require(state.transcript(of: "c-2", for: .agent))
        let customerView = try #require(state.transcript(of: "c-2", for: .customer))
        #expect(agentView.map(\.text) == ["hello", "offer the fee refund", "I am Tom's supervisor"])
        #expect(customerView.map(\.text) == ["hello", "I am Tom's supervisor"])
    }

    @Test("a refused command changes nothing and names the fault")
    func refusals() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        let step = state.apply(.accept("nope", agent: "tom"), at: start)
        guard case .failed(let failure) = step.outcome else {
            Issue.record("accepted an unknown conversation")
            return
        }
        #expect(failure.code == .notFound)
        #expect(failure.message.contains("nope"))
        let message = TranscriptMessage(
            number: 0, role: .agent, author: "tom", text: "hi", audience: .everyone, at: .zero)
        #expect(state.apply(.message("nope", message), at: start).outcome != .ok([:]))
    }

    @Test("closed conversations stay in the snapshot for the retention period, then go")
    func retention() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        available(&state, ["tom"], at: start)
        _ = state.apply(open("c-3"), at: start)
        _ = state.apply(.close("c-3"), at: start.adding(seconds: 5))
        #expect(state.snapshotItems(prefix: "conv.").map(\.key) == ["conv.c-3"])
        #expect(state.views["c-3"]?.state == .closed)
        _ = state.apply(.tick, at: start.adding(seconds: 100))
        #expect(state.snapshotItems(prefix: "conv.").isEmpty)
    }

    @Test("a state rebuilt from a checkpoint and the journal since is the state that wrote them")
    func replayRebuildsTheSameState() throws {
        var live = try RouterState(settings: sampleSettings(wrapUpSeconds: 10), now: start)
        var journal: [(RouterInput, RoutingInstant)] = []
        func apply(_ input: RouterInput, _ seconds: Double) {
            let at = start.adding(seconds: seconds)
            _ = live.apply(input, at: at)
            journal.append((input, at))
        }
        apply(.presence("tom", .available, stamp: PresenceStamp(epoch: 1, sequence: 1)), 0)
        apply(open("c-10", customer: "a"), 1)
        apply(open("c-11", customer: "b"), 2)
        let checkpoint = try JSONDecoder().decode(RouterCheckpoint.self, from: JSONEncoder().encode(live.checkpoint()))
        let covered = journal.count
        apply(.presence("lucia", .available, stamp: PresenceStamp(epoch: 1, sequence: 2)), 3)
        apply(open("c-12", customer: "c", queue: "chat-es", text: "hola"), 4)
        apply(.close("c-10"), 5)
        apply(.tick, 20)
        apply(open("c-13", customer: "a"), 21)

        var rebuilt = try RouterState(checkpoint: checkpoint)
        for (input, at) in journal[covered...] {
            let data = try JSONEncoder().encode(input)
            _ = rebuilt.apply(try JSONDecoder().decode(RouterInput.self, from: data), at: at)
        }
        let expected = live.snapshotItems(prefix: nil).map {
            "\($0.key) \(String(decoding: $0.valueBytes, as: UTF8.self))"
        }
        let actual = rebuilt.snapshotItems(prefix: nil).map {
            "\($0.key) \(String(decoding: $0.valueBytes, as: UTF8.self))"
        }
        #expect(actual.count == expected.count)
        for (got, want) in zip(actual, expected) where got != want {
            Issue.record("rebuilt:\n\(got)\nlive:\n\(want)")
        }
        #expect(rebuilt.views["c-13"]?.agent == live.views["c-13"]?.agent)
    }

    @Test("agent removal requeues their work with the reason")
    func agentRemoval() throws {
        var state = try RouterState(settings: sampleSettings(), now: start)
        available(&state, ["tom"], at: start)
        _ = state.apply(open("c-20"), at: start)
        #expect(state.views["c-20"]?.agent == "tom")
        let step = state.apply(.removeAgent("tom"), at: start.adding(seconds: 1))
        let requeued = try #require(step.events.first { $0.type == "conversation.requeued" })
        #expect(requeued.data["reason"] == "agentRemoved")
        #expect(step.events.contains { $0.type == "agent.removed" && $0.data["item"] == .null })
        #expect(state.views["c-20"]?.state == .queued)
    }
}
