import Foundation
public import SwitchboardBus
import SwitchboardRouting
public import SwitchboardWorkspace

extension Intervention {
    /// The item `monitor.intervention.<conversationId>:<supervisorId>`.
    public var itemKey: String {
        Intervention.itemKey(conversation: conversation.rawValue, supervisor: supervisor.rawValue)
    }

    public static func itemKey(conversation: String, supervisor: String) -> String {
        "monitor.intervention.\(conversation):\(supervisor)"
    }

    public var json: JSON {
        [
            "conversationId": .string(conversation.rawValue), "supervisorId": .string(supervisor.rawValue),
            "channel": .string(channel.rawValue), "kind": .string(kind.rawValue),
            "startedAt": .int(Int64((startedAt.timeIntervalSince1970 * 1_000).rounded())),
            "messagesSent": .number(messagesSent),
        ]
    }
}
