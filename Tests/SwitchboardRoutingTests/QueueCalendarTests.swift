import Foundation
import SwitchboardRouting
import Testing

@Suite("Queue calendar")
struct QueueCalendarTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    /// Weekdays 09:00–18:00, Saturday 10:00–13:00, Sunday closed; Christmas a holiday;
    /// Christmas Eve mornings only.
    static let office = QueueCalendar(
        timeZone: paris,
        weekly: [
            .monday: [OpeningPeriod("09:00-18:00")!], .tuesday: [OpeningPeriod("09:00-18:00")!],
            .wednesday: [OpeningPeriod("09:00-18:00")!], .thursday: [OpeningPeriod("09:00-18:00")!],
            .friday: [OpeningPeriod("09:00-18:00")!], .saturday: [OpeningPeriod("10:00-13:00")!],
        ],
        holidays: [LocalDate(year: 2026, month: 12, day: 25)],
        exceptions: [LocalDate(year: 2026, month: 12, day: 24): [OpeningPeriod("09:00-12:00")!]])

    /// An instant given in UTC, `2026-03-27T08:00:00Z` style.
    static func utc(_ text: String) -> RoutingInstant {
        let date = ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0)
        return RoutingInstant(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    @Test("closes at 18:00 local time: open the millisecond before, closed at it")
    func closing() {
        // Friday 2026-03-27, Paris on winter time (UTC+1): 18:00 local is 17:00 UTC.
        let closing = Self.utc("2026-03-27T17:00:00Z")
        #expect(Self.office.isOpen(at: RoutingInstant(millisecondsSinceEpoch: closing.millisecondsSinceEpoch - 1)))
        #expect(!Self.office.isOpen(at: closing))
        #expect(Self.office.nextClosing(after: Self.utc("2026-03-27T12:00:00Z")) == closing)
    }

    @Test("opens at 09:00 local time, and the next opening from the evening before is that instant")
    func opening() {
        // Thursday evening to Friday 09:00 local (08:00 UTC).
        #expect(Self.office.nextOpening(after: Self.utc("2026-03-26T20:00:00Z")) == Self.utc("2026-03-27T08:00:00Z"))
        #expect(!Self.office.isOpen(at: Self.utc("2026-03-27T07:59:59Z")))
        #expect(Self.office.isOpen(at: Self.utc("2026-03-27T08:00:00Z")))
        // From Saturday after closing, Sunday is closed: Monday 09:00 local.
        #expect(Self.office.nextOpening(after: Self.utc("2026-03-21T13:00:00Z")) == Self.utc("2026-03-23T08:00:00Z"))
    }

    @Test("a holiday stays closed all day and the next opening skips it; an exception shortens its day")
    func holiday() {
        // Friday 2026-12-25 at noon local: a weekday, but Christmas.
        #expect(!Self.office.isOpen(at: Self.utc("2026-12-25T11:00:00Z")))
        #expect(Self.office.nextOpening(after: Self.utc("2026-12-24T20:00:00Z")) == Self.utc("2026-12-26T09:00:00Z"))
        // Christmas Eve: open in the morning, closed from 12:00 local (11:00 UTC).
        #expect(Self.office.isOpen(at: Self.utc("2026-12-24T10:59:00Z")))
        #expect(!Self.office.isOpen(at: Self.utc("2026-12-24T11:00:00Z")))
        #expect(Self.office.nextClosing(after: Self.utc("2026-12-24T09:00:00Z")) == Self.utc("2026-12-24T11:00:00Z"))
    }

    @Test("spring forward, last Sunday of March: 09:00 local moves from 08:00 to 07:00 UTC")
    func springForward() {
        let sundays = QueueCalendar(timeZone: Self.paris, weekly: [.sunday: [OpeningPeriod("09:00-17:00")!]])
        // 2026-03-22, winter time; 2026-03-29, clocks go 02:00 -> 03:00 local; summer time after.
        #expect(sundays.nextOpening(after: Self.utc("2026-03-21T12:00:00Z")) == Self.utc("2026-03-22T08:00:00Z"))
        #expect(sundays.nextOpening(after: Self.utc("2026-03-28T12:00:00Z")) == Self.utc("2026-03-29T07:00:00Z"))
        #expect(sundays.isOpen(at: Self.utc("2026-03-29T07:00:00Z")))
        #expect(!Self.office.isOpen(at: Self.utc("2026-03-30T06:59:00Z")), "Monday 08:59 summer time")
        #expect(Self.office.isOpen(at: Self.utc("2026-03-30T07:00:00Z")), "Monday 09:00 summer time is 07:00 UTC")
        #expect(Self.office.nextOpening(after: Self.utc("2026-03-29T12:00:00Z")) == Self.utc("2026-03-30T07:00:00Z"))
        #expect(sundays.nextClosing(after: Self.utc("2026-03-29T08:00:00Z")) == Self.utc("2026-03-29T15:00:00Z"))
    }

    @Test(
        "fall back, last Sunday of October: 09:00 local moves from 07:00 to 08:00 UTC; the repeated hour is open twice")
    func fallBack() {
        let sundays = QueueCalendar(timeZone: Self.paris, weekly: [.sunday: [OpeningPeriod("09:00-17:00")!]])
        #expect(sundays.nextOpening(after: Self.utc("2026-10-17T12:00:00Z")) == Self.utc("2026-10-18T07:00:00Z"))
        #expect(sundays.nextOpening(after: Self.utc("2026-10-24T12:00:00Z")) == Self.utc("2026-10-25T08:00:00Z"))
        #expect(!sundays.isOpen(at: Self.utc("2026-10-25T07:30:00Z")), "08:30 local, before opening")
        // 2026-10-25: 03:00 local comes back to 02:00, so 02:00-03:00 local happens twice.
        let night = QueueCalendar(timeZone: Self.paris, weekly: [.sunday: [OpeningPeriod("02:00-03:00")!]])
        #expect(night.isOpen(at: Self.utc("2026-10-25T00:30:00Z")), "02:30 summer time")
        #expect(night.isOpen(at: Self.utc("2026-10-25T01:30:00Z")), "02:30 winter time")
        #expect(!night.isOpen(at: Self.utc("2026-10-25T02:00:00Z")), "03:00 winter time")
    }

    @Test("periods that touch across midnight open once")
    func acrossMidnight() {
        let nights = QueueCalendar(
            timeZone: Self.paris,
            weekly: [.friday: [OpeningPeriod("22:00-24:00")!], .saturday: [OpeningPeriod("00:00-06:00")!]])
        let friday = Self.utc("2026-03-27T12:00:00Z")
        #expect(nights.nextOpening(after: friday) == Self.utc("2026-03-27T21:00:00Z"))
        #expect(nights.nextClosing(after: friday) == Self.utc("2026-03-28T05:00:00Z"))
        #expect(nights.isOpen(at: Self.utc("2026-03-27T23:00:00Z")))
    }

    @Test("a calendar that never opens has no next opening")
    func neverOpen() {
        let closed = QueueCalendar(timeZone: Self.paris, weekly: [:])
        #expect(closed.nextOpening(after: .zero) == nil)
        #expect(!closed.isOpen(at: .zero))
    }

    @Test("periods and dates read and refuse their text")
    func parsing() {
        #expect(OpeningPeriod("09:00-24:00") == OpeningPeriod(startMinute: 540, endMinute: 1440))
        #expect(OpeningPeriod("18:00-09:00") == nil)
        #expect(OpeningPeriod("9:00-18:00") == nil)
        #expect(OpeningPeriod("24:00-24:00") == nil)
        #expect(LocalDate("2028-02-29") == LocalDate(year: 2028, month: 2, day: 29))
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2026-12-25")?.description == "2026-12-25")
    }
}
