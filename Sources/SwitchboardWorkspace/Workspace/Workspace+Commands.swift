public import Foundation
import SwitchboardRouting

extension Workspace {
    /// Carries out an agent's command, or refuses it with an error that says why and what to
    /// do. A refused command changes nothing.
    public mutating func handle(_ command: WorkspaceCommand, now: Date) throws(WorkspaceError) -> [WorkspaceEvent] {
        switch command {
        case .focusSession(let conversation):
            _ = try existingIndex(conversation)
            try requireWorkAllowed(in: conversation)
            if activeSessionID == conversation && viewedSessionID == conversation { return [] }
            return focus(conversation, reason: .agentChose)

        case .browseSession(let conversation):
            _ = try existingIndex(conversation)
            if viewedSessionID == conversation { return [] }
            return browse(conversation)

        case .selectTab(let conversation, let tab):
            let index = try existingIndex(conversation)
            guard sessions[index].tab(tab) != nil else { throw .unknownTab(conversation: conversation, tab: tab) }
            return select(tab, inSessionAt: index)

        case .openTab(let conversation, let content):
            return try openTab(content, in: conversation, now: now)

        case .closeTab(let conversation, let tab):
            let index = try existingIndex(conversation)
            guard let tabIndex = sessions[index].tabs.firstIndex(where: { $0.id == tab }) else {
                throw .unknownTab(conversation: conversation, tab: tab)
            }
            guard tab != sessions[index].anchorTabID else {
                throw .anchorTabCannotClose(conversation: conversation, tab: tab)
            }
            sessions[index].tabs.remove(at: tabIndex)
            var events: [WorkspaceEvent] = [.tabClosed(conversation: conversation, tab: tab, reason: .closedByAgent)]
            if sessions[index].activeTabID == tab {
                // Go back to the tab used most recently, as a browser does.
                let next = sessions[index].tabs.max { $0.lastUsedSequence < $1.lastUsedSequence }
                if let next { events += select(next.id, inSessionAt: index) }
            }
            return events

        case .rememberPlace(let conversation, let tab, let place):
            let index = try existingIndex(conversation)
            guard let tabIndex = sessions[index].tabs.firstIndex(where: { $0.id == tab }) else {
                throw .unknownTab(conversation: conversation, tab: tab)
            }
            if let problem = place.problem() {
                throw .invalidPlace(conversation: conversation, tab: tab, problem: problem)
            }
            // Keeping a place is bookkeeping of the client's view, not news: no event.
            sessions[index].tabs[tabIndex].place = place
            return []

        case .saveDraft(let conversation, let subject, let body):
            let index = try existingIndex(conversation)
            let bytes = (subject?.utf8.count ?? 0) + body.utf8.count
            guard bytes <= WorkspaceLimits.draftBytesMax else {
                throw .draftTooLarge(conversation: conversation, bytes: bytes, bytesMax: WorkspaceLimits.draftBytesMax)
            }
            if let draftIndex = drafts.firstIndex(where: { $0.conversation == conversation }) {
                drafts[draftIndex].subject = subject
                drafts[draftIndex].body = body
                drafts[draftIndex].revision += 1
                drafts[draftIndex].savedAt = now
                return [.draftSaved(conversation: conversation, revision: drafts[draftIndex].revision, bytes: bytes)]
            }
            guard drafts.count < WorkspaceLimits.draftsMax else {
                throw .draftLimitReached(conversation: conversation, draftsMax: WorkspaceLimits.draftsMax)
            }
            drafts.append(
                Draft(
                    conversation: conversation, channel: sessions[index].channel, subject: subject, body: body,
                    revision: 1, savedAt: now))
            return [.draftSaved(conversation: conversation, revision: 1, bytes: bytes)]

        case .discardDraft(let conversation):
            // A kept email draft can be discarded without opening its session.
            guard let draftIndex = drafts.firstIndex(where: { $0.conversation == conversation }) else {
                throw .noDraft(conversation: conversation)
            }
            drafts.remove(at: draftIndex)
            return [.draftDiscarded(conversation: conversation, reason: .discardedByAgent)]

        case .sendReply(let conversation, let text):
            let index = try existingIndex(conversation)
            let channel = sessions[index].channel
            guard sessions[index].behaviour.acceptsTextReplies else {
                throw .repliesNotSupported(conversation: conversation, channel: channel)
            }
            try requireWorkAllowed(in: conversation)
            guard text.contains(where: { !$0.isWhitespace }) else { throw .emptyReply(conversation: conversation) }
            let bytes = text.utf8.count
            guard bytes <= WorkspaceLimits.replyBytesMax else {
                throw .replyTooLarge(conversation: conversation, bytes: bytes, bytesMax: WorkspaceLimits.replyBytesMax)
            }
            var events: [WorkspaceEvent] = []
            // Answering means the agent has seen the session and caught up on it.
            if sessions[index].removePending([.awaitingReply, .readSummary, .newWork]) {
                events.append(
                    .pendingActionsChanged(conversation: conversation, actions: sessions[index].pendingActions))
            }
            if let draftIndex = drafts.firstIndex(where: { $0.conversation == conversation }) {
                drafts.remove(at: draftIndex)
                events.append(.draftDiscarded(conversation: conversation, reason: .sent))
            }
            events.append(.replySent(conversation: conversation, text: text))
            return events

        case .closeSession(let conversation):
            _ = try existingIndex(conversation)
            return close(conversation, reason: .closedByAgent)

        case .reopenSession(let item):
            let conversation = item.conversation
            guard ChannelBehaviour.of(item.channel).agentMayReopen else {
                throw .cannotReopen(conversation: conversation, channel: item.channel)
            }
            try requireWorkAllowed(in: conversation)
            if index(of: conversation) != nil {
                if activeSessionID == conversation && viewedSessionID == conversation { return [] }
                return focus(conversation, reason: .reopened)
            }
            guard sessions.count < WorkspaceLimits.sessionsMax else {
                throw .sessionLimitReached(conversation: conversation, sessionsMax: WorkspaceLimits.sessionsMax)
            }
            return open(item, now: now, reopenedByAgent: true)

        case .completeAction(let conversation, let action):
            let index = try existingIndex(conversation)
            guard sessions[index].removePending([action]) else {
                throw .noSuchPendingAction(conversation: conversation, action: action)
            }
            return [.pendingActionsChanged(conversation: conversation, actions: sessions[index].pendingActions)]

        case .setPreferences(let overrides):
            let errors = overrides.validate(scope: "agent \(agent.rawValue)")
            guard errors.isEmpty else { throw .invalidPreferences(errors) }
            let old = preferences.values
            agentOverrides = overrides
            return preferencesChanged(from: old)
        }
    }

    private mutating func openTab(
        _ content: TabContent, in conversation: ConversationID, now: Date
    ) throws(WorkspaceError) -> [WorkspaceEvent] {
        let index = try existingIndex(conversation)
        let id = content.id
        if sessions[index].tab(id) != nil { return select(id, inSessionAt: index) }
        if content.kind == .conversation {
            // Only sessions of conversation channels have one, and there it is the anchor (already open).
            throw .tabNotAvailable(conversation: conversation, kind: .conversation, channel: sessions[index].channel)
        }
        guard content.textBytes <= WorkspaceLimits.tabContentBytesMax else {
            throw .tabContentTooLarge(
                conversation: conversation, bytes: content.textBytes, bytesMax: WorkspaceLimits.tabContentBytesMax)
        }
        sessions[index].tabs.append(Tab(content: content, openedAt: now, lastUsedSequence: nextUse()))
        sessions[index].activeTabID = id
        var events: [WorkspaceEvent] = [.tabOpened(conversation: conversation, tab: id, kind: content.kind)]
        events += trimTabs(inSessionAt: index, limit: preferences.values.tabsRemembered)
        events += paneChanged(inSessionAt: index)
        return events
    }
}
