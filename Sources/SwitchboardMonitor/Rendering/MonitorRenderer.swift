public import Foundation
public import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire

/// The supervisor's view as text for a terminal (`switchboard monitor --once` and `--watch`),
/// from the document `monitor.view` answers (or one assembled from the monitor's items).
public struct MonitorRenderer: Sendable {
    /// Colours and bold (ANSI) for a terminal.
    public var ansi = false
    /// Lines are cut to this many columns (nil: as long as they are).
    public var width: Int?
    /// Agent lines at most (signed-in agents first); nil: every signed-in agent.
    public var agentLinesMax: Int?
    /// Conversation lines at most.
    public var conversationLinesMax = 40
    public var timeZone = TimeZone.current

    public init() {}

    public func render(_ document: JSON) -> String {
        var lines: [String] = []
        let at = document["at"]?.intValue ?? 0
        // The document's parts are the monitor's items (docs/PROTOCOL.md §6.5), read by the wire
        // types; a part that cannot be read is left out of its section.
        func items<Item>(_ name: String, _ read: (JSON) throws(WireError) -> Item) -> [Item] {
            (document[name]?.arrayValue ?? []).compactMap { try? read($0) }
        }
        let sources = (try? MonitorSourcesItem(json: document))
        lines.append(bold("\(sources?.centre ?? "Switchboard") · supervisor's view at \(clock(at))"))
        lines.append("Services: " + self.sources(sources?.sources ?? []))
        lines.append("")
        lines += queues(items("queues", MonitorQueueItem.init(json:)))
        lines.append("")
        lines += agents(items("agents", MonitorAgentItem.init(json:)))
        lines.append("")
        lines += rates(document["rates"].flatMap { try? MonitorRatesItem(json: $0) })
        lines.append("")
        lines += alerts(items("alerts", MonitorAlertItem.init(json:)))
        lines.append("")
        lines += conversations(items("conversations", MonitorConversationItem.init(json:)))
        lines.append("")
        lines += interventions(items("interventions", MonitorInterventionItem.init(json:)))
        return lines.map(cut).joined(separator: "\n")
    }

    // MARK: Sections

    private func sources(_ sources: [MonitorSourcesItem.Source]) -> String {
        guard !sources.isEmpty else { return "none followed" }
        return sources.map { source in
            let status = source.status.rawValue
            if source.down { return red("\(source.service) \(status.uppercased())") }
            if let epoch = source.epoch, source.status == .live { return "\(source.service) live (epoch \(epoch))" }
            return "\(source.service) \(status)"
        }.joined(separator: " · ")
    }

    private func queues(_ queues: [MonitorQueueItem]) -> [String] {
        var lines = [
            bold(
                padded("QUEUES", 20) + rightAligned("waiting", 8) + rightAligned("held", 5) + rightAligned("offered", 8)
                    + rightAligned("oldest", 8)
                    + rightAligned("est. wait", 10) + "  " + padded("service level now / target", 30)
                    + rightAligned("abandoned", 10)
                    + rightAligned("ready", 6))
        ]
        for queue in queues {
            let estimateText: String
            switch queue.estimatedWait.method {
            case .agentReady: estimateText = "0s"
            case .recentRate: estimateText = "~" + durationText(queue.estimatedWait.seconds ?? 0)
            case .unknown: estimateText = "?"
            }
            let level = queue.serviceLevel
            let achieved = level.achievedPercent.map { "\(Int($0.rounded()))%" } ?? "-"
            let target = level.targetPercent.map { "\(Int($0.rounded()))%" } ?? "-"
            let within = level.withinSeconds.map { " in \(durationText(Int($0)))" } ?? ""
            var levelText = "\(achieved) / \(target)\(within)"
            switch level.met {
            case true?: levelText += " ok"
            case false?: levelText += " BELOW"
            case nil: break
            }
            let oldest = queue.oldestWaitSeconds.map(durationText) ?? "-"
            var line =
                padded(queue.queue.rawValue, 20) + rightAligned("\(queue.waiting)", 8)
                + rightAligned("\(queue.held)", 5) + rightAligned("\(queue.offered)", 8)
                + rightAligned(oldest, 8) + rightAligned(estimateText, 10) + "  "
            line += level.met == false ? red(padded(levelText, 30)) : padded(levelText, 30)
            line += rightAligned("\(queue.abandoned)", 10) + rightAligned("\(queue.readyAgents)", 6)
            if queue.waitingOverTarget > 0 { line += red("  \(queue.waitingOverTarget) over target") }
            if let hours = queue.hours, !hours.open {
                line += dim("  closed" + (hours.opensAt.map { ", opens \($0) (\(hours.timeZone))" } ?? ""))
            }
            lines.append(line)
        }
        lines.append(
            dim(
                "est. wait: (waiting + 1) ÷ the queue's assignment rate over the last 10 min; 0 when no one waits "
                    + "and an agent is ready; ? when nothing was assigned lately."))
        lines.append(
            dim(
                "service level: answered within the target time ÷ (answered + abandoned), since the router's counters "
                    + "began; ready: Available agents with the queue's full skills and room on its channel."))
        return lines
    }

