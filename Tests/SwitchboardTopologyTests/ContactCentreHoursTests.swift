import Foundation
import SwitchboardRouting
import SwitchboardTopology
import Testing

@Suite("Queue hours in the contact-centre file")
struct ContactCentreHoursTests {
    /// The valid file with `hours` on the chat-en queue.
    static func withHours(_ hours: String) -> String {
        ContactCentreRefusalTests.broken(
            "    channel: chat\n    requiredSkills: {english: 2}\n    intentSkill: true\n",
            "    channel: chat\n    requiredSkills: {english: 2}\n    intentSkill: true\n    hours:\n" + hours)
    }

    static let paris = """
              timeZone: Europe/Paris
              weekly:
                monday: [09:00-18:00]
                saturday: [10:00-13:00, 14:00-16:00]
              holidays: [2026-12-25]
              exceptions:
                2026-12-24: [09:00-12:00]
                2026-12-31: []

        """

    @Test("hours load with their zone, periods, holidays, exceptions and rule")
    func loads() throws {
        let centre = try ContactCentreRefusalTests.parse(
            Self.withHours(Self.paris + "      closedRule: overflow\n      overflowQueue: chat-en-cards\n"))
        let hours = try #require(centre.routing.queues.first { $0.id == "chat-en" }?.hours)
        #expect(hours.calendar.timeZone.identifier == "Europe/Paris")
        #expect(hours.calendar.weekly[.monday] == [OpeningPeriod(startMinute: 540, endMinute: 1080)])
        #expect(hours.calendar.weekly[.saturday]?.count == 2)
        #expect(hours.calendar.weekly[.sunday] == nil)
        #expect(hours.calendar.holidays == [LocalDate(year: 2026, month: 12, day: 25)])
        #expect(hours.calendar.exceptions[LocalDate(year: 2026, month: 12, day: 31)] == [])
        #expect(hours.closedRule == .overflow("chat-en-cards"))
        #expect(centre.routing.queues.first { $0.id == "chat-en-cards" }?.hours == nil)
    }

    @Test("without a rule, work outside hours is refused; hold keeps it")
    func rules() throws {
        let refusing = try ContactCentreRefusalTests.parse(Self.withHours(Self.paris))
        #expect(refusing.routing.queues.first { $0.id == "chat-en" }?.hours?.closedRule == .refuse)
        let holding = try ContactCentreRefusalTests.parse(Self.withHours(Self.paris + "      closedRule: hold\n"))
        #expect(holding.routing.queues.first { $0.id == "chat-en" }?.hours?.closedRule == .hold)
    }

    @Test(
        "bad hours are refused naming the field and what to write",
        arguments: [
            ("      timeZone: Europe/Pariss\n      weekly: {monday: [09:00-18:00]}\n", "timeZone", "not a time zone"),
            ("      weekly: {monday: [09:00-18:00]}\n", "hours", "missing 'timeZone:'"),
            ("      timeZone: UTC\n      weekly: {mondy: [09:00-18:00]}\n", "mondy", "did you mean 'monday'"),
            ("      timeZone: UTC\n      weekly: {monday: [18:00-09:00]}\n", "monday[0]", "HH:MM-HH:MM"),
            (
                "      timeZone: UTC\n      weekly: {monday: [09:00-12:00, 11:00-13:00]}\n", "monday[1]",
                "overlaps 09:00-12:00"
            ),
            ("      timeZone: UTC\n      weekly: {}\n      holidays: [2026-02-30]\n", "holidays[0]", "YYYY-MM-DD"),
            ("      timeZone: UTC\n      weekly: {}\n      closedRule: overflow\n", "hours", "needs 'overflowQueue:'"),
            (
                "      timeZone: UTC\n      weekly: {}\n      closedRule: later\n", "closedRule",
                "refuse, hold, overflow"
            ),
            (
                "      timeZone: UTC\n      weekly: {}\n      overflowQueue: chat-en-cards\n", "overflowQueue",
                "only with closedRule: overflow"
            ),
            (
                "      timeZone: UTC\n      weekly: {}\n      closedRule: overflow\n      overflowQueue: nowhere\n",
                "queues.chat-en", "unknown queue nowhere"
            ),
        ])
    func refusals(hours: String, keySuffix: String, problem: String) throws {
        let yaml = Self.withHours(hours)
        let error = try #require(ContactCentreRefusalTests.refusal(yaml), "accepted:\n\(yaml)")
        #expect(error.key.hasSuffix(keySuffix), "\(error)")
        #expect(error.description.contains(problem), "\(error)")
    }
}
