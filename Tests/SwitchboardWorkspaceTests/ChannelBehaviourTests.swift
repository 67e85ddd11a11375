import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Channel behaviour")
struct ChannelBehaviourTests {
    /// An agent with two chats (the first focused) and an email in the background.
    private func busyWorkspace() -> Workspace {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat, customer: "cust-1"))
        workspace.assign(item("c-chat-2", .chat, customer: "cust-2"))
        workspace.assign(item("c-mail-1", .email, customer: "cust-3"))
        return workspace
    }

    @Test("voice takes focus")
    func voiceTakesFocus() {
        var workspace = busyWorkspace()
        let events = workspace.assign(item("c-call-1", .voice, customer: "cust-9"), at: at(60))
        #expect(
            events.contains(
                .sessionOpened(
                    conversation: call1, channel: .voice, customer: "cust-9", queue: "general", placement: .focused)))
        #expect(events.contains(.sessionFocused(conversation: call1, previous: chat1, reason: .callStarted)))
        #expect(workspace.activeSessionID == call1)
        #expect(workspace.viewedSessionID == call1)
        #expect(workspace.liveCall?.id == call1)
    }

    @Test("during a live call other sessions can be browsed but not focused or replied from")
    func liveCallHoldsFocus() throws {
        var workspace = busyWorkspace()
        workspace.assign(item("c-call-1", .voice), at: at(60))
        workspace.customerWrites(chat2, at: at(61))
        workspace.customerWrites(chat2, at: at(62))

        #expect(throws: WorkspaceError.focusRefused(conversation: chat2, liveCall: call1)) {
            try workspace.handle(.focusSession(conversation: chat2), now: at(70))
        }
        #expect(throws: WorkspaceError.focusRefused(conversation: chat2, liveCall: call1)) {
            try workspace.handle(.sendReply(conversation: chat2, text: "One moment"), now: at(70))
        }

        // Browsing: the chat comes on screen and is read, focus stays on the call.
        let browsed = try workspace.handle(.browseSession(conversation: chat2), now: at(71))
        #expect(browsed.first == .sessionBrowsed(conversation: chat2, activeSession: call1))
        #expect(browsed.contains(.unreadChanged(conversation: chat2, unread: 0)))
        #expect(workspace.activeSessionID == call1)
        #expect(workspace.viewedSessionID == chat2)

        // Looking around a browsed session is allowed: tabs, places, autosaving a draft.
        _ = try workspace.handle(.selectTab(conversation: chat2, tab: TabID("customer:cust-2")), now: at(72))
        _ = try workspace.handle(
            .rememberPlace(conversation: chat2, tab: TabID("customer:cust-2"), place: TabPlace(scrollOffset: 3)),
            now: at(72))
        let saved = try workspace.handle(
            .saveDraft(conversation: email1, subject: "Re: refund", body: "Hi"), now: at(73))
        #expect(saved == [.draftSaved(conversation: email1, revision: 1, bytes: 12)])
        #expect(workspace.activeSessionID == call1)

        // New work elsewhere lands in the background while the call is live, even the agent's own email.
        let chat = workspace.assign(item("c-chat-3", .chat), at: at(74))
        #expect(
            chat.contains(
                .sessionOpened(
                    conversation: "c-chat-3", channel: .chat, customer: "cust-1", queue: "general",
                    placement: .background(reason: .liveCall(call1)))))
        #expect(throws: WorkspaceError.focusRefused(conversation: "c-mail-2", liveCall: call1)) {
            try workspace.handle(.reopenSession(item("c-mail-2", .email)), now: at(75))
        }
    }

    @Test("the call ending releases focus and asks for wrap-up")
    func callEndReleasesFocus() throws {
        var workspace = busyWorkspace()
        workspace.assign(item("c-call-1", .voice), at: at(60))
        let ended = workspace.apply(.callEnded(conversation: call1), now: at(300))
        #expect(
            ended == [
                .callEnded(conversation: call1), .pendingActionsChanged(conversation: call1, actions: [.wrapUp]),
            ])
        #expect(workspace.liveCall == nil)
        #expect(workspace.activeSessionID == call1)
        let focused = try workspace.handle(.focusSession(conversation: chat2), now: at(301))
        #expect(focused.first == .sessionFocused(conversation: chat2, previous: call1, reason: .agentChose))
    }

    @Test("closing a live call gives focus back to the session being browsed")
    func closingCallReturnsToBrowsed() throws {
        var workspace = busyWorkspace()
        workspace.assign(item("c-call-1", .voice), at: at(60))
        _ = try workspace.handle(.browseSession(conversation: chat2), now: at(61))
        let closed = try workspace.handle(.closeSession(conversation: call1), now: at(90))
        #expect(closed.first == .sessionClosed(conversation: call1, reason: .closedByAgent, endsConversation: true))
        #expect(closed.contains(.sessionFocused(conversation: chat2, previous: nil, reason: .previousClosed)))
    }

    @Test("a second call while one is live opens in the background")
    func secondCallWaits() {
        var workspace = newWorkspace()
        workspace.assign(item("c-call-1", .voice))
        let second = workspace.assign(item("c-call-2", .voice), at: at(5))
        #expect(
            second.contains(
                .sessionOpened(
                    conversation: "c-call-2", channel: .voice, customer: "cust-1", queue: "general",
                    placement: .background(reason: .liveCall(call1)))))
        #expect(workspace.activeSessionID == call1)
    }

    @Test("a call kept waiting behind a live call takes focus when that call ends")
    func waitingCallTakesFocus() {
        var workspace = newWorkspace()
        workspace.assign(item("c-call-1", .voice))
        workspace.assign(item("c-call-2", .voice), at: at(5))
        let ended = workspace.apply(.callEnded(conversation: call1), now: at(60))
        #expect(ended.contains(.sessionFocused(conversation: "c-call-2", previous: call1, reason: .callStarted)))
        #expect(workspace.activeSessionID == "c-call-2")
    }

    @Test("case opens in background")
    func caseOpensInBackground() throws {
        // Even with nothing else open, a case does not take focus.
        var idle = newWorkspace()
        let alone = idle.assign(item("c-case-1", .case))
        #expect(
            alone.contains(
                .sessionOpened(
                    conversation: case1, channel: .case, customer: "cust-1", queue: "general",
                    placement: .background(reason: .caseWaits))))
        #expect(idle.activeSessionID == nil)
        #expect(idle.session(case1)?.pendingActions == [.newWork])
        #expect(idle.session(case1)?.activeTab?.kind == .caseRecord)

        var busy = busyWorkspace()
        busy.assign(item("c-case-1", .case), at: at(5))
        #expect(busy.activeSessionID == chat1)

        // Focused when the agent chooses; a case takes no text replies.
        _ = try busy.handle(.focusSession(conversation: case1), now: at(6))
        #expect(busy.activeSessionID == case1)
        #expect(busy.session(case1)?.pendingActions == [])
        #expect(throws: WorkspaceError.repliesNotSupported(conversation: case1, channel: .case)) {
            try busy.handle(.sendReply(conversation: case1, text: "Done"), now: at(7))
        }
    }

    @Test("when the active chat closes a waiting case is not pushed into focus")
    func caseStaysInBackgroundAfterClose() {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-case-1", .case))
        _ = workspace.apply(.workEnded(conversation: chat1, reason: .closed), now: at(10))
        #expect(workspace.activeSessionID == nil)
        #expect(workspace.session(case1) != nil)
    }

    @Test("closing chat ends the conversation, closing email or case only closes the session")
    func closingByChannel() throws {
        var workspace = busyWorkspace()
        workspace.assign(item("c-case-1", .case))
        #expect(
            try workspace.handle(.closeSession(conversation: chat2), now: at(1)).first
                == .sessionClosed(conversation: chat2, reason: .closedByAgent, endsConversation: true))
        #expect(
            try workspace.handle(.closeSession(conversation: email1), now: at(2)).first
                == .sessionClosed(conversation: email1, reason: .closedByAgent, endsConversation: false))
        #expect(
            try workspace.handle(.closeSession(conversation: case1), now: at(3)).first
                == .sessionClosed(conversation: case1, reason: .closedByAgent, endsConversation: false))
    }

    @Test("only email and case items can be reopened by the agent, and reopening focuses them")
    func reopening() throws {
        var workspace = newWorkspace()
        #expect(throws: WorkspaceError.cannotReopen(conversation: chat1, channel: .chat)) {
            try workspace.handle(.reopenSession(item("c-chat-1", .chat)), now: at(1))
        }
        workspace.assign(item("c-chat-1", .chat))
        let reopened = try workspace.handle(.reopenSession(item("c-case-1", .case)), now: at(2))
        #expect(
            reopened.contains(
                .sessionOpened(
                    conversation: case1, channel: .case, customer: "cust-1", queue: "general", placement: .focused)))
        #expect(workspace.activeSessionID == case1)
    }
}
