public import SwitchboardBus
public import SwitchboardRouting
import SwitchboardWire

/// The router's items (`agent.<id>`, `sticky.<customer>`, `queue.<id>`…) as typed values, which effects carry,
/// and its snapshot, which holds the same items as JSON.
extension RouterState {
    /// `agent.<id>`: the load the engine reported, with the name, role and away reason it has now.
    func agentItem(_ load: AgentLoad) -> AgentItem {
        let record = engine.agent(load.agent)
        return load.item(
            name: record?.profile.name ?? load.agent.rawValue, role: record?.profile.role ?? RoleID("agent"),
            awayReason: record?.awayReason)
    }

    /// `sticky.<customer>`, nil while the customer has no owner.
    func stickyItem(_ customer: CustomerID) -> StickyItem? {
        guard let owner = engine.stickyOwner(of: customer) else { return nil }
        return StickyItem(
            customerId: customer, agentId: owner.agent, lastHandledAt: owner.lastHandledAt,
            openConversations: owner.openConversations, topic: owner.topic)
    }

    /// `queue.<id>`: the engine's figures and the router's counters; nil for a queue not configured.
    func queueItem(_ queue: QueueID) -> QueueItem? {
        guard let statistics = engine.statistics(of: queue),
            let configuration = settings.routing.queues.first(where: { $0.id == queue })
        else { return nil }
        let counters = queueCounters[queue] ?? QueueCounters()
        return QueueItem(
            queue: queue, name: configuration.name, channel: configuration.channel, waiting: statistics.waiting,
            held: statistics.held, oldestWaitingSince: statistics.oldestWaitingSince, assigned: counters.assigned,
            assignedWithinServiceLevel: counters.assignedWithinServiceLevel, abandoned: counters.abandoned,
            serviceLevel: QueueItem.ServiceLevel(
                percent: configuration.serviceLevel.percent, withinSeconds: configuration.serviceLevel.withinSeconds))
    }

    /// Every configured queue's item.
    func queueItems() -> [QueueItem] {
        settings.routing.queues.compactMap { queueItem($0.id) }
    }

    /// Whether a snapshot under `prefix` holds the family's items.
    static func snapshotWants(_ family: String, prefix: String?) -> Bool {
        guard let prefix, !prefix.isEmpty else { return true }
        return prefix.hasPrefix(family + ".") || prefix == family || family.hasPrefix(prefix)
    }

    /// Which rows of the settled conversations a snapshot under `prefix` reads from the store:
    /// their items (`conv.`) and their transcripts (`transcript.`, only when asked for by name).
    public static func snapshotReadsSettled(prefix: String?) -> (items: Bool, transcripts: Bool) {
        (snapshotWants("conv", prefix: prefix), prefix?.hasPrefix("transcript") ?? false)
    }

    /// Every item of the router's state under `prefix`, for the state endpoint. The settled
    /// conversations' items and transcripts come from their rows (`settledItems`, `settledTranscripts`,
    /// read by the caller for the ids in `settled`); each conversation is given once.
    public func snapshotItems(
        prefix: String?, settledItems: [(id: ConversationID, value: [UInt8])] = [],
        settledTranscripts: [(id: ConversationID, value: [UInt8])] = []
    ) -> [SnapshotItem] {
        func wanted(_ family: String) -> Bool { Self.snapshotWants(family, prefix: prefix) }
        var items: [SnapshotItem] = []
        if wanted("conv") {
            items.reserveCapacity(views.count + settledItems.count)
            // The ids are sorted, not the views: moving 100,000 views about took a fifth of the snapshot.
            for id in views.keys.sorted() {
                guard let view = views[id] else { continue }
                items.append(SnapshotItem(key: "conv.\(id)", value: view.json))
            }
            for (id, value) in settledItems where views[id] == nil {
                items.append(SnapshotItem(key: "conv.\(id)", valueBytes: value))
            }
        }
        // Transcripts only when asked for by name: no event carries a `transcript.` key (a
        // transcript grows by `conversation.message` events, which carry `conv.<id>`), so a
        // snapshot of everything holds exactly the items that events keep up to date.
        if let prefix, prefix.hasPrefix("transcript") {
            for (id, messages) in transcripts.sorted(by: { $0.key < $1.key }) {
                items.append(
                    SnapshotItem(
                        key: "transcript.\(id)",
                        value: ["conversationId": .string(id.rawValue), "messages": .array(messages.map(\.json))]))
            }
            for (id, value) in settledTranscripts where transcripts[id] == nil && views[id] == nil {
                items.append(SnapshotItem(key: "transcript.\(id)", valueBytes: value))
            }
        }
        if wanted("agent") {
            for id in agents.keys.sorted() {
                guard let load = engine.agentLoad(id) else { continue }
                items.append(SnapshotItem(key: "agent.\(id)", value: agentItem(load).json))
            }
        }
        if wanted("sticky") {
            for customer in stickyCustomers.sorted() {
                if let item = stickyItem(customer) {
                    items.append(SnapshotItem(key: "sticky.\(customer)", value: item.json))
                }
            }
        }
        if wanted("queue") {
            for queue in settings.routing.queues.map(\.id).sorted() {
                if let item = queueItem(queue) { items.append(SnapshotItem(key: "queue.\(queue)", value: item.json)) }
            }
        }
        if wanted("alert") {
            for alert in engine.alerts {
                items.append(
                    SnapshotItem(
                        key: "alert.\(RouterEventEncoder.alertKey(alert.key))",
                        value: RouterEventEncoder.alertItem(alert).json))
            }
        }
        return items
    }
}
