public import SwitchboardBus
public import SwitchboardRouting

/// The monitor's item of one queue, `monitor.queue.<id>` (docs/PROTOCOL.md §6.5): who waits,
/// the expected wait, the agents ready, and the service level achieved.
public struct MonitorQueueItem: Sendable, Hashable {
    /// A new arrival's expected wait and how it was estimated.
    public struct EstimatedWait: Sendable, Hashable {
        public enum Method: String, Sendable, Hashable, CaseIterable {
            case agentReady = "agent-ready"
            case recentRate = "recent-rate"
            case unknown
        }

        public var seconds: Int?
        public var method: Method
        public var assignmentsPerHour: Double
        public var windowSeconds: Int

        public init(seconds: Int?, method: Method, assignmentsPerHour: Double, windowSeconds: Int) {
            self.seconds = seconds
            self.method = method
            self.assignmentsPerHour = assignmentsPerHour
            self.windowSeconds = windowSeconds
        }
    }

    /// Answered within the target time ÷ (answered + abandoned), from the router's counters.
    public struct ServiceLevel: Sendable, Hashable {
        public var targetPercent: Double?
        public var withinSeconds: Double?
        public var achievedPercent: Double?
        /// Nil until something was answered or abandoned.
        public var met: Bool?
        public var assigned: Int
        public var assignedWithinTarget: Int
        public var abandoned: Int

        public init(
            targetPercent: Double?, withinSeconds: Double?, achievedPercent: Double?, met: Bool?, assigned: Int,
            assignedWithinTarget: Int, abandoned: Int
        ) {
            self.targetPercent = targetPercent
            self.withinSeconds = withinSeconds
            self.achievedPercent = achievedPercent
            self.met = met
            self.assigned = assigned
            self.assignedWithinTarget = assignedWithinTarget
            self.abandoned = abandoned
        }
    }

    /// A queue with business hours: open or closed now, and when that changes next (UTC,
    /// ISO 8601), in the time zone its calendar keeps.
    public struct Hours: Sendable, Hashable {
        public var open: Bool
        /// While closed: the next opening (nil: none within the calendar's reach).
        public var opensAt: String?
        /// While open: the next closing.
        public var closesAt: String?
        public var timeZone: String

        public init(open: Bool, opensAt: String?, closesAt: String?, timeZone: String) {
            self.open = open
            self.opensAt = opensAt
            self.closesAt = closesAt
            self.timeZone = timeZone
        }
    }

    public var queue: QueueID
    public var name: String
    /// Nil when the contact-centre file does not say (a queue only the router knows).
    public var channel: Channel?
    public var waiting: Int
    public var held: Int
    public var offered: Int
    public var oldestWaitSeconds: Int?
    public var waitingOverTarget: Int
    public var estimatedWait: EstimatedWait
    public var readyAgents: Int
    public var serviceLevel: ServiceLevel
    public var abandoned: Int
    /// Nil for a queue without business hours (always open).
    public var hours: Hours?

    public init(
        queue: QueueID, name: String, channel: Channel?, waiting: Int, held: Int, offered: Int,
        oldestWaitSeconds: Int?, waitingOverTarget: Int, estimatedWait: EstimatedWait, readyAgents: Int,
        serviceLevel: ServiceLevel, abandoned: Int, hours: Hours? = nil
    ) {
        self.queue = queue
        self.name = name
        self.channel = channel
        self.waiting = waiting
        self.held = held
        self.offered = offered
        self.oldestWaitSeconds = oldestWaitSeconds
        self.waitingOverTarget = waitingOverTarget
        self.estimatedWait = estimatedWait
        self.readyAgents = readyAgents
        self.serviceLevel = serviceLevel
        self.abandoned = abandoned
        self.hours = hours
    }

    /// The item's key, `monitor.queue.<id>`.
    public var key: String { "monitor.queue.\(queue)" }

    public var json: JSON {
        [
            "queue": .string(queue.rawValue), "name": .string(name), "channel": .optional(channel?.rawValue),
            "waiting": .number(waiting), "held": .number(held), "offered": .number(offered),
            "oldestWaitSeconds": oldestWaitSeconds.map { .number($0) } ?? .null,
            "waitingOverTarget": .number(waitingOverTarget),
            "estimatedWait": [
                "seconds": estimatedWait.seconds.map { .number($0) } ?? .null,
                "method": .string(estimatedWait.method.rawValue),
                "assignmentsPerHour": .double(estimatedWait.assignmentsPerHour),
                "windowSeconds": .number(estimatedWait.windowSeconds),
            ],
            "readyAgents": .number(readyAgents),
            "serviceLevel": [
                "targetPercent": serviceLevel.targetPercent.map(JSON.double) ?? .null,
                "withinSeconds": serviceLevel.withinSeconds.map(JSON.double) ?? .null,
                "achievedPercent": serviceLevel.achievedPercent.map(JSON.double) ?? .null,
                "met": serviceLevel.met.map(JSON.bool) ?? .null, "assigned": .number(serviceLevel.assigned),
                "assignedWithinTarget": .number(serviceLevel.assignedWithinTarget),
                "abandoned": .number(serviceLevel.abandoned),
            ],
            "abandoned": .number(abandoned),
            "hours": hours.map { hours in
                [
                    "open": .bool(hours.open), "opensAt": .optional(hours.opensAt),
                    "closesAt": .optional(hours.closesAt), "timeZone": .string(hours.timeZone),
                ]
            } ?? .null,
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "monitor.queue item")
        let wait = try fields.fields("estimatedWait")
        let level = try fields.fields("serviceLevel")
        var hours: Hours?
        if let calendar = try fields.optionalFields("hours") {
            hours = Hours(
                open: try calendar.bool("open"), opensAt: try calendar.optionalString("opensAt"),
                closesAt: try calendar.optionalString("closesAt"), timeZone: try calendar.string("timeZone"))
        }
        self.init(
            queue: try fields.identifier("queue"), name: try fields.string("name"),
            channel: try fields.optionalOneOf("channel"), waiting: try fields.int("waiting"),
            held: try fields.int("held"), offered: try fields.int("offered"),
            oldestWaitSeconds: try fields.optionalInt("oldestWaitSeconds"),
            waitingOverTarget: try fields.int("waitingOverTarget"),
            estimatedWait: EstimatedWait(
                seconds: try wait.optionalInt("seconds"), method: try wait.oneOf("method"),
                assignmentsPerHour: try wait.double("assignmentsPerHour"),
                windowSeconds: try wait.int("windowSeconds")),
            readyAgents: try fields.int("readyAgents"),
            serviceLevel: ServiceLevel(
                targetPercent: try level.optionalDouble("targetPercent"),
                withinSeconds: try level.optionalDouble("withinSeconds"),
                achievedPercent: try level.optionalDouble("achievedPercent"), met: try level.optionalBool("met"),
                assigned: try level.int("assigned"), assignedWithinTarget: try level.int("assignedWithinTarget"),
                abandoned: try level.int("abandoned")),
            abandoned: try fields.int("abandoned"), hours: hours)
    }
}
