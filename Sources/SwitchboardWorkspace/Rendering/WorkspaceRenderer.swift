public import Foundation
import SwitchboardRouting

/// Renders a workspace as plain text for a terminal (`switchboard desk show AGENT`): the
/// session list with focus, unread counts and pending actions; then the session on screen
/// with its tabs and its productivity pane; then drafts kept and the preferences in force.
/// Pure: the same workspace and `now` always give the same text. ASCII only, so it lines up
/// in any terminal; every line fits `width` columns.
public struct WorkspaceRenderer: Sendable {
    /// Lines are cut to this many characters.
    public var width: Int

    public init(width: Int = 100) {
        self.width = max(width, 40)
    }

    public func render(_ workspace: Workspace, now: Date) -> String {
        var lines: [String] = []
        lines += header(workspace, now: now)
        lines.append("")
        lines += sessionList(workspace, now: now)
        if let session = workspace.viewedSession {
            lines.append("")
            lines += sessionDetail(session, in: workspace, now: now)
        }
        if !workspace.drafts.isEmpty {
            lines.append("")
            lines += draftList(workspace, now: now)
        }
        lines.append("")
        lines += preferenceLines(workspace.preferences)
        return lines.map(fit).joined(separator: "\n") + "\n"
    }

    // MARK: - Sections

    private func header(_ workspace: Workspace, now: Date) -> [String] {
        let count = workspace.sessions.count
        var first = "Desk of \(workspace.agent) (role \(workspace.role)) - \(count) session\(count == 1 ? "" : "s")"
        if workspace.unreadTotal > 0 { first += ", \(workspace.unreadTotal) unread" }
        var second: String
        if let active = workspace.activeSession {
            second = "Focus: \(active.channel.rawValue) \(active.id)"
            if let since = active.liveCallSince {
                second +=
                    " (live call \(formatDuration(Int(now.timeIntervalSince(since)))), other sessions browse-only)"
            }
        } else {
            second = "Focus: none"
        }
        if let viewed = workspace.viewedSessionID, viewed != workspace.activeSessionID {
            second += "; browsing \(viewed)"
        }
        return [first, second]
    }

    private func sessionList(_ workspace: Workspace, now: Date) -> [String] {
        guard !workspace.sessions.isEmpty else { return ["SESSIONS", "  (no open sessions)"] }
        let idWidth = min(max(workspace.sessions.map { $0.id.rawValue.count }.max() ?? 0, 12), 24)
        let customerWidth = min(max(workspace.sessions.map { $0.item.customer.rawValue.count }.max() ?? 0, 10), 20)
        let queueWidth = min(max(workspace.sessions.map { $0.item.queue.rawValue.count }.max() ?? 0, 8), 16)
        var lines = ["SESSIONS  (> active, * on screen)"]
        let heading = [
            pad("channel", 10), pad("session", idWidth), pad("customer", customerWidth), pad("queue", queueWidth),
            "status",
        ]
        lines.append("    " + heading.joined(separator: " "))
        for session in workspace.sessions {
            let marker: String
            if session.id == workspace.activeSessionID {
                marker = "> "
            } else if session.id == workspace.viewedSessionID {
                marker = "* "
            } else {
                marker = "  "
            }
            var status: [String] = []
            if let since = session.liveCallSince {
                status.append("live \(formatDuration(Int(now.timeIntervalSince(since))))")
            }
            if session.unreadCount > 0 {
                status.append(
                    session.unreadCount >= WorkspaceLimits.unreadMax ? "999+ unread" : "\(session.unreadCount) unread")
            }
            status += session.pendingActions.map(\.label)
            if let draft = workspace.draft(for: session.id) { status.append("draft r\(draft.revision)") }
            if status.isEmpty { status.append("open \(formatDuration(Int(now.timeIntervalSince(session.openedAt))))") }
            let columns = [
                marker + pad(session.channel.rawValue, 10),
                pad(session.id.rawValue, idWidth),
                pad(session.item.customer.rawValue, customerWidth),
                pad(session.item.queue.rawValue, queueWidth),
                status.joined(separator: ", "),
            ]
            lines.append("  " + columns.joined(separator: " "))
        }
        return lines
    }

