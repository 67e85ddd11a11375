public import Foundation
public import SwitchboardBus

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
        let centre = document["centre"]?.stringValue ?? "Switchboard"
        lines.append(bold("\(centre) · supervisor's view at \(clock(at))"))
        lines.append("Services: " + sources(document["sources"]?.arrayValue ?? []))
        lines.append("")
        lines += queues(document["queues"]?.arrayValue ?? [])
        lines.append("")
        lines += agents(document["agents"]?.arrayValue ?? [])
        lines.append("")
        lines += rates(document["rates"] ?? .null)
        lines.append("")
        lines += alerts(document["alerts"]?.arrayValue ?? [])
        lines.append("")
        lines += conversations(document["conversations"]?.arrayValue ?? [])
        lines.append("")
        lines += interventions(document["interventions"]?.arrayValue ?? [])
        return lines.map(cut).joined(separator: "\n")
    }

    // MARK: Sections

    private func sources(_ sources: [JSON]) -> String {
        guard !sources.isEmpty else { return "none followed" }
        return sources.map { source in
            let name = source["service"]?.stringValue ?? "?"
            let status = source["status"]?.stringValue ?? "?"
            if source["down"]?.boolValue == true {
                return red("\(name) \(status.uppercased())")
            }
            if let epoch = source["epoch"]?.intValue, status == "live" { return "\(name) live (epoch \(epoch))" }
            return "\(name) \(status)"
        }.joined(separator: " · ")
    }

    private func queues(_ queues: [JSON]) -> [String] {
        var lines = [
            bold(
                padded("QUEUES", 20) + rightAligned("waiting", 8) + rightAligned("held", 5) + rightAligned("offered", 8)
                    + rightAligned("oldest", 8)
                    + rightAligned("est. wait", 10) + "  " + padded("service level now / target", 30)
                    + rightAligned("abandoned", 10)
                    + rightAligned("ready", 6))
        ]
        for queue in queues {
            let waiting = Int(queue["waiting"]?.intValue ?? 0)
            let estimate = queue["estimatedWait"]
            let estimateText: String
            switch estimate?["method"]?.stringValue {
            case "agent-ready": estimateText = "0s"
            case "recent-rate": estimateText = "~" + durationText(Int(estimate?["seconds"]?.intValue ?? 0))
            default: estimateText = "?"
            }
            let level = queue["serviceLevel"]
            let achieved = level?["achievedPercent"]?.doubleValue.map { "\(Int($0.rounded()))%" } ?? "-"
            let target = level?["targetPercent"]?.doubleValue.map { "\(Int($0.rounded()))%" } ?? "-"
            let within = level?["withinSeconds"]?.doubleValue.map { " in \(durationText(Int($0)))" } ?? ""
            var levelText = "\(achieved) / \(target)\(within)"
            switch level?["met"]?.boolValue {
            case true?: levelText += " ok"
            case false?: levelText += " BELOW"
            case nil: break
            }
            let over = Int(queue["waitingOverTarget"]?.intValue ?? 0)
            let oldest = queue["oldestWaitSeconds"]?.intValue.map { durationText(Int($0)) } ?? "-"
            var line =
                padded(queue["queue"]?.stringValue ?? "?", 20) + rightAligned("\(waiting)", 8)
                + rightAligned("\(queue["held"]?.intValue ?? 0)", 5)
                + rightAligned("\(queue["offered"]?.intValue ?? 0)", 8)
                + rightAligned(oldest, 8) + rightAligned(estimateText, 10) + "  "
            line += level?["met"]?.boolValue == false ? red(padded(levelText, 30)) : padded(levelText, 30)
            line +=
                rightAligned("\(queue["abandoned"]?.intValue ?? 0)", 10)
                + rightAligned("\(queue["readyAgents"]?.intValue ?? 0)", 6)
            if over > 0 { line += red("  \(over) over target") }
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

    private func agents(_ agents: [JSON]) -> [String] {
        let signedIn = agents.filter { ($0["presence"]?.stringValue ?? "offline") != "offline" }
        let stale = agents.contains { $0["presenceStale"]?.boolValue == true }
        var lines = [
            bold("AGENTS") + "  \(signedIn.count) signed in of \(agents.count)"
                + (agents.count > signedIn.count ? " (\(agents.count - signedIn.count) offline not listed)" : "")
                + (stale ? red("  presence may be out of date") : "")
        ]
        let shown = agentLinesMax.map { Array(signedIn.prefix($0)) } ?? signedIn
        for agent in shown {
            let presence = agent["presence"]?.stringValue ?? "?"
            let routing = agent["routing"]?.stringValue
            let status = routing == "busy" ? "\(presence), busy" : presence
            let channels = (agent["channels"]?.arrayValue ?? []).map { line in
                "\(line["channel"]?.stringValue ?? "?") \(line["load"]?.intValue ?? 0)/\(line["capacity"]?.intValue ?? 0)"
            }.joined(separator: "  ")
            var line =
                padded(agent["agentId"]?.stringValue ?? "?", 18) + padded(agent["name"]?.stringValue ?? "", 20)
                + padded(status, 18) + padded(channels, 44)
            if let sessions = agent["sessions"], !sessions.isNull {
                let count = sessions["count"]?.intValue ?? 0
                var text = "\(count) session\(count == 1 ? "" : "s")"
                if let active = sessions["active"]?.stringValue { text += " (active \(active))" }
                if let unread = sessions["unread"]?.intValue, unread > 0 { text += ", \(unread) unread" }
                line += text
            }
            if let reason = agent["awayReason"]?.stringValue { line += red("  away: \(reason)") }
            lines.append(line)
        }
        if shown.count < signedIn.count { lines.append(dim("… \(signedIn.count - shown.count) more signed in")) }
        return lines
    }

    private func rates(_ rates: JSON) -> [String] {
        let assignments = rates["assignments"]?.intValue ?? 0
        var lines = [bold("ROUTING") + "  \(assignments) assignments among the conversations the router holds"]
        let sticky = rates["sticky"]
        let returning = sticky?["returningCustomers"]?.intValue ?? 0
        let stickyCount = sticky?["stickyAssignments"]?.intValue ?? 0
        let same = sticky?["sameAgentAsBefore"]?.intValue ?? 0
        let stickyPercent = sticky?["percent"]?.doubleValue.map { " (\(Int($0.rounded()))%)" } ?? ""
        lines.append(
            "  returning customers \(returning): \(stickyCount) to their sticky owner\(stickyPercent), "
                + "\(same) with the same agent as before")
        let rules = (rates["byRule"]?.objectValue ?? JSONObject()).map { "\($0.key) \($0.value.intValue ?? 0)" }
        let match = rates["skillMatch"]
        let matchText =
            match?["percent"]?.doubleValue.map {
                "skill match \(Int($0.rounded()))% (\(match?["fullSkills"]?.intValue ?? 0) on full skills, "
                    + "\(match?["fallback"]?.intValue ?? 0) on a fallback step)"
            } ?? "skill match: no decision by skills yet"
        lines.append("  rules: " + (rules.isEmpty ? "none yet" : rules.joined(separator: " · ")) + "; " + matchText)
        return lines
    }

    private func alerts(_ alerts: [JSON]) -> [String] {
        var lines = [bold("ALERTS") + "  \(alerts.count)"]
        for alert in alerts {
            let level = alert["level"]?.stringValue?.uppercased() ?? alert["kind"]?.stringValue ?? "alert"
            let text =
                padded(alert["source"]?.stringValue ?? "", 9) + padded(level, 18)
                + (alert["sentence"]?.stringValue ?? "")
            lines.append(alert["level"]?.stringValue == "watch" ? yellow(text) : red(text))
        }
        return lines
    }

    private func conversations(_ conversations: [JSON]) -> [String] {
        var lines = [bold("CONVERSATION HEALTH") + "  \(conversations.count) flagged"]
        for conversation in conversations.prefix(conversationLinesMax) {
            let level = conversation["escalation"]?["level"]?.stringValue ?? "flag"
            let flags = (conversation["flags"]?.arrayValue ?? []).compactMap { $0["phrase"]?.stringValue }
            let text =
                padded(level.uppercased(), 10) + padded(conversation["conversationId"]?.stringValue ?? "?", 14)
                + padded(conversation["queue"]?.stringValue ?? "", 18)
                + padded(conversation["state"]?.stringValue ?? "", 10)
                + padded(conversation["agentId"]?.stringValue ?? "-", 18) + flags.joined(separator: "; ")
            lines.append(level == "intervene" ? red(text) : yellow(text))
            if let summary = conversation["summary"]?.stringValue { lines.append(dim("          \(summary)")) }
        }
        if conversations.count > conversationLinesMax {
            lines.append(dim("… \(conversations.count - conversationLinesMax) more flagged"))
        }
        return lines
    }

    private func interventions(_ interventions: [JSON]) -> [String] {
        var lines = [bold("INTERVENTIONS") + "  \(interventions.count) in progress"]
        for intervention in interventions {
            let sent = intervention["messagesSent"]?.intValue ?? 0
            lines.append(
                padded(intervention["supervisorId"]?.stringValue ?? "?", 18)
                    + padded(intervention["kind"]?.stringValue ?? "", 9)
                    + padded(
                        "\(intervention["conversationId"]?.stringValue ?? "?") (\(intervention["channel"]?.stringValue ?? "?"))",
                        24)
                    + "since \(clock(intervention["startedAt"]?.intValue ?? 0)), \(sent) message\(sent == 1 ? "" : "s")"
            )
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
