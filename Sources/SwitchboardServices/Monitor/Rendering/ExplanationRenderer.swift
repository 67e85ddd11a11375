public import Foundation
public import SwitchboardBus

/// `switchboard explain CONVERSATION` as text: the conversation in one line, then every
/// decision and change about it with its time, the agent, the rule and the reason, from the
/// router's `conversation.explain` answer (`{conversation, history}`).
public struct ExplanationRenderer: Sendable {
    public var timeZone = TimeZone.current

    public init() {}

    public func render(_ explanation: JSON) -> String {
        let conversation = explanation["conversation"] ?? .null
        let id = conversation["conversationId"]?.stringValue ?? "?"
        var head = "Conversation \(id)"
        if let channel = conversation["channel"]?.stringValue { head += " · \(channel)" }
        if let queue = conversation["queue"]?.stringValue { head += " · queue \(queue)" }
        if let customer = conversation["customerId"]?.stringValue { head += " · customer \(customer)" }
        let state = conversation["state"]?.stringValue ?? "?"
        if let agent = conversation["agentId"]?.stringValue {
            head += " · \(state) (\(agent))"
        } else {
            head += " · \(state)"
        }
        var lines = [head]
        if let intent = conversation["intent"], !intent.isNull, let name = intent["intent"]?.stringValue {
            let confidence = intent["confidence"]?.doubleValue.map { " \(Int(($0 * 100).rounded()))%" } ?? ""
            lines.append("  intent \(name)\(confidence)" + (intent["skill"]?.stringValue.map { ", skill \($0)" } ?? ""))
        }
        let required = (conversation["requiredSkills"]?.arrayValue ?? []).compactMap { requirement -> String? in
            guard let skill = requirement["skill"]?.stringValue else { return nil }
            return "\(skill) \(requirement["minimumLevel"]?.intValue ?? 1)"
        }
        if !required.isEmpty { lines.append("  requires \(required.joined(separator: ", "))") }
        if let transfers = conversation["transfers"]?.intValue, transfers > 0 {
            lines.append("  transferred \(transfers) time\(transfers == 1 ? "" : "s")")
        }
        let history = explanation["history"]?.arrayValue ?? []
        if history.isEmpty { lines.append("  no decision recorded yet") }
        for entry in history {
            var line = "  " + time(entry["at"]?.intValue ?? 0) + "  " + padded(entry["event"]?.stringValue ?? "?", 14)
            if let agent = entry["agentId"]?.stringValue { line += padded(agent, 18) } else { line += padded("", 18) }
            if let rule = entry["rule"]?.stringValue { line += "[\(rule)] " }
            line += entry["sentence"]?.stringValue ?? ""
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// "14:02:31.123" in the renderer's time zone.
    func time(_ millis: Int64) -> String {
        var renderer = MonitorRenderer()
        renderer.timeZone = timeZone
        let remainder = Int(((millis % 1_000) + 1_000) % 1_000)
        let fraction = remainder < 10 ? "00\(remainder)" : remainder < 100 ? "0\(remainder)" : "\(remainder)"
        return renderer.clock(millis) + "." + fraction
    }
}
