import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Sessions")
struct SessionTests {
    @Test("the first chat takes focus, a second chat opens idle and marked new")
    func chatsRunConcurrently() {
        var workspace = newWorkspace()
        let first = workspace.assign(item("c-chat-1", .chat))
        #expect(
            first.contains(
                .sessionOpened(
                    conversation: chat1, channel: .chat, customer: "cust-1", queue: "general", placement: .focused)))
        #expect(first.contains(.sessionFocused(conversation: chat1, previous: nil, reason: .firstSession)))

        let second = workspace.assign(item("c-chat-2", .chat, customer: "cust-2"), at: at(5))
        #expect(
            second.contains(
                .sessionOpened(
                    conversation: chat2, channel: .chat, customer: "cust-2", queue: "general",
                    placement: .background(reason: .agentBusy(activeSession: chat1)))))
        #expect(second.contains(.notificationRaised(conversation: chat2, trigger: .newSession, style: .toastAndSound)))
        #expect(workspace.activeSessionID == chat1)
        #expect(workspace.session(chat2)?.pendingActions == [.newWork])
        #expect(workspace.sessions.map(\.id) == [chat1, chat2])
    }

    @Test("customer messages raise unread on an idle session and focusing clears them")
    func unreadCounts() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-chat-2", .chat))

        let firstMessage = workspace.customerWrites(chat2, at: at(10))
        #expect(firstMessage.contains(.unreadChanged(conversation: chat2, unread: 1)))
        #expect(
            firstMessage.contains(.notificationRaised(conversation: chat2, trigger: .idleSessionMessage, style: .toast))
        )
        workspace.customerWrites(chat2, at: at(11))
        workspace.customerWrites(chat2, at: at(12))
        #expect(workspace.session(chat2)?.unreadCount == 3)
        #expect(workspace.session(chat2)?.pendingActions == [.newWork, .awaitingReply])

        // The session on screen reads its messages as they arrive.
        let onScreen = workspace.customerWrites(chat1, at: at(13))
        #expect(!onScreen.contains { if case .unreadChanged = $0 { true } else { false } })
        #expect(workspace.session(chat1)?.unreadCount == 0)
        #expect(workspace.session(chat1)?.pendingActions == [.awaitingReply])

        let focused = try workspace.handle(.focusSession(conversation: chat2), now: at(20))
        #expect(focused.contains(.sessionFocused(conversation: chat2, previous: chat1, reason: .agentChose)))
        #expect(focused.contains(.unreadChanged(conversation: chat2, unread: 0)))
        #expect(workspace.session(chat2)?.unreadCount == 0)
        // Focusing clears "new" but the customer still waits for a reply.
        #expect(workspace.session(chat2)?.pendingActions == [.awaitingReply])

        let replied = try workspace.handle(.sendReply(conversation: chat2, text: "Let me check that."), now: at(30))
        #expect(replied.contains(.pendingActionsChanged(conversation: chat2, actions: [])))
        #expect(replied.last == .replySent(conversation: chat2, text: "Let me check that."))
    }

    @Test("the unread badge stops at its bound")
    func unreadIsBounded() {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-chat-2", .chat))
        for second in 0..<(WorkspaceLimits.unreadMax + 20) {
            workspace.customerWrites(chat2, at: at(Double(second)))
        }
        #expect(workspace.session(chat2)?.unreadCount == WorkspaceLimits.unreadMax)
    }

    @Test("switching sessions loses nothing")
    func switchingSessionsLosesNothing() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat, customer: "cust-1"))
        workspace.assign(item("c-chat-2", .chat, customer: "cust-2"))
        let article = KnowledgeArticleRef(id: "kb-12", title: "Travelling abroad with your card")
        _ = try workspace.handle(.openTab(conversation: chat1, content: .knowledgeArticle(article)), now: at(1))
        _ = try workspace.handle(
            .rememberPlace(conversation: chat1, tab: TabID("knowledge:kb-12"), place: TabPlace(scrollOffset: 42)),
            now: at(2))
        _ = try workspace.handle(
            .rememberPlace(
                conversation: chat1, tab: TabID("conversation"), place: TabPlace(scrollOffset: 7, cursorOffset: 3)),
            now: at(2))
        _ = try workspace.handle(.saveDraft(conversation: chat1, subject: nil, body: "Your card is"), now: at(3))
        _ = workspace.apply(
            .assistanceArrived(conversation: chat1, update: .summary(text: "Card declined in Lisbon.")), now: at(4))
        let before = try #require(workspace.session(chat1))

        // Work elsewhere: focus the other chat, use its tabs, let the first receive a message.
        _ = try workspace.handle(.focusSession(conversation: chat2), now: at(10))
        _ = try workspace.handle(.selectTab(conversation: chat2, tab: TabID("customer:cust-2")), now: at(11))
        _ = try workspace.handle(.saveDraft(conversation: chat2, subject: nil, body: "Hello"), now: at(12))
        _ = try workspace.handle(.focusSession(conversation: chat1), now: at(20))

        let after = try #require(workspace.session(chat1))
        #expect(after.activeTabID == TabID("knowledge:kb-12"))
        #expect(after.tabs.map(\.id) == before.tabs.map(\.id))
        #expect(after.tabs.map(\.place) == before.tabs.map(\.place))
        #expect(after.assistance == before.assistance)
        #expect(workspace.draft(for: chat1)?.body == "Your card is")
        #expect(workspace.draft(for: chat2)?.body == "Hello")
        #expect(workspace.session(chat2)?.activeTabID == TabID("customer:cust-2"))
    }

    @Test("closing the active session moves focus to the one focused most recently")
    func closingActiveMovesFocus() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-chat-2", .chat))
        workspace.assign(item("c-chat-3", .chat))
        _ = try workspace.handle(.focusSession(conversation: chat2), now: at(1))
        _ = try workspace.handle(.focusSession(conversation: chat1), now: at(2))

        let events = workspace.apply(.workEnded(conversation: chat1, reason: .closed), now: at(3))
        #expect(
            events.first == .sessionClosed(conversation: chat1, reason: .conversationClosed, endsConversation: false))
        #expect(events.contains(.sessionFocused(conversation: chat2, previous: nil, reason: .previousClosed)))
        #expect(workspace.activeSessionID == chat2)
        #expect(workspace.viewedSessionID == chat2)
    }

    @Test("when a browsed session closes the screen returns to the active one and its messages are read")
    func browsedSessionCloses() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-chat-2", .chat))
        _ = try workspace.handle(.browseSession(conversation: chat2), now: at(1))
        workspace.customerWrites(chat1, at: at(2))
        #expect(workspace.session(chat1)?.unreadCount == 1)

        let events = workspace.apply(.workEnded(conversation: chat2, reason: .abandoned), now: at(3))
        #expect(
            events == [
                .sessionClosed(conversation: chat2, reason: .customerAbandoned, endsConversation: false),
                .unreadChanged(conversation: chat1, unread: 0),
            ])
        #expect(workspace.viewedSessionID == chat1)
    }

    @Test("a repeated assignment or an end for an unknown session changes nothing")
    func factsAreIdempotent() {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        let snapshot = workspace
        #expect(workspace.assign(item("c-chat-1", .chat), at: at(9)).isEmpty)
        #expect(workspace.apply(.workEnded(conversation: "c-unknown", reason: .closed), now: at(9)).isEmpty)
        #expect(workspace.apply(.messageArrived(conversation: "c-unknown", author: .customer), now: at(9)).isEmpty)
        #expect(workspace == snapshot)
    }

    @Test("assignments beyond the session bound are refused, not lost silently")
    func sessionBound() {
        var workspace = newWorkspace()
        for number in 0..<WorkspaceLimits.sessionsMax {
            workspace.assign(item("c-case-\(number)", .case))
        }
        let events = workspace.assign(item("c-one-too-many", .case))
        #expect(events == [.sessionRefused(conversation: "c-one-too-many", sessionsMax: WorkspaceLimits.sessionsMax)])
        #expect(workspace.sessions.count == WorkspaceLimits.sessionsMax)
    }

    @Test("a refused command leaves the workspace unchanged")
    func refusedCommandChangesNothing() {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        let snapshot = workspace
        #expect(throws: WorkspaceError.unknownSession(conversation: "c-nope")) {
            try workspace.handle(.focusSession(conversation: "c-nope"), now: at(1))
        }
        #expect(throws: WorkspaceError.emptyReply(conversation: chat1)) {
            try workspace.handle(.sendReply(conversation: chat1, text: "  \n"), now: at(1))
        }
        #expect(workspace == snapshot)
    }

    @Test("a transferred-in conversation asks the agent to read the summary until they reply")
    func transferredInAsksForSummary() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat, transferredFrom: "a-3"))
        #expect(workspace.session(chat1)?.pendingActions == [.readSummary])
        _ = try workspace.handle(.sendReply(conversation: chat1, text: "Hi, I have your details here."), now: at(5))
        #expect(workspace.session(chat1)?.pendingActions == [])
    }
}
