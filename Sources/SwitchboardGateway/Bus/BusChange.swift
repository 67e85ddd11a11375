public import SwitchboardBus

/// The services the gateway follows.
public enum BusSource: String, Sendable, CaseIterable {
    case router, desk, presence, summariser, monitor

    /// The families the gateway wants from each (whole families: sequences are per family).
    var prefixes: [String] {
        switch self {
        case .router: ["conv.", "agent.", "queue."]
        case .desk: ["desk."]
        case .presence: ["presence."]
        case .summariser: ["assist."]
        case .monitor: ["monitor."]
        }
    }
}

/// Something that happened, as the gateway's sockets care about it.
public enum BusChange: Sendable, Equatable {
    /// A keyed item of a service changed (`value` nil: it is gone).
    case item(source: BusSource, key: String, value: JSON?)
    /// A `conversation.message` event's data (the line, with `conversationId`).
    case message(conversationId: String, message: JSON)
    /// Someone is typing (relayed within this gateway; `who` is customer or agent).
    case typing(conversationId: String, who: String, name: String)
    /// The customer left (or was timed out) through this gateway.
    case customerLeft(conversationId: String)
    /// A service's state was taken again (a gap or a restart): sockets send their state again.
    case resynced(BusSource)
    /// The gateway's view of the bus as a whole changed: live, resyncing or down.
    case status(bus: String, detail: String)
}
