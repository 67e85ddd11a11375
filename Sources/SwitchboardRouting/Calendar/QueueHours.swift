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
    /// Refuse it (`RoutingError.queueClosed`, with the next opening), so the channel can tell
    /// the customer when to come back.
    case refuse
    /// Accept it into the queue as at any other time: it waits for the agents who serve the
    /// queue (with nobody on shift, until they come on). Agents who stay on after hours still
    /// take it; the engine does not keep it back from them.
    case hold
    /// Send it to another queue (one that is open, e.g. a follow-the-sun team).
    case overflow(QueueID)
}
