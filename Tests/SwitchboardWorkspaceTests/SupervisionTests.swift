import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Supervision")
struct SupervisionTests {
    static let policy = SupervisionPolicy(permissionsByRole: [
        "supervisor": [.observe, .listen, .whisper, .barge],
        "team-lead": [.observe, .listen, .whisper],
        "agent": [],
    ])

    @Test("whisper audience is the agent only")
    func whisperReachesAgentOnly() throws {
        #expect(MessageVisibility.audience(of: .whisper) == [.agent])
        var ledger = InterventionLedger(policy: Self.policy)
        let events = try ledger.intervene(
            sender: "s-1", senderRole: "supervisor", kind: .whisper, conversation: chat1, channel: .chat,
            text: "Offer the fee refund.", now: start)
        #expect(
            events == [
                .interventionStarted(conversation: chat1, supervisor: "s-1", kind: .whisper),
                .messageSent(
                    conversation: chat1, supervisor: "s-1", kind: .whisper, text: "Offer the fee refund.",
                    audience: [.agent]),
            ])

        let transcript = [
            TranscriptMessage(author: .customer, text: "Why was I charged twice?", sentAt: at(1)),
            TranscriptMessage(author: .supervisor(kind: .whisper), text: "Offer the fee refund.", sentAt: at(2)),
            TranscriptMessage(author: .agent, text: "I will refund the fee now.", sentAt: at(3)),
        ]
        #expect(
            MessageVisibility.transcript(transcript, as: .customer).map(\.text)
                == ["Why was I charged twice?", "I will refund the fee now."])
        #expect(MessageVisibility.transcript(transcript, as: .agent).count == 3)
    }

    @Test("barge reaches the customer")
    func bargeReachesCustomer() throws {
        #expect(MessageVisibility.audience(of: .barge) == [.customer, .agent])
        var ledger = InterventionLedger(policy: Self.policy)
        _ = try ledger.intervene(
            sender: "s-1", senderRole: "supervisor", kind: .observe, conversation: chat1, channel: .chat, now: start)
        let events = try ledger.intervene(
            sender: "s-1", senderRole: "supervisor", kind: .barge, conversation: chat1, channel: .chat,
            text: "Hello, I am the team supervisor.", now: at(5))
        #expect(
            events == [
                .interventionChanged(conversation: chat1, supervisor: "s-1", from: .observe, to: .barge),
                .supervisorJoined(conversation: chat1, supervisor: "s-1"),
                .messageSent(
                    conversation: chat1, supervisor: "s-1", kind: .barge, text: "Hello, I am the team supervisor.",
                    audience: [.customer, .agent]),
            ])
        let transcript = [TranscriptMessage(author: .supervisor(kind: .barge), text: "Hello", sentAt: at(5))]
        #expect(MessageVisibility.transcript(transcript, as: .customer).count == 1)

        // Whispering after barging stays private and keeps the supervisor in the conversation.
        let whisper = try ledger.intervene(
            sender: "s-1", senderRole: "supervisor", kind: .whisper, conversation: chat1, channel: .chat,
            text: "Let me take it from here.", now: at(6))
        #expect(
            whisper == [
                .messageSent(
                    conversation: chat1, supervisor: "s-1", kind: .whisper, text: "Let me take it from here.",
                    audience: [.agent])
            ])
        #expect(ledger.interventions(on: chat1).map(\.kind) == [.barge])
    }

    @Test("an agent role cannot barge, and the error names the missing role")
    func agentCannotBarge() {
        var ledger = InterventionLedger(policy: Self.policy)
        do {
            _ = try ledger.intervene(
                sender: "a-7", senderRole: "agent", kind: .barge, conversation: chat1, channel: .chat, text: "Hi",
                now: start)
            Issue.record("an agent barged")
        } catch {
            #expect(
                error
                    == .permissionMissing(
                        sender: "a-7", role: "agent", kind: .barge, permission: .barge, rolesGranting: ["supervisor"]))
            #expect(error.code == "permission-missing")
            #expect(error.description.contains("a-7 has role 'agent', which does not grant 'barge'"))
            #expect(error.description.contains("the role 'supervisor' grants it"))
        }
        #expect(ledger.interventions.isEmpty)
    }

    @Test("a sender without a role, or with an undefined one, is refused by name")
    func unknownSenders() {
        let policy = Self.policy
        #expect(throws: SupervisionError.senderHasNoRole(sender: "x-1")) {
            try policy.authorize(sender: "x-1", senderRole: nil, kind: .observe, conversation: chat1, channel: .chat)
        }
        #expect(throws: SupervisionError.unknownRole(sender: "x-1", role: "intern")) {
            try policy.authorize(
                sender: "x-1", senderRole: "intern", kind: .observe, conversation: chat1, channel: .chat)
        }
        // A team lead may whisper but not barge: the error points at the supervisor role.
        #expect(
            throws: SupervisionError.permissionMissing(
                sender: "t-1", role: "team-lead", kind: .barge, permission: .barge, rolesGranting: ["supervisor"])
        ) {
            try policy.authorize(
                sender: "t-1", senderRole: "team-lead", kind: .barge, conversation: chat1, channel: .chat)
        }
    }

    @Test("each intervention applies to its channels: listen on voice, observe on chat")
    func channelsPerKind() throws {
        let policy = Self.policy
        try policy.authorize(
            sender: "s-1", senderRole: "supervisor", kind: .listen, conversation: call1, channel: .voice)
        try policy.authorize(
            sender: "s-1", senderRole: "supervisor", kind: .observe, conversation: chat1, channel: .chat)
        try policy.authorize(
            sender: "s-1", senderRole: "supervisor", kind: .barge, conversation: call1, channel: .voice)
        do {
            try policy.authorize(
                sender: "s-1", senderRole: "supervisor", kind: .listen, conversation: chat1, channel: .chat)
            Issue.record("listen on a chat was allowed")
        } catch {
            #expect(error == .notApplicable(conversation: chat1, kind: .listen, channel: .chat))
            #expect(error.description.contains("use observe, whisper, barge on chat"))
        }
        #expect(throws: SupervisionError.notApplicable(conversation: email1, kind: .observe, channel: .email)) {
            try policy.authorize(
                sender: "s-1", senderRole: "supervisor", kind: .observe, conversation: email1, channel: .email)
        }
        #expect(InterventionKind.applicable(to: .case).isEmpty)
    }

    @Test("observe and listen are silent: no text, no audience")
    func silentKinds() {
        #expect(MessageVisibility.audience(of: .observe).isEmpty)
        #expect(MessageVisibility.audience(of: .listen).isEmpty)
        var ledger = InterventionLedger(policy: Self.policy)
        #expect(throws: SupervisionError.silentKindCarriesNoText(conversation: call1, kind: .listen)) {
            try ledger.intervene(
                sender: "s-1", senderRole: "supervisor", kind: .listen, conversation: call1, channel: .voice,
                text: "psst", now: start)
        }
        #expect(throws: SupervisionError.messageRequired(conversation: chat1, kind: .whisper)) {
            try ledger.intervene(
                sender: "s-1", senderRole: "supervisor", kind: .whisper, conversation: chat1, channel: .chat,
                text: " ", now: start)
        }
    }

    @Test("stopping a barge leaves the conversation; a closed conversation ends every intervention")
    func endingInterventions() throws {
        var ledger = InterventionLedger(policy: Self.policy)
        _ = try ledger.intervene(
            sender: "s-1", senderRole: "supervisor", kind: .barge, conversation: chat1, channel: .chat, now: start)
        _ = try ledger.intervene(
            sender: "s-2", senderRole: "supervisor", kind: .observe, conversation: chat1, channel: .chat, now: start)
        #expect(
            try ledger.stop(sender: "s-1", conversation: chat1) == [
                .supervisorLeft(conversation: chat1, supervisor: "s-1"),
                .interventionEnded(conversation: chat1, supervisor: "s-1", kind: .barge, reason: .stoppedBySupervisor),
            ])
        #expect(throws: SupervisionError.notIntervening(sender: "s-1", conversation: chat1)) {
            try ledger.stop(sender: "s-1", conversation: chat1)
        }
        #expect(
            ledger.conversationEnded(chat1) == [
                .interventionEnded(conversation: chat1, supervisor: "s-2", kind: .observe, reason: .conversationEnded)
            ])
        #expect(ledger.interventions.isEmpty)
    }

    @Test("supervisors per conversation are bounded")
    func supervisorsBounded() throws {
        var ledger = InterventionLedger(policy: Self.policy)
        for number in 0..<InterventionLedger.supervisorsPerConversationMax {
            _ = try ledger.intervene(
                sender: AgentID("s-\(number)"), senderRole: "supervisor", kind: .observe, conversation: chat1,
                channel: .chat, now: start)
        }
        #expect(
            throws: SupervisionError.tooManySupervisors(
                conversation: chat1, supervisorsMax: InterventionLedger.supervisorsPerConversationMax)
        ) {
            try ledger.intervene(
                sender: "s-late", senderRole: "supervisor", kind: .observe, conversation: chat1, channel: .chat,
                now: start)
        }
    }
}
