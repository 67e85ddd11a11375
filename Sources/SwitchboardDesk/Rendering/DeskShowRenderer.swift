public import Foundation
import SwitchboardRouting
public import SwitchboardWire
import SwitchboardWorkspace

/// `switchboard desk show AGENT` as text: who the agent is and how the router sees them,
/// the offers waiting for an answer, the workspace (sessions, tabs, pane, drafts,
/// preferences, by `WorkspaceRenderer`), and the end of the conversation on screen. Pure.
public struct DeskShowRenderer: Sendable {
    public var width: Int

    public init(width: Int = 100) {
        self.width = max(width, 40)
    }

    /// - Parameters:
    ///   - agentFacts: the agent as the router last described them, if known.
    ///   - transcript: the end of the transcript of the session on screen.
    public func render(
        _ record: DeskRecord, agentFacts: RouterMirror.AgentFacts?, transcript: [TranscriptMessage], now: Date
    ) -> String {
        var lines: [String] = []
        var first = agentFacts.map { "\($0.name) (\(record.agent))" } ?? record.agent.rawValue
        if record.signedIn {
            let since = record.signedInAt.map { " \(duration(now.timeIntervalSince($0))) ago" } ?? ""
            first += " - signed in\(since)"
        } else {
            first += " - signed out (the workspace is kept as it was)"
        }
        lines.append(first)
        if let facts = agentFacts {
            let load = Channel.allCases.filter { (facts.capacity[$0] ?? 0) > 0 || (facts.load[$0] ?? 0) > 0 }
                .map { "\($0.rawValue) \(facts.load[$0] ?? 0)/\(facts.capacity[$0] ?? 0)" }
            lines.append("Router: \(facts.presence); load \(load.isEmpty ? "none" : load.joined(separator: ", "))")
        }
        if !record.offers.isEmpty {
            lines.append("")
            lines.append("OFFERS (accept or decline)")
            for offer in record.offers {
                var line =
                    "  \(pad(offer.item.channel.rawValue, 9)) \(pad(offer.conversation.rawValue, 12)) "
                    + "\(pad(offer.item.customer.rawValue, 10)) \(offer.item.queue)"
                if let expires = offer.expiresAt {
                    let left = expires.timeIntervalSince(now)
                    line += left > 0 ? ", expires in \(duration(left))" : ", expiring"
                }
                lines.append(line)
                if let reason = offer.reason { lines.append("    \(reason)") }
            }
        }
        lines.append("")
        var workspace = WorkspaceRenderer(width: width).render(record.workspace, now: now)
        if let viewed = record.workspace.viewedSessionID, !transcript.isEmpty {
            var tail = ["CONVERSATION \(viewed) (latest \(transcript.count) messages)"]
            for message in transcript {
                let whisper = message.audience == .agent ? " [to agent only]" : ""
                let clock = duration(now.timeIntervalSince(message.at.date))
                tail.append(
                    "  #\(pad(String(message.number), 3)) \(pad(message.role.rawValue, 10)) \(pad(clock + " ago", 9)) "
                        + message.text + whisper)
            }
            // Below the session on screen, before the drafts and preferences that close the page.
            let section = tail.map(fit).joined(separator: "\n") + "\n\n"
            if let anchor = workspace.range(of: "\nDRAFTS\n") ?? workspace.range(of: "\nPREFERENCES") {
                workspace.insert(contentsOf: section, at: workspace.index(after: anchor.lowerBound))
            } else {
                workspace += "\n" + section
            }
        }
        return lines.map(fit).joined(separator: "\n") + "\n" + workspace
    }

    private func pad(_ text: String, _ columns: Int) -> String {
        text.count >= columns ? text : text + String(repeating: " ", count: columns - text.count)
    }

    private func duration(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds))
        if whole < 60 { return "\(whole)s" }
        if whole < 3_600 { return "\(whole / 60)m\(whole % 60 < 10 ? "0" : "")\(whole % 60)s" }
        return "\(whole / 3_600)h\(whole % 3_600 / 60 < 10 ? "0" : "")\(whole % 3_600 / 60)m"
    }

    /// One line per item, cut to the width (as `WorkspaceRenderer` does).
    private func fit(_ line: String) -> String {
        var cleaned = String(line.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        while cleaned.last == " " { cleaned.removeLast() }
        guard cleaned.count > width else { return cleaned }
        return String(cleaned.prefix(width - 3)) + "..."
    }
}

extension RoutingInstant {
    /// The instant as a Foundation date.
    var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1_000) }
}
