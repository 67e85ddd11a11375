public import SwitchboardBus
public import SwitchboardRouting
public import SwitchboardWire

/// One queue on the supervisor's view (`monitor.queue.<id>`).
public struct QueueFigures: Sendable, Equatable {
    public var queue: QueueID
    public var name: String
    public var channel: Channel?
    /// Conversations waiting for an agent (held for their owner included), counted from the
    /// router's conversation items.
    public var waiting: Int
    /// Of them, held for their sticky owner (the router's count).
    public var held: Int
    /// Offered to an agent, not yet accepted.
    public var offered: Int
    /// How long the longest-waiting conversation has waited.
    public var oldestWaitSeconds: Int?
    /// Waiting longer than the queue's service-level threshold already.
    public var waitingOverTarget: Int
    public var estimatedWait: WaitEstimate
    /// Agents who could take a conversation of this queue now: they serve it with its full
    /// skills, are Available and have capacity left on its channel.
    public var readyAgents: Int
    public var serviceLevel: ServiceLevel
    /// Customers who left before being served (the router's count).
    public var abandoned: Int
    /// Open or closed now by the queue's calendar, and when that changes; nil without hours.
    public var hours: MonitorQueueItem.Hours? = nil

    /// A new arrival's expected wait and how it was estimated.
    public struct WaitEstimate: Sendable, Equatable {
        public var seconds: Int?
        /// `agent-ready` (nobody waits and an agent is ready: 0), `recent-rate` ((waiting + 1)
        /// divided by the queue's assignment rate over the recent window), or `unknown` (no
        /// assignment in the window and no ready agent).
        public var method: String
        /// Assignments per hour over the recent window.
        public var assignmentsPerHour: Double
        public var windowSeconds: Int
    }

    /// Service level: the share of conversations answered within the target time, counting
    /// abandoned ones as missed (answered within T ÷ (answered + abandoned)).
    public struct ServiceLevel: Sendable, Equatable {
        public var targetPercent: Double?
        public var withinSeconds: Double?
        public var achievedPercent: Double?
        public var assigned: Int
        public var assignedWithinTarget: Int
        public var abandoned: Int

        /// Nil until something was answered or abandoned.
        public var met: Bool? {
            guard let achievedPercent, let targetPercent else { return nil }
            return achievedPercent >= targetPercent
        }
    }

    /// The wire item `monitor.queue.<id>`; figures a person reads are rounded to one decimal.
    public var wire: MonitorQueueItem {
        MonitorQueueItem(
            queue: queue, name: name, channel: channel, waiting: waiting, held: held, offered: offered,
            oldestWaitSeconds: oldestWaitSeconds, waitingOverTarget: waitingOverTarget,
            estimatedWait: .init(
                seconds: estimatedWait.seconds, method: .init(rawValue: estimatedWait.method) ?? .unknown,
                assignmentsPerHour: rounded(estimatedWait.assignmentsPerHour),
                windowSeconds: estimatedWait.windowSeconds),
            readyAgents: readyAgents,
            serviceLevel: .init(
                targetPercent: serviceLevel.targetPercent, withinSeconds: serviceLevel.withinSeconds,
                achievedPercent: serviceLevel.achievedPercent.map(rounded), met: serviceLevel.met,
                assigned: serviceLevel.assigned, assignedWithinTarget: serviceLevel.assignedWithinTarget,
                abandoned: serviceLevel.abandoned),
            abandoned: abandoned, hours: hours)
    }

    public var json: JSON { wire.json }
}

/// One decimal place: figures a person reads, and items that do not change on noise.
func rounded(_ value: Double) -> Double {
    (value * 10).rounded() / 10
}
