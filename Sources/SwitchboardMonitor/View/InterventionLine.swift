import Foundation
public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWire
public import SwitchboardWorkspace

extension Intervention {
    /// The item `monitor.intervention.<conversationId>:<supervisorId>`.
    public var itemKey: String {
        Intervention.itemKey(conversation: conversation.rawValue, supervisor: supervisor.rawValue)
    }

    public static func itemKey(conversation: String, supervisor: String) -> String {
        "monitor.intervention.\(conversation):\(supervisor)"
    }

    /// The wire item `monitor.intervention.<conversationId>:<supervisorId>`.
    public var wire: MonitorInterventionItem {
        let kind: MonitorInterventionItem.Kind =
            switch self.kind {
            case .observe: .observe
            case .listen: .listen
            case .whisper: .whisper
            case .barge: .barge
            }
        return MonitorInterventionItem(
            conversationId: conversation, supervisorId: supervisor, channel: channel, kind: kind,
            startedAt: RoutingInstant(
                millisecondsSinceEpoch: Int64((startedAt.timeIntervalSince1970 * 1_000).rounded())),
            messagesSent: messagesSent)
    }

    public var json: JSON { wire.json }
}
