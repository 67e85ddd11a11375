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
}
