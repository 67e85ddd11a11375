public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire

/// The monitor's published state as keyed items (its snapshot, and the `key`/`item` of its
/// events), and the whole view as one JSON document (`monitor.view`), assembled from those
/// same items so that a consumer following the stream sees what `monitor.view` answers.
///
/// Items: `monitor.sources`, `monitor.queue.<id>`, `monitor.agent.<id>`, `monitor.rates`,
/// `monitor.conversation.<id>` (conversations with health flags), `monitor.alert.<source>:<id>`
/// (every alert on the view), `monitor.intervention.<conversationId>:<supervisorId>`, and
/// `alert.<id>` for the alerts the monitor raises itself.
public enum MonitorDocument {
    /// The items of `view`; `monitorAlerts` are the monitor's own alerts as raised (with the
    /// sentence and time of raising, which the alert book keeps steady).
    public static func items(of view: MonitorView, monitorAlerts: [MonitorAlertItem]) -> [String: JSON] {
        var items: [String: JSON] = [:]
        items[MonitorSourcesItem.key] =
            MonitorSourcesItem(centre: view.centreName, sources: view.sources.map(\.wire)).json
        for queue in view.queues { items["monitor.queue.\(queue.queue)"] = queue.json }
        for agent in view.agents { items[agent.key] = agent.json }
        items["monitor.rates"] = view.rates.json
        for line in view.conversations { items["monitor.conversation.\(line.conversation)"] = line.json }
        for alert in view.routerAlerts + monitorAlerts {
            items["monitor.alert.\(alert.source):\(alert.id)"] = alert.json
        }
        for alert in monitorAlerts { items["alert.\(alert.id)"] = alert.json }
        for intervention in view.interventions { items[intervention.itemKey] = intervention.json }
        return items
    }

    /// The whole view: `{at, centre, sources, queues, agents, rates, conversations, alerts,
    /// interventions}`, each list in reading order.
    public static func assemble(items: [String: JSON], atMilliseconds: Int64) -> JSON {
        func values(_ prefix: String) -> [JSON] {
            items.filter { $0.key.hasPrefix(prefix) && !$0.value.isNull }.sorted { $0.key < $1.key }.map(\.value)
        }
        // Sorted by their fields as the wire types read them; the items are the monitor's own.
        func channelRank(_ queue: MonitorQueueItem?) -> Int {
            queue?.channel.flatMap { Channel.allCases.firstIndex(of: $0) } ?? Channel.allCases.count
        }
        let queues = values("monitor.queue.").map { ($0, try? MonitorQueueItem(json: $0)) }.sorted { lhs, rhs in
            (channelRank(lhs.1), lhs.1?.queue.rawValue ?? "") < (channelRank(rhs.1), rhs.1?.queue.rawValue ?? "")
        }.map(\.0)
        func urgency(_ line: MonitorConversationItem?) -> Int {
            switch line?.escalation?.level {
            case .intervene?: 2
            case .watch?: 1
            case nil: 0
            }
        }
        let conversations = values("monitor.conversation.").map { ($0, try? MonitorConversationItem(json: $0)) }
            .sorted { lhs, rhs in
                let left = (urgency(lhs.1), lhs.1?.flags.count ?? 0)
                let right = (urgency(rhs.1), rhs.1?.flags.count ?? 0)
                if left != right { return left > right }
                return (lhs.1?.conversationId.rawValue ?? "") < (rhs.1?.conversationId.rawValue ?? "")
            }.map(\.0)
        let alerts = values("monitor.alert.").map { ($0, try? MonitorAlertItem(json: $0)) }.sorted { lhs, rhs in
            let left = lhs.1?.source == "router" ? 0 : 1
            let right = rhs.1?.source == "router" ? 0 : 1
            return (left, lhs.1?.id ?? "") < (right, rhs.1?.id ?? "")
        }.map(\.0)
        let sources = items["monitor.sources"]
        return [
            "at": .int(atMilliseconds), "centre": sources?["centre"] ?? .null,
            "sources": sources?["sources"] ?? .array([]),
            "queues": .array(queues), "agents": .array(values("monitor.agent.")),
            "rates": items["monitor.rates"] ?? .null, "conversations": .array(conversations), "alerts": .array(alerts),
            "interventions": .array(values("monitor.intervention.")),
        ]
    }
}
