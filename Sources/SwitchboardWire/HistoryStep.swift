public import SwitchboardBus
public import SwitchboardRouting

/// One entry of `conversation.explain`'s `history` (docs/PROTOCOL.md §6.1): what happened,
/// when, to which agent, by which rule, in one sentence for people; a `transferred` step also
/// carries the transfer as fields.
public struct HistoryStep: Sendable, Hashable {
    public var at: RoutingInstant
    /// `queued`, `offered`, `assigned`, `declined`, `expired`, `requeued`, `transferred`,
    /// `closed`, `wrapUpStarted`, `wrapUpEnded`, `abandoned`, …
    public var event: String
    /// The agent concerned (for `transferred`: the one it was taken from).
    public var agentId: AgentID?
    public var rule: String?
    public var sentence: String
    /// The transfer's fields, on `transferred` steps.
    public var transfer: ConversationTransfer?

    public init(
        at: RoutingInstant, event: String, agentId: AgentID? = nil, rule: String? = nil, sentence: String,
        transfer: ConversationTransfer? = nil
    ) {
        self.at = at
        self.event = event
        self.agentId = agentId
        self.rule = rule
        self.sentence = sentence
        self.transfer = transfer
    }

    public var json: JSON {
        var object = JSONObject([
            ("at", .int(at.millisecondsSinceEpoch)), ("event", .string(event)),
            ("agentId", .optional(agentId?.rawValue)), ("rule", .optional(rule)), ("sentence", .string(sentence)),
        ])
        for (key, value) in transfer?.members ?? [] { object[key] = value }
        return .object(object)
    }

    public init(json: JSON) throws(WireError) {
        try self.init(json: json, path: "")
    }

    /// Reads a step at `path` of an explain result (`history[3]`).
    public init(json: JSON, path: String) throws(WireError) {
        let fields = try WireFields(json, item: "explain history", path: path)
        let event = try fields.string("event")
        self.init(
            at: try fields.instant("at"), event: event, agentId: try fields.optionalIdentifier("agentId"),
            rule: try fields.optionalString("rule"), sentence: try fields.string("sentence"),
            transfer: try Self.transfer(event: event, fields: fields))
    }

    /// A `transferred` step's transfer. A step recorded before the router wrote these fields
    /// (kept in a checkpoint across an upgrade) has neither target: it reads as nil.
    static func transfer(event: String, fields: WireFields) throws(WireError) -> ConversationTransfer? {
        guard event == "transferred", fields.member("toQueue") != nil || fields.member("toAgentId") != nil else {
            return nil
        }
        return try ConversationTransfer(fields: fields)
    }

    /// The `history` of a `conversation.explain` result, oldest first.
    public static func history(ofExplainResult result: JSON) throws(WireError) -> [HistoryStep] {
        let fields = try WireFields(result, item: "explain history")
        return try fields.elements("history") { value, path throws(WireError) in
            try HistoryStep(json: value, path: path)
        }
    }
}
