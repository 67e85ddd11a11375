public import Foundation

extension Workspace {
    /// Applies a fact from the router, the summariser or the configuration. Facts are never
    /// refused; a repeated or stale one (an unknown session) changes nothing and returns no events.
    public mutating func apply(_ input: WorkspaceInput, now: Date) -> [WorkspaceEvent] {
        switch input {
        case .workAssigned(let item):
            if index(of: item.conversation) != nil { return [] }
            guard sessions.count < WorkspaceLimits.sessionsMax else {
                return [.sessionRefused(conversation: item.conversation, sessionsMax: WorkspaceLimits.sessionsMax)]
            }
            return open(item, now: now, reopenedByAgent: false)

        case .workEnded(let conversation, let reason):
            return close(conversation, reason: SessionCloseReason(reason))

        case .messageArrived(let conversation, let author):
            guard let index = index(of: conversation) else { return [] }
            var events: [WorkspaceEvent] = []
            if author == .customer, sessions[index].addPending(.awaitingReply) {
                events.append(
                    .pendingActionsChanged(conversation: conversation, actions: sessions[index].pendingActions))
            }
            // A message in the session on screen is read as it arrives; elsewhere it waits.
            if viewedSessionID != conversation {
                if sessions[index].unreadCount < WorkspaceLimits.unreadMax {
                    sessions[index].unreadCount += 1
                    events.append(.unreadChanged(conversation: conversation, unread: sessions[index].unreadCount))
                }
                let trigger: NotificationTrigger = author == .customer ? .idleSessionMessage : .supervisorMessage
                let style = preferences.values.notifications.style(for: trigger)
                if style.interruptsAgent {
                    events.append(.notificationRaised(conversation: conversation, trigger: trigger, style: style))
                }
            }
            return events

        case .callEnded(let conversation):
            guard let index = index(of: conversation), sessions[index].isLiveCall else { return [] }
            sessions[index].liveCallSince = nil
            var events: [WorkspaceEvent] = [.callEnded(conversation: conversation)]
            if sessions[index].addPending(.wrapUp) {
                events.append(
                    .pendingActionsChanged(conversation: conversation, actions: sessions[index].pendingActions))
            }
            // A call that was kept waiting behind this one takes focus now, as a new call would.
            if activeSessionID == conversation, let waiting = liveCall {
                events += focus(waiting.id, reason: .callStarted)
            }
            return events

        case .assistanceArrived(let conversation, let update):
            guard let index = index(of: conversation) else { return [] }
            sessions[index].assistance.apply(update)
            let pane = sessions[index].pane(enabledTools: preferences.values.paneTools)
            var shown = pane?.tools.contains(update.tool) ?? false
            if case .relatedArticles(let related) = update {
                // Related articles show only beside the article they relate to.
                if case .knowledgeArticle(let article) = sessions[index].activeTab?.content {
                    shown = shown && article.id == related.articleID
                } else {
                    shown = false
                }
            }
            var events: [WorkspaceEvent] = [.paneUpdated(conversation: conversation, tool: update.tool, shown: shown)]
            if case .caseSummary = update, sessions[index].addPending(.reviewCaseSummary) {
                events.append(
                    .pendingActionsChanged(conversation: conversation, actions: sessions[index].pendingActions))
            }
            return events

        case .roleDefaultsChanged(let role, let defaults):
            let old = preferences.values
            self.role = role
            self.roleDefaults = defaults
            return preferencesChanged(from: old)
        }
    }
}
