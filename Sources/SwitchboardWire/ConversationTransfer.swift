public import SwitchboardBus
public import SwitchboardRouting

/// A transfer as fields: who it was taken from and where it went. The data of
/// `conversation.transferred` and of a `transferred` step of `conversation.explain`'s history
/// carry these members, so no consumer reads the router's sentence to learn the target
/// (docs/PROTOCOL.md §6.1). `Codable` only for the router's checkpoints, which keep each
/// conversation's history.
public struct ConversationTransfer: Sendable, Hashable, Codable {
    /// The agent it was taken from; nil when nobody held it.
    public var fromAgentId: AgentID?
    /// A queue (`toQueue`) or an agent (`toAgentId`).
    public var to: TransferTarget
    /// What the agent who transferred it wrote for the next one (never shown to the customer).
    public var note: String?

    /// The longest note, in bytes.
    public static let noteBytesMax = 2_000

    public init(fromAgentId: AgentID?, to: TransferTarget, note: String? = nil) {
        self.fromAgentId = fromAgentId
        self.to = to
        self.note = note
    }

    public var toQueue: QueueID? { if case .queue(let queue) = to { queue } else { nil } }
    public var toAgentId: AgentID? { if case .agent(let agent) = to { agent } else { nil } }

    /// `fromAgentId`, then `toQueue` or `toAgentId`, to place in an event's or a step's object.
    public var members: [(String, JSON)] {
        var members: [(String, JSON)] = [("fromAgentId", .optional(fromAgentId?.rawValue))]
        switch to {
        case .queue(let queue): members.append(("toQueue", .string(queue.rawValue)))
        case .agent(let agent): members.append(("toAgentId", .string(agent.rawValue)))
        }
        if let note { members.append(("note", .string(note))) }
        return members
    }

    /// Reads the members from an event's data or a history step; exactly one of `toQueue` and
    /// `toAgentId` must be there.
    public init(fields: WireFields) throws(WireError) {
        let queue: QueueID? = try fields.optionalIdentifier("toQueue")
        let agent: AgentID? = try fields.optionalIdentifier("toAgentId")
        switch (queue, agent) {
        case (let queue?, nil): to = .queue(queue)
        case (nil, let agent?): to = .agent(agent)
        case (_?, _?):
            throw fields.error(
                "toAgentId", expected: "absent when \"toQueue\" is given (one target)",
                found: fields.object["toAgentId"])
        case (nil, nil):
            throw fields.error("toQueue", expected: "a queue id, or \"toAgentId\" an agent id", found: nil)
        }
        fromAgentId = try fields.optionalIdentifier("fromAgentId")
        note = try fields.optionalString("note")
    }
}
