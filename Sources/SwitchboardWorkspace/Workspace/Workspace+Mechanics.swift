import Foundation
import SwitchboardRouting

/// The moves that inputs and commands are made of. Each returns the events it caused.
extension Workspace {
    func index(of conversation: ConversationID) -> Int? {
        sessions.firstIndex { $0.id == conversation }
    }

    mutating func nextUse() -> UInt64 {
        useSequence &+= 1
        return useSequence
    }

    /// Opens a session for `item` and places it by its channel's rule.
    mutating func open(_ item: WorkItem, now: Date, reopenedByAgent: Bool) -> [WorkspaceEvent] {
        let conversation = item.conversation
        var session = Session(item: item, openedAt: now, useSequence: nextUse())
        let placement: SessionPlacement
        var focusReason: FocusReason?
        if let call = liveCall {
            // A live call keeps focus, even against a second call (the router should not send one).
            placement = .background(reason: .liveCall(call.id))
        } else if reopenedByAgent {
            placement = .focused
            focusReason = .reopened
        } else {
            switch session.behaviour.placement {
            case .takesFocus:
                placement = .focused
                focusReason = .callStarted
            case .focusWhenIdle:
                if let active = activeSessionID {
                    placement = .background(reason: .agentBusy(activeSession: active))
                } else {
                    placement = .focused
                    focusReason = .firstSession
                }
            case .background:
                placement = .background(reason: .caseWaits)
            }
        }
        if case .background = placement { _ = session.addPending(.newWork) }
        if item.transferredFrom != nil { _ = session.addPending(.readSummary) }
        sessions.append(session)

        var events: [WorkspaceEvent] = [
            .sessionOpened(
                conversation: conversation, channel: item.channel, customer: item.customer, queue: item.queue,
                placement: placement)
        ]
        for tab in session.tabs {
            events.append(.tabOpened(conversation: conversation, tab: tab.id, kind: tab.kind))
        }
        if let draft = draft(for: conversation) {
            events.append(.draftRestored(conversation: conversation, revision: draft.revision, bytes: draft.byteCount))
        }
        if !session.pendingActions.isEmpty {
            events.append(.pendingActionsChanged(conversation: conversation, actions: session.pendingActions))
        }
        if let focusReason {
            events += focus(conversation, reason: focusReason)
        } else {
            let style = preferences.values.notifications.newSession
            if style.interruptsAgent {
                events.append(.notificationRaised(conversation: conversation, trigger: .newSession, style: style))
            }
        }
        return events
    }

    /// Gives `conversation` focus and puts it on screen.
    mutating func focus(_ conversation: ConversationID, reason: FocusReason) -> [WorkspaceEvent] {
        guard let index = index(of: conversation) else { return [] }
        let previous = activeSessionID
        activeSessionID = conversation
        viewedSessionID = conversation
        sessions[index].lastFocusedSequence = nextUse()
        return [.sessionFocused(conversation: conversation, previous: previous, reason: reason)] + markSeen(index)
    }

    /// Puts `conversation` on screen without moving focus.
    mutating func browse(_ conversation: ConversationID) -> [WorkspaceEvent] {
        guard let index = index(of: conversation) else { return [] }
        viewedSessionID = conversation
        return [.sessionBrowsed(conversation: conversation, activeSession: activeSessionID)] + markSeen(index)
    }

    /// The agent now sees the session: unread and "new" go.
    mutating func markSeen(_ index: Int) -> [WorkspaceEvent] {
        let conversation = sessions[index].id
        var events: [WorkspaceEvent] = []
        if sessions[index].unreadCount > 0 {
            sessions[index].unreadCount = 0
            events.append(.unreadChanged(conversation: conversation, unread: 0))
        }
        if sessions[index].removePending([.newWork]) {
            events.append(.pendingActionsChanged(conversation: conversation, actions: sessions[index].pendingActions))
        }
        return events
    }

