public import Logging
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// The gateway's copy of what it follows on the bus (the router's conversations, agents and
/// queues, every desk, presence, assistance and the monitor's view), kept by the Clone procedure,
/// and the fan-out of every change to the open sockets. It owns no routing state: everything
/// here can be rebuilt from the services at any moment.
public actor BusView {
    private var items: [BusSource: [String: JSON]] = [:]
    private var sourceState: [BusSource: String] = [:]
    private var overall = (bus: "resyncing", detail: "connecting to the services")
    private var subscribers: [Int: AsyncStream<BusChange>.Continuation] = [:]
    private var nextSubscriber = 0
    /// Changes waiting for one subscriber at most; past it the subscriber is dropped (its page
    /// reconnects and receives the whole state again) instead of the gateway growing without bound.
    public static let subscriberBufferMax = 10_000
    private let agentRemoved: @Sendable (String) async -> Void
    /// Router events that do not read as the wire contract says (logged once per kind).
    private let refused: MalformedInputLog

    /// - Parameter agentRemoved: called when the router no longer has an agent it had (their
    ///   sessions end).
    public init(
        logger: Logger = Logger(label: "switchboard.gateway.bus"),
        agentRemoved: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.agentRemoved = agentRemoved
        refused = MalformedInputLog(logger: logger, context: "the router's stream")
    }

    /// A stream of every change from now on; call `unsubscribe` with the id when done.
    public func subscribe() -> (id: Int, changes: AsyncStream<BusChange>) {
        nextSubscriber += 1
        let (stream, continuation) = AsyncStream<BusChange>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.subscriberBufferMax))
        subscribers[nextSubscriber] = continuation
        return (nextSubscriber, stream)
    }

    public func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    public func item(_ source: BusSource, _ key: String) -> JSON? {
        items[source]?[key]
    }

    /// The items of `source` whose key starts with `prefix`, sorted by key.
    public func items(_ source: BusSource, prefix: String) -> [(key: String, value: JSON)] {
        (items[source] ?? [:]).filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Whether the service's view is live (snapshot applied, events in order).
    public func isLive(_ source: BusSource) -> Bool { sourceState[source] == "live" }

    public var status: (bus: String, detail: String) { overall }

    /// Applies one update of a service's replica and tells every subscriber what changed.
    public func apply(_ update: ReplicaUpdate, from source: BusSource) async {
        switch update {
        case .snapshot(let snapshot):
            var fresh: [String: JSON] = [:]
            for item in snapshot.items {
                if let value = try? item.value() { fresh[item.key] = value }
            }
            let old = items[source] ?? [:]
            items[source] = fresh
            for (key, value) in fresh where old[key] != value { emit(.item(source: source, key: key, value: value)) }
            for key in old.keys where fresh[key] == nil {
                emit(.item(source: source, key: key, value: nil))
                if source == .router, key.hasPrefix("agent.") { await agentRemoved(String(key.dropFirst(6))) }
            }
            emit(.resynced(source))
        case .event(let envelope):
            guard let data = try? envelope.data() else { return }
            if let key = data["key"]?.stringValue {
                // `null` is a removal (JSON's nil literal is `.null`, so spell the optional out).
                var value: JSON? = data["item"]
                if value?.isNull == true { value = nil }
                let existed = items[source]?[key] != nil
                items[source, default: [:]][key] = value
                emit(.item(source: source, key: key, value: value))
                if source == .router, value == nil, existed, key.hasPrefix("agent.") {
                    await agentRemoved(String(key.dropFirst(6)))
                }
            }
            if source == .router, envelope.type == "conversation.message" {
                do {
                    let event = try ConversationEvent(type: envelope.type, data: data)
                    emit(.message(conversationId: event.conversationId.rawValue, message: data))
                } catch {
                    refused.record(MalformedInput(code: "conversation.message", message: error.description))
                }
            }
        case .status(let status):
            switch status {
            case .live: sourceState[source] = "live"
            case .resyncing, .gap: sourceState[source] = "resyncing"
            case .silent, .failed: sourceState[source] = "down"
            }
            updateOverall()
        }
    }

    /// Ends every subscription (the gateway is stopping: every socket closes, and its page
    /// reconnects to whichever gateway answers).
    public func finishAll() {
        for subscriber in subscribers.values { subscriber.finish() }
        subscribers = [:]
    }

    /// Tells every subscriber of something that happened in this gateway (typing, a customer leaving).
    public func publishLocal(_ change: BusChange) {
        emit(change)
    }

    private func updateOverall() {
        let down = BusSource.allCases.filter { sourceState[$0] == "down" }
        let waiting = BusSource.allCases.filter { sourceState[$0] != "live" && sourceState[$0] != "down" }
        let next: (bus: String, detail: String)
        if sourceState[.router] == "down" {
            next = ("down", "the router does not answer; conversations cannot move until it is back")
        } else if !down.isEmpty {
            next = (
                "down", "no word from the \(down.map(\.rawValue).joined(separator: ", ")); what they show may be old"
            )
        } else if !waiting.isEmpty {
            next = ("resyncing", "catching up with the \(waiting.map(\.rawValue).joined(separator: ", "))")
        } else {
            next = ("live", "")
        }
        guard next != overall else { return }
        overall = next
        emit(.status(bus: next.bus, detail: next.detail))
    }

    private func emit(_ change: BusChange) {
        for (id, subscriber) in subscribers {
            if case .dropped = subscriber.yield(change) {
                subscriber.finish()
                subscribers[id] = nil
            }
        }
    }
}
