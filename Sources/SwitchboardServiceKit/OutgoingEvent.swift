public import SwitchboardBus

/// An event a service's state machine produced, to publish through the outbox.
public struct OutgoingEvent: Sendable, Equatable {
    public var topic: String
    public var type: String
    public var data: JSON

    public init(topic: String, type: String, data: JSON) {
        self.topic = topic
        self.type = type
        self.data = data
    }
}
