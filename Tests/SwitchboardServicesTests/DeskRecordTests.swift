import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@testable import SwitchboardDesk

/// The desk's state for one agent: facts from the router applied, a resync after a gap or a
/// restart, and the record kept as committed.
@Suite("Desk: one agent's record")
struct DeskRecordTests {
    @Test("two chats then a call: three sessions and the call takes focus")
    func voiceTakesFocusOverChats() {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("chat-1", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(.assigned(deskItem("chat-2", .chat), at: deskTime(1), transcript: []), now: deskTime(1))
        let events = record.apply(
            .assigned(deskItem("call-1", .voice, queue: "voice-en-general"), at: deskTime(2), transcript: []),
            now: deskTime(2))
        #expect(record.workspace.sessions.map(\.id) == ["chat-1", "chat-2", "call-1"])
        #expect(record.workspace.activeSessionID == "call-1")
        #expect(record.workspace.liveCall?.id == "call-1")
        #expect(events.whats.contains("session.focused"))
        #expect(record.workspace.session("chat-2")?.pendingActions.contains(.newWork) == true, "the second chat waits")
    }

    @Test("an offer waits on the desk until the assignment opens its session")
    func offerThenAssignment() {
        var record = signedInRecord()
        let offer = DeskOffer(
            item: deskItem("c-1", .chat), rule: "skills", reason: "Skills.", offeredAt: deskTime(0),
            expiresAt: deskTime(20))
        #expect(record.apply(.offered(offer), now: deskTime(0)).whats == ["offer.received"])
        #expect(record.apply(.offered(offer), now: deskTime(1)).isEmpty, "the same offer again is not news")
        #expect(record.offers.map(\.conversation) == ["c-1"])
        let events = record.apply(.assigned(offer.item, at: deskTime(3), transcript: []), now: deskTime(3))
        #expect(events.first == .offerWithdrawn("c-1", reason: .accepted))
        #expect(events.whats.contains("session.opened"))
        #expect(record.offers.isEmpty)
        #expect(record.workspace.session("c-1") != nil)
    }

    @Test("the customer's messages after the last answer are unread when a background session opens")
    func unansweredMessagesAreUnread() throws {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("chat-1", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        let transcript = [
            transcriptMessage(1, .customer), transcriptMessage(2, .agent), transcriptMessage(3, .customer),
            transcriptMessage(4, .customer),
        ]
        _ = record.apply(
            .assigned(deskItem("chat-2", .chat), at: deskTime(5), transcript: transcript), now: deskTime(5))
        let session = try #require(record.workspace.session("chat-2"))
        #expect(session.unreadCount == 2)
        #expect(session.pendingActions.contains(.awaitingReply))
        #expect(record.lastMessageNumbers["chat-2"] == 4)
    }

    @Test("a message counts once, whether it comes in a snapshot or as an event, and the agent's own never")
    func messagesCountOnce() throws {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("chat-1", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(.assigned(deskItem("chat-2", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(.message("chat-2", transcriptMessage(1, .customer)), now: deskTime(1))
        #expect(record.apply(.message("chat-2", transcriptMessage(1, .customer)), now: deskTime(2)).isEmpty)
        #expect(record.apply(.message("chat-2", transcriptMessage(2, .agent)), now: deskTime(3)).isEmpty)
        _ = record.apply(.message("chat-2", transcriptMessage(3, .supervisor)), now: deskTime(4))
        #expect(try #require(record.workspace.session("chat-2")).unreadCount == 2)
        #expect(try #require(record.workspace.session("chat-1")).unreadCount == 0)
    }

    @Test("the router closing a live call keeps its session for wrap-up; the end of wrap-up closes it")
    func callClosedThenWrapUp() throws {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("call-1", .voice), at: deskTime(0), transcript: []), now: deskTime(0))
        let closed = record.apply(.conversationClosed("call-1"), now: deskTime(60))
        #expect(closed.whats.contains("session.call-ended"))
        let session = try #require(record.workspace.session("call-1"))
        #expect(!session.isLiveCall)
        #expect(session.pendingActions.contains(.wrapUp))
        #expect(record.apply(.conversationClosed("call-1"), now: deskTime(61)).isEmpty, "a repeat changes nothing")
        let ended = record.apply(.wrapUpEnded("call-1"), now: deskTime(90))
        #expect(ended.whats.contains("session.closed"))
        #expect(record.workspace.sessions.isEmpty)
    }

    @Test("a resync closes what ended meanwhile, opens what was assigned meanwhile and replaces the offers")
    func resyncCatchesUp() throws {
        var record = signedInRecord()
        _ = record.apply(.assigned(deskItem("c-gone", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(.assigned(deskItem("c-moved", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(.assigned(deskItem("c-kept", .chat), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = record.apply(
            .offered(
                DeskOffer(item: deskItem("c-old-offer", .chat), rule: nil, reason: nil, offeredAt: nil,
                    expiresAt: nil)),
            now: deskTime(0))
        var mirror = RouterMirror()
        mirror.load([
            SnapshotItem(key: "conv.c-moved", value: conversationItem("c-moved", state: .assigned, agent: tomasz)),
            SnapshotItem(
                key: "conv.c-kept", value: conversationItem("c-kept", state: .assigned, agent: priya, messageCount: 2)),
            SnapshotItem(
                key: "conv.c-new",
                value: conversationItem("c-new", channel: .voice, state: .assigned, agent: priya, assignedAtSeconds: 30)
            ),
            SnapshotItem(key: "conv.c-offer", value: conversationItem("c-offer", state: .offered, agent: priya)),
            SnapshotItem(
                key: "transcript.c-kept",
                value: [
                    "conversationId": "c-kept",
                    "messages": [messageEvent("c-kept", number: 1, role: .customer, text: "still there?")],
                ]),
        ])
        let events = record.resync(with: mirror, now: deskTime(40))
        #expect(record.workspace.sessions.map(\.id) == ["c-kept", "c-new"])
        #expect(record.workspace.activeSessionID == "c-new", "the call assigned meanwhile takes focus")
        #expect(record.workspace.session("c-new")?.openedAt == deskTime(30), "opened when the router assigned it")
        #expect(record.offers.map(\.conversation) == ["c-offer"])
        #expect(try #require(record.workspace.session("c-kept")).unreadCount == 1, "the message written meanwhile")
        #expect(events.contains(.offerWithdrawn("c-old-offer", reason: .withdrawn)))
        let again = record
        #expect(record.resync(with: mirror, now: deskTime(41)).isEmpty, "a second resync has nothing left to do")
        #expect(record == again)
    }

    @Test("an email session the agent closed stays closed through a resync, and its draft is kept")
    func parkedEmailStaysClosed() throws {
        var record = signedInRecord()
        _ = record.apply(
            .assigned(deskItem("mail-1", .email, queue: "email-en"), at: deskTime(0), transcript: []), now: deskTime(0))
        _ = try record.handle(
            .saveDraft(conversation: "mail-1", subject: "Re: card", body: "Dear customer,"), now: deskTime(1))
        let closed = try record.handle(.closeSession(conversation: "mail-1"), now: deskTime(2))
        #expect(closed.whats.contains("draft.kept"))
        #expect(record.parked == ["mail-1"])
        var mirror = RouterMirror()
        mirror.load([
            SnapshotItem(
                key: "conv.mail-1",
                value: conversationItem("mail-1", channel: .email, queue: "email-en", state: .assigned, agent: priya))
        ])
        _ = record.resync(with: mirror, now: deskTime(3))
        #expect(record.workspace.sessions.isEmpty)
        let reopened = try record.reopen(
            deskItem("mail-1", .email, queue: "email-en"), lastMessage: 0, now: deskTime(4))
        #expect(reopened.whats.contains("draft.restored"))
        #expect(record.parked.isEmpty)
        #expect(record.workspace.draft(for: "mail-1")?.body == "Dear customer,")
    }

    @Test("the stored record reads back equal, drafts byte for byte")
    func storedRecordRoundTrips() throws {
        var record = signedInRecord()
        _ = record.apply(
            .assigned(deskItem("mail-1", .email, queue: "email-en"), at: deskTime(0), transcript: []), now: deskTime(0))
        // Decomposed é, a combining mark, an emoji, CR LF, a tab, quotes and a backslash.
        let body = "Cafe\u{301} \u{1F4B3} ok\r\n\t\"quoted\" \\ end \u{0}"
        _ = try record.handle(
            .saveDraft(conversation: "mail-1", subject: "Re: \u{E9}t\u{E9}", body: body), now: deskTime(1.25))
        let restored = try DeskCoding.decodeFromStorage(try DeskCoding.encodeForStorage(record))
        #expect(restored == record)
        #expect(Array(try #require(restored.workspace.draft(for: "mail-1")).body.utf8) == Array(body.utf8))
    }

    @Test("facts about a session that is not there change nothing")
    func staleFactsAreHarmless() {
        var record = signedInRecord()
        let before = record
        #expect(record.apply(.message("c-9", transcriptMessage(1, .customer)), now: deskTime(0)).isEmpty)
        #expect(record.apply(.withdrawn("c-9", reason: .transferred), now: deskTime(0)).isEmpty)
        #expect(record.apply(.conversationClosed("c-9"), now: deskTime(0)).isEmpty)
        #expect(record.apply(.wrapUpEnded("c-9"), now: deskTime(0)).isEmpty)
        #expect(record.apply(.offerEnded("c-9", reason: .declined), now: deskTime(0)).isEmpty)
        #expect(record == before)
    }
}
