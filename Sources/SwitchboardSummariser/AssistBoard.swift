public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire
import Synchronization

/// Where the summariser's events go: the PUB socket in the process, a recorder in tests.
public protocol AssistEventSink: Sendable {
    var epoch: UInt64 { get }
    /// Publishes one event; its seq is the next of the topic's family.
    func send(topic: String, type: String, data: [UInt8])
    /// The last seq of every family published.
    func sequences() -> [String: UInt64]
}

/// The publisher as a sink.
public struct PublisherSink: AssistEventSink {
    public let publisher: EventPublisher

    public init(publisher: EventPublisher) {
        self.publisher = publisher
    }

    public var epoch: UInt64 { publisher.epoch }

    public func send(topic: String, type: String, data: [UInt8]) {
        publisher.publish(topic: topic, type: type, encodedData: data)
    }

    public func sequences() -> [String: UInt64] { publisher.sequences() }
}

/// The summariser's published state: every conversation's current ``AssistItem``, changed only
/// together with the events that announce the change.
///
/// Conversation actors compute independently, but they all publish through ``commit(_:facets:)``,
/// which updates the table and sends the events (taking their seqs) under one lock; a snapshot
/// takes the items and the seqs under the same lock. So a snapshot at seq N holds exactly the
/// effect of the events up to N, whichever actors published them (docs/PROTOCOL.md §3).
public final class AssistBoard: SnapshotSource {
    private struct Entry: Sendable {
        var item: AssistItem
        var encoded: [UInt8]
    }

    private let sink: any AssistEventSink
    private let entries = Mutex<[String: Entry]>([:])

    public init(sink: any AssistEventSink) {
        self.sink = sink
    }

    /// Publishes `item` with one event per facet in `facets` (each carrying the whole item).
    /// An item whose facets are all unchanged publishes nothing and is not stored.
    public func commit(_ item: AssistItem, facets: [AssistFacet]) {
        guard !facets.isEmpty else { return }
        // Encoding happens outside the lock; only the table update and the sends are inside it.
        let itemJSON = item.json
        let encoded = itemJSON.bytes
        let events = facets.map { facet in
            (
                topic: "assist.\(item.conversationId).\(facet.rawValue)", type: facet.eventType,
                data: item.eventData(for: facet, itemJSON: itemJSON).bytes
            )
        }
        entries.withLock { entries in
            entries[item.conversationId.rawValue] = Entry(item: item, encoded: encoded)
            for event in events { sink.send(topic: event.topic, type: event.type, data: event.data) }
        }
    }

    /// Removes a conversation's item and publishes `assist.<id>.forgotten` (`item: null`), if it had one.
    public func forget(_ conversationId: String) {
        let data: JSON = [
            "conversationId": .string(conversationId), "key": .string(AssistItem.key(of: conversationId)),
            "item": .null,
        ]
        let bytes = data.bytes
        entries.withLock { entries in
            guard entries.removeValue(forKey: conversationId) != nil else { return }
            sink.send(topic: "assist.\(conversationId).forgotten", type: "assist.forgotten", data: bytes)
        }
    }

    /// The item of a conversation as last published.
    public func item(_ conversationId: String) -> AssistItem? {
        entries.withLock { $0[conversationId]?.item }
    }

    /// How many conversations have an item.
    public var count: Int { entries.withLock { $0.count } }

    public func snapshot(prefix: String?) async -> Snapshot {
        // The table and the seqs are read in one step; sorting and filtering need no lock.
        let (taken, sequences) = entries.withLock { ($0, sink.sequences()) }
        var items: [SnapshotItem] = []
        items.reserveCapacity(taken.count)
        for (id, entry) in taken.sorted(by: { $0.key < $1.key }) {
            let item = SnapshotItem(key: AssistItem.key(of: id), valueBytes: entry.encoded)
            if item.matches(prefix: prefix) { items.append(item) }
        }
        return Snapshot(items: items, epoch: sink.epoch, sequences: sequences)
    }
}