    private func agents(_ agents: [MonitorAgentItem]) -> [String] {
        let signedIn = agents.filter { $0.presence != "offline" }
        let stale = agents.contains { $0.presenceStale }
        var lines = [
            bold("AGENTS") + "  \(signedIn.count) signed in of \(agents.count)"
                + (agents.count > signedIn.count ? " (\(agents.count - signedIn.count) offline not listed)" : "")
                + (stale ? red("  presence may be out of date") : "")
        ]
        let shown = agentLinesMax.map { Array(signedIn.prefix($0)) } ?? signedIn
        for agent in shown {
            let status = agent.routing == "busy" ? "\(agent.presence), busy" : agent.presence
            let channels = agent.channels.map { "\($0.channel.rawValue) \($0.load)/\($0.capacity)" }
                .joined(separator: "  ")
            var line =
                padded(agent.agentId.rawValue, 18) + padded(agent.name, 20) + padded(status, 18) + padded(channels, 44)
            if let sessions = agent.sessions {
                var text = "\(sessions.count) session\(sessions.count == 1 ? "" : "s")"
                if let active = sessions.active { text += " (active \(active))" }
                if sessions.unread > 0 { text += ", \(sessions.unread) unread" }
                line += text
            }
            if let reason = agent.awayReason { line += red("  away: \(reason)") }
            lines.append(line)
        }
        if shown.count < signedIn.count { lines.append(dim("… \(signedIn.count - shown.count) more signed in")) }
        return lines
    }

    private func rates(_ rates: MonitorRatesItem?) -> [String] {
        let assignments = rates?.assignments ?? 0
        var lines = [bold("ROUTING") + "  \(assignments) assignments among the conversations the router holds"]
        let stickyPercent = rates?.stickyPercent.map { " (\(Int($0.rounded()))%)" } ?? ""
        lines.append(
            "  returning customers \(rates?.returningCustomers ?? 0): \(rates?.stickyAssignments ?? 0) to their "
                + "sticky owner\(stickyPercent), \(rates?.sameAgentAsBefore ?? 0) with the same agent as before")
        let rules = (rates?.byRule ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let matchText =
            rates?.skillMatchPercent.map {
                "skill match \(Int($0.rounded()))% (\(rates?.fullSkills ?? 0) on full skills, "
                    + "\(rates?.fallback ?? 0) on a fallback step)"
            } ?? "skill match: no decision by skills yet"
        lines.append("  rules: " + (rules.isEmpty ? "none yet" : rules.joined(separator: " · ")) + "; " + matchText)
        return lines
    }

    private func alerts(_ alerts: [MonitorAlertItem]) -> [String] {
        var lines = [bold("ALERTS") + "  \(alerts.count)"]
        for alert in alerts {
            let level = alert.level?.uppercased() ?? alert.kind
            let text = padded(alert.source, 9) + padded(level, 18) + alert.sentence
            lines.append(alert.level == "watch" ? yellow(text) : red(text))
        }
        return lines
    }

    private func conversations(_ conversations: [MonitorConversationItem]) -> [String] {
        var lines = [bold("CONVERSATION HEALTH") + "  \(conversations.count) flagged"]
        for conversation in conversations.prefix(conversationLinesMax) {
            let level = conversation.escalation?.level.rawValue ?? "flag"
            let flags = conversation.flags.map(\.phrase)
            let text =
                padded(level.uppercased(), 10) + padded(conversation.conversationId.rawValue, 14)
                + padded(conversation.queue.rawValue, 18) + padded(conversation.state.rawValue, 10)
                + padded(conversation.agentId?.rawValue ?? "-", 18) + flags.joined(separator: "; ")
            lines.append(level == "intervene" ? red(text) : yellow(text))
            if let summary = conversation.summary { lines.append(dim("          \(summary)")) }
        }
        if conversations.count > conversationLinesMax {
            lines.append(dim("… \(conversations.count - conversationLinesMax) more flagged"))
        }
        return lines
    }

    private func interventions(_ interventions: [MonitorInterventionItem]) -> [String] {
        var lines = [bold("INTERVENTIONS") + "  \(interventions.count) in progress"]
        for intervention in interventions {
            let sent = intervention.messagesSent
            lines.append(
                padded(intervention.supervisorId.rawValue, 18) + padded(intervention.kind.rawValue, 9)
                    + padded("\(intervention.conversationId) (\(intervention.channel.rawValue))", 24)
                    + "since \(clock(intervention.startedAt.millisecondsSinceEpoch)), "
                    + "\(sent) message\(sent == 1 ? "" : "s")")
        }
        return lines
    }

    // MARK: Text

    /// "14:02:31" in the renderer's time zone.
    func clock(_ millis: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(
            [.hour, .minute, .second], from: Date(timeIntervalSince1970: Double(millis) / 1_000))
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    private func bold(_ text: String) -> String { ansi ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func red(_ text: String) -> String { ansi ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    private func yellow(_ text: String) -> String { ansi ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    private func dim(_ text: String) -> String { ansi ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// Cuts a line to the width, counting only visible characters (escape sequences are kept).
    private func cut(_ line: String) -> String {
        guard let width else { return line }
        var visible = 0
        var result = ""
        var inEscape = false
        for character in line {
            if character == "\u{1B}" { inEscape = true }
            if inEscape {
                result.append(character)
                if character == "m" { inEscape = false }
                continue
            }
            guard visible < width else { continue }
            result.append(character)
            visible += 1
        }
        return ansi && result.contains("\u{1B}") ? result + "\u{1B}[0m" : result
    }
}

/// Pads on the right to `width` characters (at least one space after).
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

/// Right-aligns in `width` characters.
func rightAligned(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}

/// "45s", "4m10s", "2h05m".
func durationText(_ seconds: Int) -> String {
    let seconds = max(seconds, 0)
    if seconds < 60 { return "\(seconds)s" }
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    if seconds < 3_600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(two(seconds % 60))s" }
    return "\(seconds / 3_600)h\(two((seconds % 3_600) / 60))m"
}
