import Foundation
import SwitchboardRouting
import Testing

/// Work arriving outside a queue's hours. The harness starts at the epoch, a Thursday at
/// 00:00 UTC; the day queue opens Thursdays 09:00–18:00 UTC.
@Suite("Queue hours in routing")
struct QueueHoursRoutingTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let dayHours = QueueCalendar(timeZone: utc, weekly: [.thursday: [OpeningPeriod("09:00-18:00")!]])
    static let nineAM = 9.0 * 3600

    static func harness(_ rule: ClosedRule, nightOpen: Bool = true) throws -> RoutingHarness {
        var day = Fixture.queue("day")
        day.hours = QueueHours(calendar: dayHours, closedRule: rule)
        var night = Fixture.queue("night")
        if !nightOpen {
            night.hours = QueueHours(
                calendar: QueueCalendar(timeZone: utc, weekly: [.friday: [OpeningPeriod("00:00-06:00")!]]),
                closedRule: .refuse)
        }
        return try RoutingHarness(Fixture.configuration(queues: [day, night]))
    }

    @Test("refuse: work outside hours is refused with the opening time and leaves no trace; inside hours it routes")
    func refuse() throws {
        var harness = try Self.harness(.refuse)
        harness.addAgent("a1")
        let actions = harness.open("early", queue: "day")
        #expect(harness.rejections == [.queueClosed("day", opensAt: .seconds(Self.nineAM))])
        #expect(harness.rejections.first?.description.contains("1970-01-01T09:00:00Z") == true)
        #expect(!actions.contains { if case .queued = $0 { true } else { false } })
        #expect(harness.engine.conversation("early") == nil)
        harness.advance(to: Self.nineAM)
        harness.open("on-time", queue: "day")
        #expect(harness.agent(of: "on-time") == "a1")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("overflow: work outside hours goes to the overflow queue; inside hours it stays")
    func overflow() throws {
        var harness = try Self.harness(.overflow("night"))
        harness.open("late", queue: "day")
        #expect(harness.engine.conversation("late")?.queue == "night")
        harness.advance(to: Self.nineAM)
        harness.open("on-time", queue: "day")
        #expect(harness.engine.conversation("on-time")?.queue == "day")
        harness.addAgent("a1")
        #expect(harness.agent(of: "late") == "a1")
        #expect(harness.rejections.isEmpty)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("overflow into a queue that is closed too and refuses: refused by that queue")
    func overflowIntoClosed() throws {
        var harness = try Self.harness(.overflow("night"), nightOpen: false)
        harness.open("late", queue: "day")
        #expect(harness.rejections == [.queueClosed("night", opensAt: .seconds(24 * 3600))])
        #expect(harness.engine.conversation("late") == nil)
    }

    @Test("hold: work outside hours is kept in its queue")
    func hold() throws {
        var harness = try Self.harness(.hold)
        harness.open("early", queue: "day")
        #expect(harness.rejections.isEmpty)
        #expect(harness.engine.conversation("early")?.queue == "day")
        #expect(harness.engine.conversation("early")?.state == .queued)
    }

    @Test("an overflow queue of another channel is refused by the configuration")
    func overflowChannel() {
        var day = Fixture.queue("day")
        day.hours = QueueHours(calendar: Self.dayHours, closedRule: .overflow("calls"))
        let configuration = Fixture.configuration(queues: [day, Fixture.queue("calls", channel: .voice)])
        #expect(
            configuration.problems().map(\.message) == [
                "hours.overflowQueue calls takes voice, not chat; name a queue of the same channel"
            ])
    }

    // MARK: At closing time

    static let sixPM = 18.0 * 3600
    /// The next opening after Thursday 18:00: Thursday a week later, 09:00.
    static let nextOpening = RoutingInstant.seconds(7 * 24 * 3600 + nineAM)

    /// Two conversations waiting in the day queue when it closes (its one agent is busy with a
    /// third, which the closing leaves alone).
    static func waitingAtClosing(_ rule: ClosedRule) throws -> RoutingHarness {
        var harness = try Self.harness(rule)
        harness.advance(to: nineAM)
        harness.addAgent("a1", overrides: [.chat: 1])
        harness.open("served", queue: "day")
        harness.open("older", queue: "day")
        harness.open("urgent", queue: "day", priority: 5)
        return harness
    }

    @Test("refuse: what waits when the queue closes ends, with the next opening; work in hand stays")
    func refuseAtClosing() throws {
        var harness = try Self.waitingAtClosing(.refuse)
        #expect(harness.engine.nextDeadline == .seconds(Self.sixPM))
        let actions = harness.advance(to: Self.sixPM + 60)
        let turnedAway = actions.compactMap { action -> ConversationID? in
            guard case .turnedAway(let id, "day", _, Self.nextOpening) = action else { return nil }
            return id
        }
        #expect(turnedAway == ["urgent", "older"] || turnedAway == ["older", "urgent"])
        #expect(harness.engine.conversation("older") == nil && harness.engine.conversation("urgent") == nil)
        #expect(harness.agent(of: "served") == "a1")
        #expect(harness.engine.statistics(of: "day")?.waiting == 0)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
        // The next closing is a week later; nothing fires in between.
        #expect(harness.engine.nextDeadline == .seconds(7 * 24 * 3600 + Self.sixPM))
    }

    @Test("overflow: what waits when the queue closes moves on, keeping its place by arrival and its priority")
    func overflowAtClosing() throws {
        var harness = try Self.waitingAtClosing(.overflow("night"))
        let before = try #require(harness.engine.conversation("older"))
        let actions = harness.advance(to: Self.sixPM)
        let moved = actions.compactMap { action -> ConversationID? in
            guard case .requeued(let requeued) = action,
                requeued.overflow == OverflowMove(fromQueue: "day", cause: .queueClosed)
            else { return nil }
            return requeued.conversation
        }
        #expect(Set(moved) == ["older", "urgent"])
        let after = try #require(harness.engine.conversation("older"))
        #expect(after.queue == "night" && after.arrivalSequence == before.arrivalSequence)
        #expect(harness.engine.conversation("urgent")?.priority == 5)
        #expect(harness.agent(of: "served") == "a1")
        harness.addAgent("n1", overrides: [.chat: 1])
        #expect(harness.agent(of: "urgent") == "n1", "the higher priority goes first in the night queue")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("hold: what waits when the queue closes stays in it")
    func holdAtClosing() throws {
        var harness = try Self.waitingAtClosing(.hold)
        harness.advance(to: Self.sixPM + 60)
        #expect(harness.engine.conversation("older")?.queue == "day")
        #expect(harness.engine.conversation("older")?.state == .queued)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("a router restored from a snapshot taken before the closing still closes the queue at its instant")
    func closingAfterRestore() throws {
        var harness = try Self.waitingAtClosing(.refuse)
        harness.engine = try RoutingEngine(snapshot: harness.engine.snapshot())
        #expect(harness.engine.nextDeadline == .seconds(Self.sixPM))
        let actions = harness.advance(to: Self.sixPM + 3600)
        #expect(actions.filter { if case .turnedAway = $0 { true } else { false } }.count == 2)
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("the checker names a conversation ended by a closing that did not happen")
    func checkerCatchesFalseClosing() throws {
        var day = Fixture.queue("day")
        day.hours = QueueHours(calendar: Self.dayHours, closedRule: .refuse)
        let configuration = Fixture.configuration(queues: [day])
        var checker = InvariantChecker(configuration: configuration)
        var engine = try RoutingEngine(configuration: configuration, now: .seconds(Self.nineAM))
        let outcome = engine.handle(
            .openConversation(ConversationRequest(id: "c1", customer: "k1", queue: "day")), at: .seconds(Self.nineAM))
        for action in outcome.actions {
            for fact in RoutingFact.facts(from: action) {
                checker.observe(ObservedFact(at: .seconds(Self.nineAM), fact: fact))
            }
        }
        let found = checker.observe(
            ObservedFact(at: .seconds(Self.nineAM + 3600), fact: .conversationTurnedAway("c1", queue: "day")))
        #expect(found.map(\.kind) == [.hoursBroken])
    }
}
