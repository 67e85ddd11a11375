public import SwitchboardBus
import SwitchboardWire

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
    public static func items(of view: MonitorView, monitorAlerts: [AlertLine]) -> [String: JSON] {
        var items: [String: JSON] = [:]
        items[MonitorSourcesItem.key] =
            MonitorSourcesItem(centre: view.centreName, sources: view.sources.map(\.wire)).json
        for queue in view.queues { items["monitor.queue.\(queue.queue)"] = queue.json }
        for agent in view.agents { items["monitor.agent.\(agent.agent)"] = agent.json }
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
    public static func assemble(items: [String: JSON], atMillis: Int64) -> JSON {
        func values(_ prefix: String) -> [JSON] {
            items.filter { $0.key.hasPrefix(prefix) && !$0.value.isNull }.sorted { $0.key < $1.key }.map(\.value)
        }
        let channelOrder = ["voice", "chat", "messaging", "email", "case"]
        let queues = values("monitor.queue.").sorted { lhs, rhs in
            let left = channelOrder.firstIndex(of: lhs["channel"]?.stringValue ?? "") ?? channelOrder.count
            let right = channelOrder.firstIndex(of: rhs["channel"]?.stringValue ?? "") ?? channelOrder.count
            return (left, lhs["queue"]?.stringValue ?? "") < (right, rhs["queue"]?.stringValue ?? "")
        }
        func urgency(_ line: JSON) -> Int {
            switch line["escalation"]?["level"]?.stringValue {
            case "intervene": 2
            case "watch": 1
            default: 0
            }
        }
        let conversations = values("monitor.conversation.").sorted { lhs, rhs in
            let left = (urgency(lhs), lhs["flags"]?.arrayValue?.count ?? 0)
            let right = (urgency(rhs), rhs["flags"]?.arrayValue?.count ?? 0)
            if left != right { return left > right }
            return (lhs["conversationId"]?.stringValue ?? "") < (rhs["conversationId"]?.stringValue ?? "")
        }
        let alerts = values("monitor.alert.").sorted { lhs, rhs in
            let left = (lhs["source"]?.stringValue ?? "") == "router" ? 0 : 1
            let right = (rhs["source"]?.stringValue ?? "") == "router" ? 0 : 1
            return (left, lhs["id"]?.stringValue ?? "") < (right, rhs["id"]?.stringValue ?? "")
        }
        let sources = items["monitor.sources"]
        return [
            "at": .int(atMillis), "centre": sources?["centre"] ?? .null, "sources": sources?["sources"] ?? .array([]),
            "queues": .array(queues), "agents": .array(values("monitor.agent.")),
            "rates": items["monitor.rates"] ?? .null, "conversations": .array(conversations), "alerts": .array(alerts),
            "interventions": .array(values("monitor.intervention.")),
        ]
    }
}
