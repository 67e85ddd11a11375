public import SwitchboardBus
public import SwitchboardRouting

/// The desk's item of one agent, `desk.<agentId>` (docs/PROTOCOL.md §6.3): who they are,
/// whether they are signed in, a summary of their sessions for dashboards, the offers waiting,
/// and the whole workspace. The workspace stays raw JSON here: it is the workspace model's own
/// `Codable` form, read by the desk itself (`desk show`), not a field list other consumers share.
public struct DeskItem: Sendable, Hashable {
    /// The sessions as a dashboard lists them.
    public struct Summary: Sendable, Hashable {
        public var activeSession: ConversationID?
        public var viewedSession: ConversationID?
        public var liveCall: ConversationID?
        public var unreadTotal: Int
        public var sessionsByChannel: [Channel: Int]
        public var drafts: Int
        public var sessions: [Session]

        public init(
            activeSession: ConversationID? = nil, viewedSession: ConversationID? = nil,
            liveCall: ConversationID? = nil, unreadTotal: Int = 0, sessionsByChannel: [Channel: Int] = [:],
            drafts: Int = 0, sessions: [Session] = []
        ) {
            self.activeSession = activeSession
            self.viewedSession = viewedSession
            self.liveCall = liveCall
            self.unreadTotal = unreadTotal
            self.sessionsByChannel = sessionsByChannel
            self.drafts = drafts
            self.sessions = sessions
        }
    }

    /// One session on the agent's desk.
    public struct Session: Sendable, Hashable {
        public var conversationId: ConversationID
        public var channel: Channel
        public var customerId: CustomerID
        public var queue: QueueID
        public var topic: String?
        public var openedAt: RoutingInstant
        /// Where new work goes (the focused session).
        public var active: Bool
        public var onScreen: Bool
        public var liveCall: Bool
        public var unread: Int
        /// new-work, awaiting-reply, read-summary, review-case-summary, wrap-up.
        public var pendingActions: [String]
        public var activeTab: String
        public var tabs: Int
        public var hasDraft: Bool

        public init(
            conversationId: ConversationID, channel: Channel, customerId: CustomerID, queue: QueueID,
            topic: String? = nil, openedAt: RoutingInstant, active: Bool = false, onScreen: Bool = false,
            liveCall: Bool = false, unread: Int = 0, pendingActions: [String] = [], activeTab: String, tabs: Int,
            hasDraft: Bool = false
        ) {
            self.conversationId = conversationId
            self.channel = channel
            self.customerId = customerId
            self.queue = queue
            self.topic = topic
            self.openedAt = openedAt
            self.active = active
            self.onScreen = onScreen
            self.liveCall = liveCall
            self.unread = unread
            self.pendingActions = pendingActions
            self.activeTab = activeTab
            self.tabs = tabs
            self.hasDraft = hasDraft
        }
    }

    /// An offer waiting on the agent's desk.
    public struct Offer: Sendable, Hashable {
        public var conversationId: ConversationID
        public var channel: Channel
        public var customerId: CustomerID
        public var queue: QueueID
        public var topic: String?
        public var rule: String?
        public var reason: String?
        /// Nil for an offer the desk learnt of from a snapshot (it does not know when it came).
        public var offeredAt: RoutingInstant?
        public var expiresAt: RoutingInstant?

        public init(
            conversationId: ConversationID, channel: Channel, customerId: CustomerID, queue: QueueID,
            topic: String? = nil, rule: String? = nil, reason: String? = nil, offeredAt: RoutingInstant? = nil,
            expiresAt: RoutingInstant? = nil
        ) {
            self.conversationId = conversationId
            self.channel = channel
            self.customerId = customerId
            self.queue = queue
            self.topic = topic
            self.rule = rule
            self.reason = reason
            self.offeredAt = offeredAt
            self.expiresAt = expiresAt
        }
    }

    public var agentId: AgentID
    public var name: String?
    public var role: RoleID
    public var signedIn: Bool
    public var signedInAt: RoutingInstant?
    public var updatedAt: RoutingInstant
    public var summary: Summary
    public var offers: [Offer]
    /// The workspace model's `Codable` form (times in milliseconds), as the desk wrote it.
    public var workspace: JSON

    public init(
        agentId: AgentID, name: String?, role: RoleID, signedIn: Bool, signedInAt: RoutingInstant?,
        updatedAt: RoutingInstant, summary: Summary, offers: [Offer], workspace: JSON
    ) {
        self.agentId = agentId
        self.name = name
        self.role = role
        self.signedIn = signedIn
        self.signedInAt = signedInAt
        self.updatedAt = updatedAt
        self.summary = summary
        self.offers = offers
        self.workspace = workspace
    }

    /// The item's key, `desk.<agentId>`.
    public var key: String { "desk.\(agentId)" }

