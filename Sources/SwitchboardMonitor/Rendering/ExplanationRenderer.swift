public import Foundation
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// `switchboard explain CONVERSATION` as text: the conversation in one line, then every
/// decision and change about it with its time, the agent, the rule and the reason, from the
/// router's `conversation.explain` answer (`{conversation, history}`).
public struct ExplanationRenderer: Sendable {
    public var timeZone = TimeZone.current

    public init() {}

    public func render(_ explanation: JSON) -> String {
        let conversation: ConversationItem
        let history: [HistoryStep]
        do throws(WireError) {
            conversation = try ConversationItem(json: explanation["conversation"] ?? .null)
            history = try HistoryStep.history(ofExplainResult: explanation)
        } catch {
            return "The router's explanation could not be read: \(error)"
        }
        var head = "Conversation \(conversation.conversationId) · \(conversation.channel.rawValue)"
        head += " · queue \(conversation.queue) · customer \(conversation.customerId)"
        if let agent = conversation.agentId {
            head += " · \(conversation.state.rawValue) (\(agent))"
        } else {
            head += " · \(conversation.state.rawValue)"
        }
        var lines = [head]
        if let intent = conversation.intent {
            let confidence = " \(Int((intent.confidence * 100).rounded()))%"
            lines.append("  intent \(intent.intent)\(confidence)" + (intent.skill.map { ", skill \($0)" } ?? ""))
        }
        let required = conversation.requiredSkills.map { "\($0.skill) \($0.minimumLevel)" }
        if !required.isEmpty { lines.append("  requires \(required.joined(separator: ", "))") }
        if conversation.transfers > 0 {
            lines.append("  transferred \(conversation.transfers) time\(conversation.transfers == 1 ? "" : "s")")
        }
        if history.isEmpty { lines.append("  no decision recorded yet") }
        for entry in history {
            var line = "  " + time(entry.at.millisecondsSinceEpoch) + "  " + padded(entry.event, 14)
            line += padded(entry.agentId?.rawValue ?? "", 18)
            if let rule = entry.rule { line += "[\(rule)] " }
            line += entry.sentence
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
