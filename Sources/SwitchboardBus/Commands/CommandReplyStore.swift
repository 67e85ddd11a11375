/// Where a command server keeps the replies it gave, by command id, so that a repeated id gets
/// the same reply instead of a second effect. An authority with durable state backs it with
/// its database and saves each reply in the same transaction as the command's effect (its
/// `save` then has nothing left to do).
public protocol CommandReplyStore: Sendable {
    /// The stored reply frames of those ids that have one.
    func storedReplies(for ids: [String]) async -> [String: [UInt8]]
    /// The reply frames to give these commands from the store: an id's stored reply, or a
    /// refusal when the store knows that another principal's command holds the id.
    func storedReplies(for commands: [(id: String, principal: String?)]) async -> [String: [UInt8]]
    /// Remembers replies for the retention period.
    func save(_ replies: [(id: String, reply: [UInt8])]) async
}

extension CommandReplyStore {
    /// A store that does not know who sent each command answers by id alone.
    public func storedReplies(for commands: [(id: String, principal: String?)]) async -> [String: [UInt8]] {
        await storedReplies(for: commands.map(\.id))
    }
}

/// Replies kept in memory for `retentionSeconds` (one hour by default), and at most
/// `entriesMax` of them, oldest forgotten first.
public actor InMemoryCommandReplyStore: CommandReplyStore {
    public let retentionSeconds: Double
    public let entriesMax: Int
    private var replies: [String: [UInt8]] = [:]
    private var order: [(id: String, savedAt: ContinuousClock.Instant)] = []
    private var orderStart = 0

    public init(retentionSeconds: Double = 3_600, entriesMax: Int = 1_000_000) {
        self.retentionSeconds = retentionSeconds
        self.entriesMax = entriesMax
    }

    public func storedReplies(for ids: [String]) -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for id in ids {
            if let reply = replies[id] { found[id] = reply }
        }
        return found
    }

    public func save(_ newReplies: [(id: String, reply: [UInt8])]) {
        let now = ContinuousClock.now
        for (id, reply) in newReplies where replies.updateValue(reply, forKey: id) == nil {
            order.append((id, now))
        }
        let oldest = now - .milliseconds(Int64(retentionSeconds * 1_000))
        while orderStart < order.count,
            order.count - orderStart > entriesMax || order[orderStart].savedAt < oldest
        {
            replies.removeValue(forKey: order[orderStart].id)
            orderStart += 1
        }
        if orderStart > 4_096 && orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    public var count: Int { replies.count }
}
