public import Foundation

/// When a queue is open: weekly opening hours in wall-clock time of one IANA time zone, with
/// holidays (closed all day) and exceptions (other hours on one date) by local date.
///
/// Hours are wall-clock hours, so "09:00–18:00" opens at 09:00 local time on both sides of a
/// daylight-saving change; the instants follow from the zone's rules (Foundation's `Calendar`
/// and `TimeZone`, from the system's time zone database). A pure value: it reads no clock.
public struct QueueCalendar: Sendable, Hashable, Codable {
    /// The zone the hours are read in, e.g. Europe/Paris.
    public var timeZone: TimeZone
    /// Opening periods per day of the week; a day missing is closed.
    public var weekly: [Weekday: [OpeningPeriod]]
    /// Dates closed all day (an exception on the same date wins).
    public var holidays: Set<LocalDate>
    /// Dates with other hours than their weekday's (an empty list closes the day).
    public var exceptions: [LocalDate: [OpeningPeriod]]

    /// How far `nextOpening` and `nextClosing` look ahead: a calendar that is never open (or
    /// never closes) within this many days answers nil rather than searching for ever.
    public static let searchDaysMax = 400

    public init(
        timeZone: TimeZone, weekly: [Weekday: [OpeningPeriod]], holidays: Set<LocalDate> = [],
        exceptions: [LocalDate: [OpeningPeriod]] = [:]
    ) {
        self.timeZone = timeZone
        self.weekly = weekly.mapValues { $0.sorted() }
        self.holidays = holidays
        self.exceptions = exceptions.mapValues { $0.sorted() }
    }

    /// Whether the queue is open at this instant.
    public func isOpen(at instant: RoutingInstant) -> Bool {
        let local = localTime(of: instant)
        let millisecondOfDay = local.millisecondOfDay
        return periods(on: local.date, weekday: local.weekday).contains {
            millisecondOfDay >= Int64($0.startMinute) * 60_000 && millisecondOfDay < Int64($0.endMinute) * 60_000
        }
    }

    /// The first instant after `instant` at which the queue opens (goes from closed to open).
    /// When it is open at `instant`, that is the opening after the current period closes.
    /// Nil when it does not open within `searchDaysMax` days.
    public func nextOpening(after instant: RoutingInstant) -> RoutingInstant? {
        firstChange(after: instant, toOpen: true)
    }

    /// The first instant after `instant` at which the queue closes. Nil when it does not close
    /// within `searchDaysMax` days.
    public func nextClosing(after instant: RoutingInstant) -> RoutingInstant? {
        firstChange(after: instant, toOpen: false)
    }

    // MARK: Reading the calendar

    /// The periods of one local date: its exception, else nothing on a holiday, else its weekday's.
    public func periods(on date: LocalDate) -> [OpeningPeriod] {
        guard let instant = self.instant(of: date, minute: 12 * 60) else { return [] }
        return periods(on: date, weekday: localTime(of: instant).weekday)
    }

    func periods(on date: LocalDate, weekday: Weekday) -> [OpeningPeriod] {
        if let exception = exceptions[date] { return exception }
        if holidays.contains(date) { return [] }
        return weekly[weekday] ?? []
    }

    /// Candidate changes are the starts (or ends) of periods, day by day in local time; one
    /// counts when the state really changes there (periods that touch across midnight, or
    /// overlap, do not open twice).
    private func firstChange(after instant: RoutingInstant, toOpen: Bool) -> RoutingInstant? {
        // Start a day early: a period of yesterday may end after `instant` when clocks went back.
        var date = localTime(of: instant).date.previousDay
        for _ in 0..<Self.searchDaysMax {
            var candidates: [RoutingInstant] = []
            for period in periods(on: date) {
                let minute = toOpen ? period.startMinute : period.endMinute
                if let candidate = self.instant(of: date, minute: minute), candidate > instant {
                    candidates.append(candidate)
                }
            }
            for candidate in candidates.sorted() {
                let before = RoutingInstant(millisecondsSinceEpoch: candidate.millisecondsSinceEpoch - 1)
                if isOpen(at: candidate) == toOpen && isOpen(at: before) != toOpen { return candidate }
            }
            date = date.nextDay
        }
        return nil
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private struct LocalTime {
        var date: LocalDate
        var weekday: Weekday
        var millisecondOfDay: Int64
    }

    private func localTime(of instant: RoutingInstant) -> LocalTime {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
        let milliseconds = ((instant.millisecondsSinceEpoch % 1000) + 1000) % 1000
        let secondOfDay = (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0)
        return LocalTime(
            date: LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1),
            weekday: Weekday(foundationWeekday: parts.weekday ?? 1),
            millisecondOfDay: Int64(secondOfDay) * 1000 + milliseconds)
    }

