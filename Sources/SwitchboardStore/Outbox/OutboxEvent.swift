/// One committed event as the outbox holds it: its place in commit order and the seq of its
/// family assigned inside the transaction that emitted it.
public struct OutboxEvent: Sendable, Equatable {
    /// Rises by one per event in commit order, across families and epochs; never reused.
    public let position: UInt64
    public let epoch: UInt64
    public let family: String
    public let seq: UInt64
    public let topic: String
    public let type: String
    /// The event's `data` as JSON bytes.
    public let data: [UInt8]

    public init(
        position: UInt64, epoch: UInt64, family: String, seq: UInt64, topic: String, type: String, data: [UInt8]
    ) {
        self.position = position
        self.epoch = epoch
        self.family = family
        self.seq = seq
        self.topic = topic
        self.type = type
        self.data = data
    }
}

/// What `StoreTransaction.emit` assigned to an event.
public struct EmittedEvent: Sendable, Equatable {
    public let family: String
    public let epoch: UInt64
    public let seq: UInt64
    public let position: UInt64
}
