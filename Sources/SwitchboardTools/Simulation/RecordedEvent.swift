public import SwitchboardBus

/// One event as an observer of the bus recorded it, with its data parsed.
public struct RecordedEvent: Sendable {
    /// The publishing service (`router`, `presence`…).
    public var source: String
    public var topic: String
    public var type: String
    public var epoch: UInt64
    public var seq: UInt64
    public var data: JSON

    public init(source: String, topic: String, type: String, epoch: UInt64, seq: UInt64, data: JSON) {
        self.source = source
        self.topic = topic
        self.type = type
        self.epoch = epoch
        self.seq = seq
        self.data = data
    }

    /// Records `envelope` (nil when its data cannot be parsed).
    public init?(_ envelope: EventEnvelope) {
        guard let data = try? envelope.data() else { return nil }
        self.init(
            source: envelope.source, topic: envelope.topic, type: envelope.type, epoch: envelope.epoch,
            seq: envelope.seq, data: data)
    }
}
