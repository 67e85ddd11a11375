import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Drafts")
struct DraftTests {
    /// Text whose bytes a normalising store would change: a decomposed accent (e + U+0301),
    /// CRLF line ends, a tab, an emoji with a skin-tone modifier, trailing spaces.
    static let awkwardBody =
        "Dear Ms Lef\u{0065}\u{0301}vre,\r\n\r\n\tYour refund of \u{20AC}42 is on its way \u{1F44D}\u{1F3FD}.  \r\n"

    @Test("draft survives session close")
    func draftSurvivesSessionClose() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-mail-1", .email, customer: "cust-3"))
        _ = try workspace.handle(.saveDraft(conversation: email1, subject: "Re: refund", body: "Dear"), now: at(10))
        _ = try workspace.handle(
            .saveDraft(conversation: email1, subject: "Re: refund", body: Self.awkwardBody), now: at(20))

        let closed = try workspace.handle(.closeSession(conversation: email1), now: at(30))
        let bytes = "Re: refund".utf8.count + Self.awkwardBody.utf8.count
        #expect(
            closed == [
                .sessionClosed(conversation: email1, reason: .closedByAgent, endsConversation: false),
                .draftKept(conversation: email1, revision: 2, bytes: bytes),
            ])
        #expect(workspace.session(email1) == nil)

        // Many short sessions: reopened by the agent, then assigned again by the router.
        let reopened = try workspace.handle(.reopenSession(item("c-mail-1", .email, customer: "cust-3")), now: at(3600))
        #expect(reopened.contains(.draftRestored(conversation: email1, revision: 2, bytes: bytes)))
        _ = try workspace.handle(.closeSession(conversation: email1), now: at(3700))
        let reassigned = workspace.assign(item("c-mail-1", .email, customer: "cust-3"), at: at(7200))
        #expect(reassigned.contains(.draftRestored(conversation: email1, revision: 2, bytes: bytes)))

        let draft = try #require(workspace.draft(for: email1))
        #expect(Array(draft.body.utf8) == Array(Self.awkwardBody.utf8))
        #expect(draft.subject == "Re: refund")
        #expect(draft.savedAt == at(20))
    }

    @Test("an email draft survives a restart byte for byte")
    func draftSurvivesRestart() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-mail-1", .email))
        _ = try workspace.handle(.saveDraft(conversation: email1, subject: nil, body: Self.awkwardBody), now: at(1))
        _ = try workspace.handle(.closeSession(conversation: email1), now: at(2))

        let stored = try JSONEncoder().encode(workspace)
        var restarted = try JSONDecoder().decode(Workspace.self, from: stored)
        restarted.assign(item("c-mail-1", .email), at: at(100))
        let draft = try #require(restarted.draft(for: email1))
        #expect(Array(draft.body.utf8) == Array(Self.awkwardBody.utf8))
    }

    @Test("a chat draft goes with its session, an email draft goes when it is sent")
    func draftEndings() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-mail-1", .email))
        _ = try workspace.handle(.saveDraft(conversation: chat1, subject: nil, body: "half a sentence"), now: at(1))
        _ = try workspace.handle(.saveDraft(conversation: email1, subject: "Re: card", body: "Hello"), now: at(1))

        let closed = try workspace.handle(.closeSession(conversation: chat1), now: at(2))
        #expect(closed.contains(.draftDiscarded(conversation: chat1, reason: .sessionClosed)))
        #expect(workspace.draft(for: chat1) == nil)

        let sent = try workspace.handle(
            .sendReply(conversation: email1, text: "Hello, your card is unblocked."), now: at(3))
        #expect(sent.contains(.draftDiscarded(conversation: email1, reason: .sent)))
        #expect(workspace.draft(for: email1) == nil)
    }

    @Test("an email draft is dropped when the router ends the conversation, kept when it is requeued")
    func draftWhenRouterEndsWork() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-mail-1", .email))
        workspace.assign(item("c-mail-2", .email))
        _ = try workspace.handle(.saveDraft(conversation: email1, subject: nil, body: "one"), now: at(1))
        _ = try workspace.handle(.saveDraft(conversation: "c-mail-2", subject: nil, body: "two"), now: at(1))

        let transferred = workspace.apply(.workEnded(conversation: email1, reason: .transferred), now: at(2))
        #expect(transferred.contains(.draftDiscarded(conversation: email1, reason: .conversationEnded)))
        let requeued = workspace.apply(.workEnded(conversation: "c-mail-2", reason: .requeued), now: at(2))
        #expect(requeued.contains(.draftKept(conversation: "c-mail-2", revision: 1, bytes: 3)))
    }

    @Test("a kept draft can be discarded without its session, and drafts are bounded in size")
    func discardAndBounds() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-mail-1", .email))
        _ = try workspace.handle(.saveDraft(conversation: email1, subject: nil, body: "x"), now: at(1))
        _ = try workspace.handle(.closeSession(conversation: email1), now: at(2))
        #expect(
            try workspace.handle(.discardDraft(conversation: email1), now: at(3))
                == [.draftDiscarded(conversation: email1, reason: .discardedByAgent)])
        #expect(throws: WorkspaceError.noDraft(conversation: email1)) {
            try workspace.handle(.discardDraft(conversation: email1), now: at(4))
        }

        workspace.assign(item("c-mail-1", .email))
        let huge = String(repeating: "a", count: WorkspaceLimits.draftBytesMax + 1)
        #expect(
            throws: WorkspaceError.draftTooLarge(
                conversation: email1, bytes: WorkspaceLimits.draftBytesMax + 1, bytesMax: WorkspaceLimits.draftBytesMax)
        ) {
            try workspace.handle(.saveDraft(conversation: email1, subject: nil, body: huge), now: at(5))
        }
    }
}