    static let itemName = "desk item"

    public var json: JSON {
        var object = JSONObject()
        object["agentId"] = .string(agentId.rawValue)
        object["name"] = .optional(name)
        object["role"] = .string(role.rawValue)
        object["signedIn"] = .bool(signedIn)
        object["signedInAt"] = signedInAt.wireJSON
        object["updatedAt"] = .int(updatedAt.millisecondsSinceEpoch)
        object["summary"] = summary.json
        object["offers"] = .array(offers.map(\.json))
        object["workspace"] = workspace
        return .object(object)
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: Self.itemName)
        self.init(
            agentId: try fields.identifier("agentId"), name: try fields.optionalString("name"),
            role: try fields.identifier("role"), signedIn: try fields.bool("signedIn"),
            signedInAt: try fields.optionalInstant("signedInAt"), updatedAt: try fields.instant("updatedAt"),
            summary: try Summary(fields: try fields.fields("summary")),
            offers: try fields.elements("offers") { value, path throws(WireError) in
                try Offer(fields: try WireFields(value, item: Self.itemName, path: path))
            },
            workspace: try fields.value("workspace"))
    }
}

extension DeskItem.Summary {
    public var json: JSON {
        var byChannel = JSONObject()
        for (channel, count) in sessionsByChannel.sorted(by: { $0.key < $1.key }) {
            byChannel[channel.rawValue] = .number(count)
        }
        return [
            "activeSession": .optional(activeSession?.rawValue), "viewedSession": .optional(viewedSession?.rawValue),
            "liveCall": .optional(liveCall?.rawValue), "unreadTotal": .number(unreadTotal),
            "sessionsByChannel": .object(byChannel), "drafts": .number(drafts),
            "sessions": .array(sessions.map(\.json)),
        ]
    }

    init(fields: WireFields) throws(WireError) {
        self.init(
            activeSession: try fields.optionalIdentifier("activeSession"),
            viewedSession: try fields.optionalIdentifier("viewedSession"),
            liveCall: try fields.optionalIdentifier("liveCall"), unreadTotal: try fields.int("unreadTotal"),
            sessionsByChannel: try fields.channelMap("sessionsByChannel"), drafts: try fields.int("drafts"),
            sessions: try fields.elements("sessions") { value, path throws(WireError) in
                try DeskItem.Session(fields: try WireFields(value, item: fields.item, path: path))
            })
    }
}

extension DeskItem.Session {
    public var json: JSON {
        [
            "conversationId": .string(conversationId.rawValue), "channel": .string(channel.rawValue),
            "customerId": .string(customerId.rawValue), "queue": .string(queue.rawValue), "topic": .optional(topic),
            "openedAt": .int(openedAt.millisecondsSinceEpoch), "active": .bool(active), "onScreen": .bool(onScreen),
            "liveCall": .bool(liveCall), "unread": .number(unread),
            "pendingActions": .array(pendingActions.map(JSON.string)), "activeTab": .string(activeTab),
            "tabs": .number(tabs), "hasDraft": .bool(hasDraft),
        ]
    }

    init(fields: WireFields) throws(WireError) {
        self.init(
            conversationId: try fields.identifier("conversationId"), channel: try fields.oneOf("channel"),
            customerId: try fields.identifier("customerId"), queue: try fields.identifier("queue"),
            topic: try fields.optionalString("topic"), openedAt: try fields.instant("openedAt"),
            active: try fields.bool("active"), onScreen: try fields.bool("onScreen"),
            liveCall: try fields.bool("liveCall"), unread: try fields.int("unread"),
            pendingActions: try fields.strings("pendingActions"), activeTab: try fields.string("activeTab"),
            tabs: try fields.int("tabs"), hasDraft: try fields.bool("hasDraft"))
    }
}

extension DeskItem.Offer {
    public var json: JSON {
        [
            "conversationId": .string(conversationId.rawValue), "channel": .string(channel.rawValue),
            "customerId": .string(customerId.rawValue), "queue": .string(queue.rawValue), "topic": .optional(topic),
            "rule": .optional(rule), "reason": .optional(reason), "offeredAt": offeredAt.wireJSON,
            "expiresAt": expiresAt.wireJSON,
        ]
    }

    init(fields: WireFields) throws(WireError) {
        self.init(
            conversationId: try fields.identifier("conversationId"), channel: try fields.oneOf("channel"),
            customerId: try fields.identifier("customerId"), queue: try fields.identifier("queue"),
            topic: try fields.optionalString("topic"), rule: try fields.optionalString("rule"),
            reason: try fields.optionalString("reason"), offeredAt: try fields.optionalInstant("offeredAt"),
            expiresAt: try fields.optionalInstant("expiresAt"))
    }
}