    /// Closes a session, decides the fate of its draft, and moves focus if it had it.
    mutating func close(_ conversation: ConversationID, reason: SessionCloseReason) -> [WorkspaceEvent] {
        guard let closedIndex = index(of: conversation) else { return [] }
        let session = sessions.remove(at: closedIndex)
        let behaviour = session.behaviour
        // Work the router ended is over there already; only the agent's close is forwarded, and
        // only for channels where closing the session means ending the conversation.
        let endsConversation = reason == .closedByAgent && behaviour.closingSessionEndsConversation
        var events: [WorkspaceEvent] = [
            .sessionClosed(conversation: conversation, reason: reason, endsConversation: endsConversation)
        ]
        if let draftIndex = drafts.firstIndex(where: { $0.conversation == conversation }) {
            // The conversation goes on (agent closed an email session, or the work may come back
            // after a requeue): an email draft stays for the next session.
            let conversationGoesOn = reason == .closedByAgent || reason == .requeued
            if behaviour.draftOutlivesSession && conversationGoesOn {
                let draft = drafts[draftIndex]
                events.append(.draftKept(conversation: conversation, revision: draft.revision, bytes: draft.byteCount))
            } else {
                drafts.remove(at: draftIndex)
                let discardReason: DraftDiscardReason = conversationGoesOn ? .sessionClosed : .conversationEnded
                events.append(.draftDiscarded(conversation: conversation, reason: discardReason))
            }
        }
        if viewedSessionID == conversation { viewedSessionID = nil }
        if activeSessionID == conversation {
            activeSessionID = nil
            if let next = nextFocus() { events += focus(next, reason: .previousClosed) }
        }
        if viewedSessionID == nil, let active = activeSessionID, let activeIndex = index(of: active) {
            // The screen goes back to the active session, and what waited there is now seen.
            viewedSessionID = active
            events += markSeen(activeIndex)
        }
        return events
    }

    /// Where focus goes when the active session closes: a live call, else the session on
    /// screen, else the one focused most recently, else the oldest that is not a case
    /// (cases wait until the agent picks them).
    func nextFocus() -> ConversationID? {
        if let call = liveCall { return call.id }
        if let viewed = viewedSessionID, index(of: viewed) != nil { return viewed }
        let focusedBefore = sessions.filter { $0.lastFocusedSequence != nil }
        if let recent = focusedBefore.max(by: { ($0.lastFocusedSequence ?? 0) < ($1.lastFocusedSequence ?? 0) }) {
            return recent.id
        }
        return sessions.first { $0.channel != .case }?.id
    }

    /// Makes `tab` the active tab of the session at `index`.
    mutating func select(_ tab: TabID, inSessionAt index: Int) -> [WorkspaceEvent] {
        guard let tabIndex = sessions[index].tabs.firstIndex(where: { $0.id == tab }) else { return [] }
        sessions[index].tabs[tabIndex].lastUsedSequence = nextUse()
        guard sessions[index].activeTabID != tab else { return [] }
        sessions[index].activeTabID = tab
        let conversation = sessions[index].id
        return [.tabSelected(conversation: conversation, tab: tab)] + paneChanged(inSessionAt: index)
    }

    func paneChanged(inSessionAt index: Int) -> [WorkspaceEvent] {
        let session = sessions[index]
        guard let pane = session.pane(enabledTools: preferences.values.paneTools) else { return [] }
        return [.paneChanged(conversation: session.id, tab: pane.tab, tools: pane.tools)]
    }

    /// Closes least recently used tabs until the session holds at most `limit`. The anchor
    /// and the active tab are never closed.
    mutating func trimTabs(inSessionAt index: Int, limit: Int) -> [WorkspaceEvent] {
        var events: [WorkspaceEvent] = []
        let anchor = sessions[index].anchorTabID
        // Each pass removes a tab or stops, so the loop is bounded by the tab count.
        while sessions[index].tabs.count > limit {
            let active = sessions[index].activeTabID
            let victim = sessions[index].tabs.indices
                .filter { sessions[index].tabs[$0].id != anchor && sessions[index].tabs[$0].id != active }
                .min { sessions[index].tabs[$0].lastUsedSequence < sessions[index].tabs[$1].lastUsedSequence }
            guard let victim else { break }
            let closed = sessions[index].tabs.remove(at: victim)
            events.append(.tabClosed(conversation: sessions[index].id, tab: closed.id, reason: .leastRecentlyUsed))
        }
        return events
    }

    /// Carries out a change of preferences on every session and reports it.
    mutating func preferencesChanged(from old: WorkspacePreferences) -> [WorkspaceEvent] {
        let new = preferences.values
        guard new != old else { return [] }
        var events: [WorkspaceEvent] = [.preferencesChanged(new)]
        for index in sessions.indices {
            events += trimTabs(inSessionAt: index, limit: new.tabsRemembered)
            let before = sessions[index].pane(enabledTools: old.paneTools)?.tools
            let after = sessions[index].pane(enabledTools: new.paneTools)?.tools
            if before != after { events += paneChanged(inSessionAt: index) }
        }
        return events
    }

    /// Refuses new work in `conversation` while a live call elsewhere holds focus.
    func requireWorkAllowed(in conversation: ConversationID) throws(WorkspaceError) {
        if let refusal = workRefusal(in: conversation) { throw refusal }
    }

    func existingIndex(_ conversation: ConversationID) throws(WorkspaceError) -> Int {
        guard let index = index(of: conversation) else { throw .unknownSession(conversation: conversation) }
        return index
    }
}
