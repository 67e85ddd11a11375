import Foundation
import Glibc
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// The demo's live view until the monitor's terminal view takes over: one line per
/// assignment with its reason sentence, one per customer who gave up, and a status line
/// every few seconds.
///
///     12:01:03 c-17 → Priya Raman (sticky): Sticky: Priya handled this customer 3 min ago…
public struct LiveFeed: Sendable {
    /// Agent names by id (from the contact centre).
    public let agentNames: [String: String]

    public init(agentNames: [String: String]) {
        self.agentNames = agentNames
    }

    /// The line for a router event worth showing, or nil.
    public func line(for event: RecordedEvent, atMilliseconds milliseconds: Int64) -> String? {
        guard event.type == "conversation.assigned" || event.type == "conversation.abandoned",
            let read = try? ConversationEvent(type: event.type, data: event.data)
        else { return nil }
        let time = Self.clock(milliseconds)
        let conversation = Self.shortID(read.conversationId.rawValue)
        let queue = (try? read.fields.optionalString("queue")) ?? "?"
        switch event.type {
        case "conversation.assigned":
            let agent = (try? read.agentId)?.rawValue ?? "?"
            let name = agentNames[agent] ?? agent
            let rule = (try? read.rule) ?? "?"
            let reason = (try? read.reason) ?? ""
            return "\(time) \(conversation) → \(name) (\(rule), \(queue)): \(reason)"
        default:
            let waited = Int(((try? read.fields.optionalDouble("waitedSeconds")) ?? 0).rounded())
            return "\(time) \(conversation) ✗ the customer left after \(waited) s waiting in \(queue)"
        }
    }

    /// `c-<run>-17` → `c-17`: the run's tag only makes ids unique across runs.
    public static func shortID(_ id: String) -> String {
        let parts = id.split(separator: "-")
        guard parts.count == 3, parts[0] == "c" else { return id }
        return "c-\(parts[2])"
    }

    /// `HH:MM:SS` in local time.
    public static func clock(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
