public import SwitchboardBus
public import SwitchboardRouting

/// The data of one `conversation.*` event of the router (docs/PROTOCOL.md §6.1), read: the
/// conversation it is about, the item it carries (every one does), and typed reading of the
/// event's own fields (`agentId`, `rule`, `fromAgentId`, …) through `fields`, whose refusals
/// name the event type and the field.
public struct ConversationEvent: Sendable {
    /// The event type, e.g. `conversation.assigned`.
    public var type: String
    public var conversationId: ConversationID
    /// The conversation after the event; nil when the event carries `item: null`.
    public var item: ConversationItem?
    /// The event's data, for its own fields.
    public var fields: WireFields

    /// Reads `data` of an event of `type`; refuses data without a valid `conversationId` or with
    /// an item that is not a conversation item.
    public init(type: String, data: JSON) throws(WireError) {
        self.type = type
        fields = try WireFields(data, item: "\(type) event")
        conversationId = try fields.identifier("conversationId")
        item = try fields.member("item").map { item throws(WireError) in try ConversationItem(json: item) }
    }

    /// The agent the event names (`agentId`): the one offered, assigned, declining, closing…
    public var agentId: AgentID? { get throws(WireError) { try fields.optionalIdentifier("agentId") } }

    /// A `conversation.message` event's message.
    public var message: TranscriptMessage {
        get throws(WireError) { try TranscriptMessage(json: .object(fields.object)) }
    }

    /// A `conversation.transferred` event's transfer.
    public var transfer: ConversationTransfer { get throws(WireError) { try ConversationTransfer(fields: fields) } }

    /// The rule of an offer or assignment (`sticky`, `skills`, `fallbackStep(2)`…).
    public var rule: String? { get throws(WireError) { try fields.optionalString("rule") } }

    /// The decision's sentence of an offer or assignment, or a requeue's reason.
    public var reason: String? { get throws(WireError) { try fields.optionalString("reason") } }

    /// The presence event an offer, an assignment or an `agent.load` relied on (`presence:{epoch,seq}`).
    public var presenceStamp: PresenceStamp? {
        get throws(WireError) {
            guard let stamp = try fields.optionalFields("presence") else { return nil }
            return try PresenceStamp(wire: stamp)
        }
    }
}

extension PresenceStamp {
    /// `{epoch, seq}`: the presence tracker's event a router decision relied on.
    public var wireJSON: JSON { ["epoch": .number(epoch), "seq": .number(sequence)] }

    /// Reads `{epoch, seq}`.
    public init(wire fields: WireFields) throws(WireError) {
        let epoch = try fields.int64("epoch")
        let seq = try fields.int64("seq")
        guard epoch >= 0 else { throw fields.error("epoch", expected: "a whole number from 0", found: .int(epoch)) }
        guard seq >= 0 else { throw fields.error("seq", expected: "a whole number from 0", found: .int(seq)) }
        self.init(epoch: UInt64(epoch), sequence: UInt64(seq))
    }
}
