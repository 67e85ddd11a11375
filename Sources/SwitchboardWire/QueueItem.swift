public import SwitchboardBus
public import SwitchboardRouting

/// The router's queue item, `queue.<id>` (docs/PROTOCOL.md §6.1): who waits, and the
/// counters the service level is computed from (since the router's store was created).
public struct QueueItem: Sendable, Hashable {
    /// The queue's service-level target: `percent` answered within `withinSeconds`.
    public struct ServiceLevel: Sendable, Hashable {
        public var percent: Double
        public var withinSeconds: Double

        public init(percent: Double, withinSeconds: Double) {
            self.percent = percent
            self.withinSeconds = withinSeconds
        }
    }

    public var queue: QueueID
    public var name: String
    public var channel: Channel
    /// Conversations queued, held for their owner included.
    public var waiting: Int
    /// Of those, the ones held for their sticky owner.
    public var held: Int
    public var oldestWaitingSince: RoutingInstant?
    public var assigned: Int
    public var assignedWithinServiceLevel: Int
    public var abandoned: Int
    public var serviceLevel: ServiceLevel

    public init(
        queue: QueueID, name: String, channel: Channel, waiting: Int = 0, held: Int = 0,
        oldestWaitingSince: RoutingInstant? = nil, assigned: Int = 0, assignedWithinServiceLevel: Int = 0,
        abandoned: Int = 0, serviceLevel: ServiceLevel
    ) {
        self.queue = queue
        self.name = name
        self.channel = channel
        self.waiting = waiting
        self.held = held
        self.oldestWaitingSince = oldestWaitingSince
        self.assigned = assigned
        self.assignedWithinServiceLevel = assignedWithinServiceLevel
        self.abandoned = abandoned
        self.serviceLevel = serviceLevel
    }

    /// The item's key, `queue.<id>`.
    public var key: String { "queue.\(queue)" }

    public var json: JSON {
        [
            "queue": .string(queue.rawValue), "name": .string(name), "channel": .string(channel.rawValue),
            "waiting": .number(waiting), "held": .number(held), "oldestWaitingSince": oldestWaitingSince.wireJSON,
            "assigned": .number(assigned), "assignedWithinServiceLevel": .number(assignedWithinServiceLevel),
            "abandoned": .number(abandoned),
            "serviceLevel": [
                "percent": .double(serviceLevel.percent), "withinSeconds": .double(serviceLevel.withinSeconds),
            ],
        ]
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: "queue item")
        let level = try fields.fields("serviceLevel")
        self.init(
            queue: try fields.identifier("queue"), name: try fields.string("name"),
            channel: try fields.oneOf("channel"),
            waiting: try fields.int("waiting"), held: try fields.int("held"),
            oldestWaitingSince: try fields.optionalInstant("oldestWaitingSince"), assigned: try fields.int("assigned"),
            assignedWithinServiceLevel: try fields.int("assignedWithinServiceLevel"),
            abandoned: try fields.int("abandoned"),
            serviceLevel: ServiceLevel(
                percent: try level.double("percent"), withinSeconds: try level.double("withinSeconds")))
    }
}
