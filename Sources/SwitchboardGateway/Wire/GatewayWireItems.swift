public import SwitchboardBus

// Every reading of another service's item happens in this file, so that moving to the shared
// typed wire items is a change here only.

/// A field that is missing or of the wrong type in an item from the bus.
public struct WireItemError: Error, Sendable, CustomStringConvertible {
    public let item: String
    public let field: String
    public var description: String { "\(item) has no readable '\(field)'" }
}

private func string(_ json: JSON, _ field: String, in item: String) throws(WireItemError) -> String {
    guard let value = json[field]?.stringValue else { throw WireItemError(item: item, field: field) }
    return value
}

/// The router's `conv.<id>` item, as the gateway reads it.
public struct GatewayConversation: Sendable, Equatable {
    public var conversationId: String
    public var customerId: String
    public var queue: String
    public var channel: String
    /// queued, offered, assigned, wrapUp, closed, abandoned.
    public var state: String
    public var agentId: String?

    public init(json: JSON) throws(WireItemError) {
        conversationId = try string(json, "conversationId", in: "conversation")
        customerId = try string(json, "customerId", in: "conversation")
        queue = try string(json, "queue", in: "conversation")
        channel = json["channel"]?.stringValue ?? "chat"
        state = try string(json, "state", in: "conversation")
        agentId = json["agentId"]?.stringValue
    }

    /// Whether the customer's side is over (closed by the agent, in wrap-up, or abandoned).
    public var hasEnded: Bool { ["wrapUp", "closed", "abandoned"].contains(state) }
    /// Whether an agent holds it now.
    public var isAssigned: Bool { state == "assigned" }
}

/// The router's `agent.<id>` item.
public struct GatewayAgent: Sendable, Equatable {
    public var agentId: String
    public var name: String?
    public var role: String?

    public init(json: JSON) throws(WireItemError) {
        agentId = try string(json, "agentId", in: "agent")
        name = json["name"]?.stringValue
        role = json["role"]?.stringValue
    }
}

/// One line of a transcript, from `conversation.transcript`'s result or a `conversation.message` event.
public struct GatewayTranscriptMessage: Sendable, Equatable {
    public var number: Int
    public var role: String
    public var author: String
    public var text: String
    /// `everyone` or `agent` (a whisper).
    public var audience: String
    public var at: Int64?

    public init(json: JSON) throws(WireItemError) {
        guard let number = json["number"]?.intValue else { throw WireItemError(item: "message", field: "number") }
        self.number = Int(number)
        role = try string(json, "role", in: "message")
        author = json["author"]?.stringValue ?? ""
        text = try string(json, "text", in: "message")
        audience = json["audience"]?.stringValue ?? "everyone"
        at = json["at"]?.intValue
    }

    public init(number: Int, role: String, author: String, text: String, audience: String, at: Int64?) {
        self.number = number
        self.role = role
        self.author = author
        self.text = text
        self.audience = audience
        self.at = at
    }

    /// A whisper: for the agent's side only, never the customer's.
    public var isWhisper: Bool { audience == "agent" }
}

/// The desk's `desk.<agentId>` item: the gateway needs the open sessions; the page gets it whole.
public struct GatewayDeskItem: Sendable, Equatable {
    public var agentId: String
    public var sessionConversationIds: [String]

    public init(json: JSON) throws(WireItemError) {
        agentId = try string(json, "agentId", in: "desk")
        sessionConversationIds =
            json["summary"]?["sessions"]?.arrayValue?.compactMap { $0["conversationId"]?.stringValue } ?? []
    }
}

/// The monitor's `monitor.queue.<id>` item: the waiting estimate a customer is shown.
public struct GatewayMonitorQueue: Sendable, Equatable {
    public var queue: String
    public var estimatedWaitSeconds: Int?

    public init(json: JSON) throws(WireItemError) {
        queue = try string(json, "queue", in: "monitor queue")
        estimatedWaitSeconds = json["estimatedWait"]?["seconds"]?.doubleValue.map { Int($0.rounded()) }
    }
}

/// The presence tracker's `presence.<agentId>` item.
public struct GatewayPresence: Sendable, Equatable {
    public var status: String
    public var reason: String?

    public init(json: JSON) throws(WireItemError) {
        status = try string(json, "status", in: "presence")
        reason = json["reason"]?.stringValue
    }
}
