public import SwitchboardBus
public import SwitchboardRouting

// The items of other services that the monitor reads, each from its JSON as docs/PROTOCOL.md
// §6 defines it. Reading is lenient: a field the monitor does not need may be missing.

/// Figures per channel (`{"voice": 0, "chat": 2, ...}`).
func channelCounts(_ json: JSON?) -> [Channel: Int] {
    var counts: [Channel: Int] = [:]
    for member in json?.objectValue ?? JSONObject() {
        if let channel = Channel(rawValue: member.key), let value = member.value.intValue {
            counts[channel] = Int(value)
        }
    }
    return counts
}

/// An agent as the router knows them (`agent.<id>`): routing presence (Busy derived from
/// load), load and capacity per channel.
public struct RouterAgentLine: Sendable, Equatable {
    public var agent: AgentID
    public var name: String
    public var role: String
    /// available, busy, away, dnd, offline, unknown.
    public var presence: String
    public var load: [Channel: Int]
    /// Offered or assigned work per channel (not wrap-up): what exclusions look at.
    public var live: [Channel: Int]
    public var capacity: [Channel: Int]
    public var awayReason: String?

    public init?(item: JSON) {
        guard let agent = item["agentId"]?.stringValue else { return nil }
        self.live = channelCounts(item["live"])
        self.agent = AgentID(agent)
        self.name = item["name"]?.stringValue ?? agent
        self.role = item["role"]?.stringValue ?? "agent"
        self.presence = item["presence"]?.stringValue ?? "unknown"
        self.load = channelCounts(item["load"])
        self.capacity = channelCounts(item["capacity"])
        self.awayReason = item["awayReason"]?.stringValue
    }
}

/// An agent's presence at the presence tracker (`presence.<id>`).
public struct PresenceLine: Sendable, Equatable {
    public var agent: AgentID
    /// available, away, dnd, offline.
    public var status: String
    public var reason: String?
    public var sinceMillis: Int64?

    public init?(item: JSON) {
        guard let agent = item["agentId"]?.stringValue, let status = item["status"]?.stringValue else { return nil }
        self.agent = AgentID(agent)
        self.status = status
        self.reason = item["reason"]?.stringValue
        self.sinceMillis = item["since"]?.intValue
    }
}

/// An agent's workspace as the desk summarises it (`desk.<id>`): sessions per channel, the
/// active one, unread messages. Reads `summary.sessions` as a count or as a list of sessions.
public struct DeskLine: Sendable, Equatable {
    public var agent: AgentID
    public var signedIn: Bool
    public var sessions: Int
    public var sessionsByChannel: [Channel: Int]
    public var activeSession: String?
    public var unread: Int

    public init?(item: JSON) {
        guard let agent = item["agentId"]?.stringValue else { return nil }
        self.agent = AgentID(agent)
        self.signedIn = item["signedIn"]?.boolValue ?? true
        let summary = item["summary"] ?? item
        var byChannel: [Channel: Int] = [:]
        var unread = Int(summary["unread"]?.intValue ?? 0)
        var active = summary["active"]?.stringValue ?? summary["activeSession"]?.stringValue
        switch summary["sessions"] {
        case .array(let lines)?:
            var unreadInLines = 0
            for line in lines {
                if let channel = line["channel"]?.stringValue.flatMap(Channel.init(rawValue:)) {
                    byChannel[channel, default: 0] += 1
                }
                unreadInLines += Int(line["unreadCount"]?.intValue ?? line["unread"]?.intValue ?? 0)
                if line["isActive"]?.boolValue == true || line["active"]?.boolValue == true {
                    active = active ?? line["conversation"]?.stringValue ?? line["conversationId"]?.stringValue
                }
            }
            if summary["unread"] == nil { unread = unreadInLines }
            self.sessions = lines.count
        case let value?:
            self.sessions = Int(value.intValue ?? 0)
        case nil:
            self.sessions = 0
        }
        if byChannel.isEmpty { byChannel = channelCounts(summary["sessionsByChannel"] ?? summary["byChannel"]) }
        self.sessionsByChannel = byChannel
        self.activeSession = active
        self.unread = unread
    }
}

/// A queue's counters at the router (`queue.<id>`).
public struct RouterQueueLine: Sendable, Equatable {
    public var queue: QueueID
    public var name: String
    public var channel: Channel?
    public var waiting: Int
    public var held: Int
    public var oldestWaitingSinceMillis: Int64?
    /// Assignments and abandonments since the router's store was created.
    public var assigned: Int
    public var assignedWithinServiceLevel: Int
    public var abandoned: Int
    public var targetPercent: Double?
    public var withinSeconds: Double?

    public init?(item: JSON) {
        guard let queue = item["queue"]?.stringValue else { return nil }
        self.queue = QueueID(queue)
        self.name = item["name"]?.stringValue ?? queue
        self.channel = item["channel"]?.stringValue.flatMap(Channel.init(rawValue:))
        self.waiting = Int(item["waiting"]?.intValue ?? 0)
        self.held = Int(item["held"]?.intValue ?? 0)
        self.oldestWaitingSinceMillis = item["oldestWaitingSince"]?.intValue
        self.assigned = Int(item["assigned"]?.intValue ?? 0)
        self.assignedWithinServiceLevel = Int(item["assignedWithinServiceLevel"]?.intValue ?? 0)
        self.abandoned = Int(item["abandoned"]?.intValue ?? 0)
        self.targetPercent = item["serviceLevel"]?["percent"]?.doubleValue
        self.withinSeconds = item["serviceLevel"]?["withinSeconds"]?.doubleValue
    }
}

/// A customer's sticky owner at the router (`sticky.<customerId>`).
public struct StickyLine: Sendable, Equatable {
    public var customer: CustomerID
    public var agent: AgentID
    public var lastHandledAtMillis: Int64?

    public init?(item: JSON) {
        guard let customer = item["customerId"]?.stringValue, let agent = item["agentId"]?.stringValue else {
            return nil
        }
        self.customer = CustomerID(customer)
        self.agent = AgentID(agent)
        self.lastHandledAtMillis = item["lastHandledAt"]?.intValue
    }
}

/// An alert the router raised and has not cleared (`alert.<kind>:<...>`).
public struct RouterAlertLine: Sendable, Equatable {
    /// The alert's id: its key without `alert.`.
    public var id: String
    public var kind: String
    public var sentence: String
    public var queue: String?
    public var conversation: String?

    public init?(key: String, item: JSON) {
        guard key.hasPrefix("alert.") else { return nil }
        self.id = String(key.dropFirst("alert.".count))
        self.kind = item["kind"]?.stringValue ?? "alert"
        self.sentence = item["sentence"]?.stringValue ?? self.kind
        self.queue = item["queue"]?.stringValue
        self.conversation = item["conversationId"]?.stringValue
    }
}
