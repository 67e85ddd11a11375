/// A queue's opening hours and what happens to work that arrives while it is closed.
public struct QueueHours: Sendable, Hashable, Codable {
    public var calendar: QueueCalendar
    public var closedRule: ClosedRule

    public init(calendar: QueueCalendar, closedRule: ClosedRule) {
        self.calendar = calendar
        self.closedRule = closedRule
    }
}

/// What a queue does with a conversation that arrives outside its hours.
public enum ClosedRule: Sendable, Hashable, Codable {
    /// Refuse it: the channel tells the customer when the queue opens.
    case refuse
    /// Keep it waiting until the queue opens.
    case hold
    /// Send it to another queue (one that is open, e.g. a follow-the-sun team).
    case overflow(QueueID)
}