    /// The instant of a wall-clock minute of a local date (minute 1440 is the next midnight).
    /// A time skipped when clocks go forward resolves to the instant the calendar gives it
    /// (the same offset past the change); `firstChange` checks the state there anyway.
    private func instant(of date: LocalDate, minute: Int) -> RoutingInstant? {
        var parts = DateComponents()
        parts.year = date.year
        parts.month = date.month
        parts.day = date.day
        guard var result = calendar.date(from: parts) else { return nil }
        if minute >= 24 * 60 {
            guard let next = calendar.date(byAdding: .day, value: 1, to: result) else { return nil }
            result = next
        } else {
            parts.hour = minute / 60
            parts.minute = minute % 60
            guard let timed = calendar.date(from: parts) else { return nil }
            result = timed
        }
        return RoutingInstant(millisecondsSinceEpoch: Int64((result.timeIntervalSince1970 * 1000).rounded()))
    }
}

/// A day of the week.
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// From Foundation's numbering (1 is Sunday).
    init(foundationWeekday: Int) {
        let order: [Weekday] = [.sunday, .monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        self = order[((foundationWeekday - 1) % 7 + 7) % 7]
    }
}

/// A calendar date in the queue's time zone.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    CodingKeyRepresentable
{
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2026-12-25`; nil unless a real date in that form.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...LocalDate.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    var nextDay: LocalDate {
        if day < Self.days(inMonth: month, year: year) { return LocalDate(year: year, month: month, day: day + 1) }
        return month < 12
            ? LocalDate(year: year, month: month + 1, day: 1) : LocalDate(year: year + 1, month: 1, day: 1)
    }

    var previousDay: LocalDate {
        if day > 1 { return LocalDate(year: year, month: month, day: day - 1) }
        let (previousYear, previousMonth) = month > 1 ? (year, month - 1) : (year - 1, 12)
        return LocalDate(
            year: previousYear, month: previousMonth, day: Self.days(inMonth: previousMonth, year: previousYear))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "\(text) is not YYYY-MM-DD"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var codingKey: any CodingKey { IdentifierCodingKey(stringValue: description) }
    public init?<Key: CodingKey>(codingKey: Key) { self.init(codingKey.stringValue) }
}

/// One opening period of a day, in wall-clock minutes from midnight: `startMinute` up to but
/// not including `endMinute` (1440 is midnight at the end of the day).
public struct OpeningPeriod: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var startMinute: Int
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// `09:00-18:00` (`24:00` as an end); nil unless well formed with the start before the end.
    public init?(_ text: String) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = Self.minute(ends[0], allowMidnightEnd: false),
            let end = Self.minute(ends[1], allowMidnightEnd: true), start < end
        else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    private static func minute(_ text: Substring, allowMidnightEnd: Bool) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0...59).contains(minute)
        else { return nil }
        if hour == 24 && minute == 0 && allowMidnightEnd { return 24 * 60 }
        guard (0...23).contains(hour) else { return nil }
        return hour * 60 + minute
    }

    /// Whether it runs forwards within one day (from 00:00 up to 24:00), as every period must.
    public var isWithinOneDay: Bool { startMinute >= 0 && startMinute < endMinute && endMinute <= 24 * 60 }

    public var description: String {
        func clock(_ minute: Int) -> String {
            let hour = minute / 60
            let rest = minute % 60
            return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
        }
        return "\(clock(startMinute))-\(clock(endMinute))"
    }

    public static func < (lhs: OpeningPeriod, rhs: OpeningPeriod) -> Bool {
        (lhs.startMinute, lhs.endMinute) < (rhs.startMinute, rhs.endMinute)
    }
}
