public import SwitchboardBus
public import SwitchboardRouting

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

    public var json: JSON {
        [
            "queue": .string(queue.rawValue), "name": .string(name), "channel": .optional(channel?.rawValue),
            "waiting": .number(waiting), "held": .number(held), "offered": .number(offered),
            "oldestWaitSeconds": oldestWaitSeconds.map { .number($0) } ?? .null,
            "waitingOverTarget": .number(waitingOverTarget),
            "estimatedWait": [
                "seconds": estimatedWait.seconds.map { .number($0) } ?? .null, "method": .string(estimatedWait.method),
                "assignmentsPerHour": .double(rounded(estimatedWait.assignmentsPerHour)),
                "windowSeconds": .number(estimatedWait.windowSeconds),
            ],
            "readyAgents": .number(readyAgents),
            "serviceLevel": [
                "targetPercent": serviceLevel.targetPercent.map { .double($0) } ?? .null,
                "withinSeconds": serviceLevel.withinSeconds.map { .double($0) } ?? .null,
                "achievedPercent": serviceLevel.achievedPercent.map { .double(rounded($0)) } ?? .null,
                "met": serviceLevel.met.map { .bool($0) } ?? .null, "assigned": .number(serviceLevel.assigned),
                "assignedWithinTarget": .number(serviceLevel.assignedWithinTarget),
                "abandoned": .number(serviceLevel.abandoned),
            ],
            "abandoned": .number(abandoned),
        ]
    }
}

/// One decimal place: figures a person reads, and items that do not change on noise.
func rounded(_ value: Double) -> Double {
    (value * 10).rounded() / 10
}