    private func sessionDetail(_ session: Session, in workspace: Workspace, now: Date) -> [String] {
        let opened = formatDuration(Int(now.timeIntervalSince(session.openedAt)))
        var lines = [
            "SESSION \(session.id) - \(session.channel.rawValue), customer \(session.item.customer), "
                + "queue \(session.item.queue), opened \(opened) ago"
        ]
        var context: [String] = []
        if let topic = session.item.topic { context.append("topic: \(topic)") }
        if let from = session.item.transferredFrom { context.append("transferred from \(from)") }
        if let refusal = workspace.workRefusal(in: session.id), case .focusRefused(_, let call) = refusal {
            context.append("browse-only while call \(call) is live")
        }
        if !context.isEmpty { lines.append("  " + context.joined(separator: "; ")) }

        let remembered = workspace.preferences.values.tabsRemembered
        lines.append("")
        lines.append("TABS (\(session.tabs.count) of \(remembered) remembered)")
        let strip = session.tabs.map { tab in
            tab.id == session.activeTabID ? "[\(tab.content.title)]" : tab.content.title
        }
        lines.append("  " + strip.joined(separator: " | "))
        if let active = session.activeTab, let place = placeDescription(active.place) {
            lines.append("  \(active.content.title): \(place)")
        }

        if let pane = session.pane(enabledTools: workspace.preferences.values.paneTools) {
            lines.append("")
            let tabTitle = session.tab(pane.tab)?.content.title ?? pane.tab.rawValue
            lines.append("PRODUCTIVITY PANE (follows the \(tabTitle) tab)")
            if pane.sections.isEmpty { lines.append("  (no tools enabled for this tab)") }
            for section in pane.sections {
                lines.append("  \(section.tool.title)")
                lines += content(section.content, now: now).map { "    " + $0 }
            }
        }
        return lines
    }

    private func content(_ content: PaneView.Content, now: Date) -> [String] {
        let waiting = "(waiting for assistance)"
        switch content {
        case .summary(let text):
            return [text ?? waiting]
        case .suggestedReplies(let replies):
            return replies.isEmpty ? [waiting] : replies.enumerated().map { "\($0.offset + 1). \($0.element)" }
        case .articles(let articles):
            return articles.isEmpty ? [waiting] : articles.map { "\(pad($0.id, 8)) \($0.title)" }
        case .relatedCases(let cases):
            return cases.isEmpty
                ? ["(none)"] : cases.map { "\(pad($0.reference, 10)) \(pad($0.status, 9)) \($0.title)" }
        case .history(let entries):
            return entries.isEmpty
                ? ["(no earlier contacts)"]
                : entries.map {
                    "\(pad(formatDuration(Int(now.timeIntervalSince($0.at))) + " ago", 10)) "
                        + "\(pad($0.channel.rawValue, 9)) \($0.summary)"
                }
        case .caseSummary(let summary):
            guard let summary else { return [waiting] }
            var lines = ["Issue: \(summary.issue)"]
            lines += summary.actionsTaken.map { "Done: \($0)" }
            lines.append("Next: \(summary.nextStep)")
            if let editor = summary.editedBy { lines.append("(edited by \(editor))") }
            return lines
        }
    }

    private func draftList(_ workspace: Workspace, now: Date) -> [String] {
        var lines = ["DRAFTS"]
        for draft in workspace.drafts {
            let open = workspace.session(draft.conversation) == nil ? "session closed" : "session open"
            let subject = draft.subject.map { "\"\($0)\"" } ?? "(no subject)"
            let saved = formatDuration(Int(now.timeIntervalSince(draft.savedAt)))
            lines.append(
                "  \(pad(draft.conversation.rawValue, 12)) \(pad(draft.channel.rawValue, 9)) \(subject), "
                    + "\(draft.byteCount) bytes, r\(draft.revision), saved \(saved) ago, \(open)")
        }
        return lines
    }

    private func preferenceLines(_ resolved: ResolvedPreferences) -> [String] {
        let values = resolved.values
        let tools =
            values.paneTools.count == PaneTool.allCases.count
            ? "all" : (values.paneTools.isEmpty ? "none" : values.paneTools.map(\.rawValue).joined(separator: ", "))
        let notifications = NotificationTrigger.allCases.map { trigger in
            "    \(pad(trigger.rawValue + ":", 22)) \(values.notifications.style(for: trigger).rawValue) "
                + "(\(resolved.source(of: .notification(trigger))))"
        }
        return [
            "PREFERENCES  (in brackets: who set it)",
            "  tabs remembered: \(values.tabsRemembered) (\(resolved.source(of: .tabsRemembered)))",
            "  pane tools: \(tools) (\(resolved.source(of: .paneTools)))",
            "  notifications:",
        ] + notifications
    }

    // MARK: - Helpers

    private func placeDescription(_ place: TabPlace) -> String? {
        var parts: [String] = []
        if place.scrollOffset > 0 { parts.append("scrolled to line \(place.scrollOffset)") }
        if let cursor = place.cursorOffset { parts.append("cursor at \(cursor)") }
        if !place.fieldValues.isEmpty {
            parts.append("\(place.fieldValues.count) field\(place.fieldValues.count == 1 ? "" : "s") filled")
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    private func pad(_ text: String, _ columns: Int) -> String {
        text.count >= columns ? text : text + String(repeating: " ", count: columns - text.count)
    }

    /// Cuts a line to `width`, marking the cut, and drops trailing spaces. Control characters
    /// from stored text (a newline in a summary) become spaces so one item stays one line.
    private func fit(_ line: String) -> String {
        var cleaned = String(line.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        while cleaned.last == " " { cleaned.removeLast() }
        guard cleaned.count > width else { return cleaned }
        return String(cleaned.prefix(width - 3)) + "..."
    }
}
