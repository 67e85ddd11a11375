import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardTools
import SwitchboardTopology
import Testing

/// The router's and the presence tracker's events, written as they publish them, for the
/// decoder that feeds the invariant checker.
@Suite("Simulation: routing facts from the event stream")
struct SimulationFactTests {
    static let centre: ContactCentre? = try? ContactCentre.load(
        file: SimulationTrafficTests.repository.appendingPathComponent("Topology/contact-centre.yaml").path)

    static let queue = "chat-en-general"
    static let agent = "james-walker"

    static func item(_ id: String, customer: String, state: String, agent: String? = nil, extra: [(String, JSON)] = [])
        -> JSON
    {
        var object = JSONObject([
            ("conversationId", .string(id)), ("customerId", .string(customer)), ("channel", "chat"),
            ("queue", .string(queue)), ("priority", 0), ("topic", "cards"), ("state", .string(state)),
            ("agentId", .optional(agent)), ("requiredSkills", [["skill": "english", "minimumLevel": 2]]),
            ("openedAt", 0), ("transfers", 0), ("messageCount", 1),
        ])
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    static func router(_ type: String, _ data: JSON) -> RecordedEvent {
        RecordedEvent(source: "router", topic: "t", type: type, epoch: 1, seq: 0, data: data)
    }

    static func presence(_ agent: String, _ status: String, seq: UInt64) -> RecordedEvent {
        RecordedEvent(
            source: "presence", topic: "presence.\(agent).changed", type: "presence.changed", epoch: 1, seq: seq,
            data: ["agentId": .string(agent), "status": .string(status)])
    }

    static func load(_ agent: String, load: Int, live: Int, presenceSeq: UInt64) -> RecordedEvent {
        router(
            "agent.load",
            [
                "agentId": .string(agent),
                "item": [
                    "agentId": .string(agent), "name": .string(agent), "role": "agent",
                    "presence": load < 3 ? "available" : "busy",
                    "load": ["chat": .number(load)], "live": ["chat": .number(live)], "capacity": ["chat": 3],
                ],
                "presence": ["epoch": 1, "seq": .number(presenceSeq)],
            ])
    }

    /// One conversation of `customer` from open to the end of wrap-up, handled by james.
    static func conversation(
        _ id: String, customer: String, arrival: Int, at start: Int64, rule: String, presenceSeq: UInt64
    )
        -> [RecordedEvent]
    {
        [
            router(
                "conversation.queued",
                [
                    "conversationId": .string(id), "heldFor": nil, "holdUntil": nil, "aheadOfNewWork": false,
                    "waitingSince": .int(start), "arrivalSequence": .number(arrival),
                    "item": item(id, customer: customer, state: "queued"),
                ]),
            router(
                "conversation.offered",
                [
                    "conversationId": .string(id), "agentId": .string(agent), "customerId": .string(customer),
                    "queue": .string(queue), "channel": "chat", "rule": .string(rule), "reason": "Because.",
                    "presence": ["epoch": 1, "seq": .number(presenceSeq)], "expiresAt": .int(start + 20_000),
                    "item": item(id, customer: customer, state: "offered", agent: agent),
                ]),
            load(agent, load: 1, live: 1, presenceSeq: presenceSeq),
            router(
                "conversation.assigned",
                [
                    "conversationId": .string(id), "agentId": .string(agent), "customerId": .string(customer),
                    "queue": .string(queue), "channel": "chat", "rule": .string(rule), "reason": "Because.",
                    "presence": ["epoch": 1, "seq": .number(presenceSeq)],
                    "item": item(
                        id, customer: customer, state: "assigned", agent: agent,
                        extra: [("assignedAt", .int(start + 1_000))]),
                ]),
            router(
                "conversation.closed",
                [
                    "conversationId": .string(id), "agentId": .string(agent),
                    "item": item(
                        id, customer: customer, state: "closed", agent: agent, extra: [("endedAt", .int(start + 5_000))]
                    ),
                ]),
            load(agent, load: 1, live: 0, presenceSeq: presenceSeq),
            router(
                "conversation.wrapUpEnded", ["conversationId": .string(id), "agentId": .string(agent), "item": .null]),
            load(agent, load: 0, live: 0, presenceSeq: presenceSeq),
        ]
    }

    static func check(router: [RecordedEvent], presence: [RecordedEvent]) throws -> [InvariantViolation] {
        let centre = try #require(Self.centre)
        let decoded = RoutingFactDecoder.facts(
            agents: centre.agents, router: router, presence: presence, configuration: centre.routing)
        #expect(decoded.unreadable.isEmpty, "\(decoded.unreadable)")
        var checker = InvariantChecker(configuration: centre.routing, requiresLatestPresence: false)
        return checker.observe(decoded.facts)
    }

    @Test("a conversation's life read from the events breaks no invariant")
    func cleanLife() throws {
        let presence = [Self.presence(Self.agent, "available", seq: 5)]
        let events =
            [Self.load(Self.agent, load: 0, live: 0, presenceSeq: 5)]
            + Self.conversation("c1", customer: "k1", arrival: 0, at: 1_000_000, rule: "skills", presenceSeq: 5)
        #expect(try Self.check(router: events, presence: presence).isEmpty)
    }

    @Test("a returning customer's sticky assignment holds even when the owner's later break is recorded first")
    func presencePlacedWhereTheRouterAppliedIt() throws {
        // The break (seq 9) is recorded before everything, as a second subscriber may see it, but the
        // router applied it only after the sticky assignment (its load event names seq 9 at the end).
        let presence = [Self.presence(Self.agent, "away", seq: 9), Self.presence(Self.agent, "available", seq: 5)]
        var events = [Self.load(Self.agent, load: 0, live: 0, presenceSeq: 5)]
        events += Self.conversation("c1", customer: "k1", arrival: 0, at: 1_000_000, rule: "skills", presenceSeq: 5)
        events += Self.conversation("c2", customer: "k1", arrival: 1, at: 1_010_000, rule: "sticky", presenceSeq: 5)
        events.append(
            Self.router(
                "agent.load",
                [
                    "agentId": .string(Self.agent),
                    "item": [
                        "agentId": .string(Self.agent), "name": .string(Self.agent), "role": "agent",
                        "presence": "away", "load": [:], "live": [:],
                        "capacity": ["chat": 3],
                    ],
                    "presence": ["epoch": 1, "seq": 9],
                ]))
        #expect(try Self.check(router: events, presence: presence).isEmpty)
    }

    @Test("an assignment relying on a presence event that said Away is reported")
    func notAvailable() throws {
        let presence = [Self.presence(Self.agent, "away", seq: 5)]
        let events = Self.conversation("c1", customer: "k1", arrival: 0, at: 1_000_000, rule: "skills", presenceSeq: 5)
        let kinds = try Self.check(router: events, presence: presence).map(\.kind)
        #expect(kinds.contains(.agentNotAvailable))
    }

    @Test("a returning customer given to someone else while rule 1 held is reported")
    func stickyBypassed() throws {
        let presence = [
            Self.presence(Self.agent, "available", seq: 5), Self.presence("emily-clarke", "available", seq: 6),
        ]
        var events = Self.conversation("c1", customer: "k1", arrival: 0, at: 1_000_000, rule: "skills", presenceSeq: 5)
        // c2 of the same customer goes to Emily by "skills" although James is Available and free.
        events += [
            Self.router(
                "conversation.queued",
                [
                    "conversationId": "c2", "heldFor": nil, "holdUntil": nil, "aheadOfNewWork": false,
                    "waitingSince": .int(1_020_000), "arrivalSequence": 1,
                    "item": Self.item("c2", customer: "k1", state: "queued"),
                ]),
            Self.router(
                "conversation.offered",
                [
                    "conversationId": "c2", "agentId": "emily-clarke", "customerId": "k1", "queue": .string(Self.queue),
                    "channel": "chat", "rule": "skills", "reason": "Because.", "presence": ["epoch": 1, "seq": 6],
                    "expiresAt": .int(1_040_000),
                    "item": Self.item("c2", customer: "k1", state: "offered", agent: "emily-clarke"),
                ]),
        ]
        let kinds = try Self.check(router: events, presence: presence).map(\.kind)
        #expect(kinds.contains(.stickyOwnerBypassed))
    }

    @Test("an event the decoder cannot read is named, not skipped silently")
    func unreadable() throws {
        let centre = try #require(Self.centre)
        let decoded = RoutingFactDecoder.facts(
            agents: centre.agents, router: [Self.router("conversation.queued", ["conversationId": "c9"])], presence: [],
            configuration: centre.routing)
        #expect(decoded.unreadable.count == 1)
    }

    @Test("observations: wrap-up is a state of its own; snapshot items and events read alike")
    func observations() throws {
        let closed = try #require(
            ConversationObservation(
                eventType: "conversation.wrapUpStarted",
                data: [
                    "conversationId": "c1", "agentId": "ann",
                    "item": Self.item("c1", customer: "k", state: "closed", agent: "ann"),
                ]))
        #expect(closed.state == .wrapUp && closed.agent == "ann")
        let assigned = try #require(
            ConversationObservation(
                eventType: "conversation.assigned",
                data: [
                    "conversationId": "c1", "agentId": "ann", "rule": "sticky", "reason": "Sticky: …",
                    "waitedSeconds": 1.5,
                    "item": Self.item("c1", customer: "k", state: "assigned", agent: "ann"),
                ]))
        #expect(assigned.rule == "sticky" && assigned.waitedSeconds == 1.5 && assigned.messageCount == 1)
        #expect(ConversationObservation(item: Self.item("c1", customer: "k", state: "queued"))?.state == .queued)
        #expect(
            ConversationObservation(
                eventType: "agent.load", data: ["item": Self.item("c1", customer: "k", state: "queued")]) == nil)
    }
}
