import Foundation
import SwitchboardRouting

extension ContactCentreParser {
    static let hoursKeys: Set<String> = ["timeZone", "weekly", "holidays", "exceptions", "closedRule", "overflowQueue"]

    /// A queue's `hours:`:
    ///
    ///     hours:
    ///       timeZone: Europe/Paris
    ///       weekly: {monday: [09:00-18:00], saturday: [10:00-13:00]}
    ///       holidays: [2026-12-25]
    ///       exceptions: {2026-12-24: [09:00-12:00]}
    ///       closedRule: overflow        # refuse | hold | overflow
    ///       overflowQueue: cards-night  # with overflow only
    ///
    /// Whether the overflow queue exists is checked with the rest of the configuration.
    static func hours(_ value: YAMLValue) throws(TopologyError) -> QueueHours {
        let fields = try value.mapping(allowed: hoursKeys)
        guard let zoneValue = fields["timeZone"] else {
            throw value.error("missing 'timeZone:' (an IANA zone such as Europe/Paris or America/New_York)")
        }
        let zoneName = try zoneValue.nonEmptyString()
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw zoneValue.error(
                "'\(zoneName)' is not a time zone this system knows; use an IANA name such as Europe/Paris "
                    + "(the zone database lives in /usr/share/zoneinfo)")
        }
        guard let weeklyValue = fields["weekly"] else {
            throw value.error("missing 'weekly:' (opening periods per day, e.g. monday: [09:00-18:00])")
        }
        var weekly: [Weekday: [OpeningPeriod]] = [:]
        let dayNames = Set(Weekday.allCases.map(\.rawValue))
        for (day, periodsValue) in try weeklyValue.namedMapping() {
            guard let weekday = Weekday(rawValue: day) else {
                throw periodsValue.error(
                    "'\(day)' is not a day of the week" + YAMLValue.suggestion(for: day, among: dayNames))
            }
            weekly[weekday] = try periods(periodsValue)
        }
        var holidays: Set<LocalDate> = []
        if let holidaysValue = fields["holidays"] {
            for element in try holidaysValue.sequence() { holidays.insert(try date(element, text: element.string())) }
        }
        var exceptions: [LocalDate: [OpeningPeriod]] = [:]
        if let exceptionsValue = fields["exceptions"] {
            for (text, periodsValue) in try exceptionsValue.namedMapping() {
                exceptions[try date(periodsValue, text: text)] = try periods(periodsValue)
            }
        }
        let rule = try fields["closedRule"]?.choice(["refuse", "hold", "overflow"]) ?? "refuse"
        let closedRule: ClosedRule
        switch (rule, fields["overflowQueue"]) {
        case ("overflow", let queueValue?):
            let queue = try queueValue.nonEmptyString()
            try identifier(queue, queueValue, what: "a queue")
            closedRule = .overflow(QueueID(queue))
        case ("overflow", nil):
            throw value.error("closedRule: overflow needs 'overflowQueue:' naming the queue that takes the work")
        case (_, let queueValue?):
            throw queueValue.error("overflowQueue applies only with closedRule: overflow; remove it or change the rule")
        case ("hold", nil):
            closedRule = .hold
        default:
            closedRule = .refuse
        }
        let calendar = QueueCalendar(timeZone: timeZone, weekly: weekly, holidays: holidays, exceptions: exceptions)
        return QueueHours(calendar: calendar, closedRule: closedRule)
    }

    /// A list of `HH:MM-HH:MM` periods of one day; an empty list closes it.
    private static func periods(_ value: YAMLValue) throws(TopologyError) -> [OpeningPeriod] {
        var periods: [OpeningPeriod] = []
        for element in try value.sequence() {
            let text = try element.string()
            guard let period = OpeningPeriod(text) else {
                throw element.error(
                    "'\(text)' is not an opening period; write HH:MM-HH:MM with the start before the end, "
                        + "within one day (24:00 may end it), e.g. 09:00-18:00")
            }
            if let overlapping = periods.first(where: {
                $0.startMinute < period.endMinute && period.startMinute < $0.endMinute
            }) {
                throw element.error("\(period) overlaps \(overlapping) of the same day; merge them into one period")
            }
            periods.append(period)
        }
        return periods.sorted()
    }

    private static func date(_ value: YAMLValue, text: String) throws(TopologyError) -> LocalDate {
        guard let date = LocalDate(text) else {
            throw value.error("'\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-12-25")
        }
        return date
    }
}
