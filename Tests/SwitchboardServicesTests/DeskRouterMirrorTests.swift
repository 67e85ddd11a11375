import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import SwitchboardWorkspace
import Testing

@testable import SwitchboardDesk

/// How the desk reads the router's stream: which facts each router event gives which agent.
@Suite("Desk: router events as facts for agents")
struct DeskRouterMirrorTests {
    @Test("an offer to an agent becomes an offer on their desk, with the router's reason and expiry")
    func offerBecomesOffer() throws {
        var mirror = RouterMirror()
        let directives = mirror.apply(
            type: "conversation.offered",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", state: .offered, agent: priya),
                [
                    ("agentId", .string(priya.rawValue)), ("rule", "skills"), ("reason", "Skills: English 5."),
                    ("expiresAt", .int(Int64(deskTime(20).timeIntervalSince1970 * 1_000))),
                ]),
            at: deskTime(0))
        let directive = try #require(directives.first)
        #expect(directives.count == 1)
        #expect(directive.agent == priya)
        guard case .offered(let offer) = directive.input else {
            Issue.record("expected an offer, got \(directive.input)")
            return
        }
        #expect(offer.conversation == "c-1")
        #expect(offer.item.channel == .chat)
        #expect(offer.reason == "Skills: English 5.")
        #expect(offer.expiresAt == deskTime(20))
        #expect(offer.item.topic == "card arrival", "the detected intent names the topic when the router gave none")
        #expect(mirror.offers(for: priya).map(\.conversation) == ["c-1"])
    }

    @Test("an assignment opens work carrying the messages written while it waited")
    func assignmentCarriesTranscript() throws {
        var mirror = RouterMirror()
        _ = mirror.apply(
            type: "conversation.queued", data: conversationEvent("c-1", item: conversationItem("c-1", state: .queued)),
            at: deskTime(0))
        let whileWaiting = mirror.apply(
            type: "conversation.message", data: messageEvent("c-1", number: 1, role: .customer, text: "my card"),
            at: deskTime(1))
        #expect(whileWaiting.isEmpty, "nobody works on a waiting conversation")
        let directives = mirror.apply(
            type: "conversation.assigned",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", state: .assigned, agent: priya, assignedAtSeconds: 5),
                [("agentId", .string(priya.rawValue))]),
            at: deskTime(5))
        #expect(directives.count == 1)
        guard case .assigned(let item, let at, let transcript) = directives.first?.input else {
            Issue.record("expected an assignment, got \(directives)")
            return
        }
        #expect(item.conversation == "c-1")
        #expect(at == deskTime(5))
        #expect(transcript.map(\.text) == ["my card"])
        #expect(mirror.assignedWork(for: priya).map(\.id) == ["c-1"])
    }

    @Test("a customer message reaches the agent of an assigned conversation")
    func messageReachesAgent() {
        var mirror = RouterMirror()
        _ = mirror.apply(
            type: "conversation.assigned",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", state: .assigned, agent: priya),
                [("agentId", .string(priya.rawValue))]),
            at: deskTime(0))
        let directives = mirror.apply(
            type: "conversation.message", data: messageEvent("c-1", number: 1, role: .customer, text: "hello"),
            at: deskTime(1))
        #expect(directives.map(\.agent) == [priya])
        guard case .message(let conversation, let message) = directives.first?.input else {
            Issue.record("expected a message, got \(directives)")
            return
        }
        #expect(conversation == "c-1")
        #expect(message.role == .customer && message.number == 1)
        let repeated = mirror.apply(
            type: "conversation.message", data: messageEvent("c-1", number: 1, role: .customer, text: "hello"),
            at: deskTime(1))
        #expect(repeated.isEmpty, "a message number seen before is not news")
    }

    @Test("a transfer takes the work from the first agent and the next one learns who it came from")
    func transferMovesWork() {
        var mirror = RouterMirror()
        _ = mirror.apply(
            type: "conversation.assigned",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", state: .assigned, agent: priya),
                [("agentId", .string(priya.rawValue))]),
            at: deskTime(0))
        let transferred = mirror.apply(
            type: "conversation.transferred",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", state: .assigned, agent: priya),
                [("fromAgentId", .string(priya.rawValue)), ("toAgentId", .string(tomasz.rawValue))]),
            at: deskTime(10))
        #expect(transferred == [DeskDirective(agent: priya, input: .withdrawn("c-1", reason: .transferred))])
        let assigned = mirror.apply(
            type: "conversation.assigned",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", state: .assigned, agent: tomasz),
                [("agentId", .string(tomasz.rawValue))]),
            at: deskTime(11))
        let toNext = assigned.first { $0.agent == tomasz }
        guard case .assigned(let item, _, _) = toNext?.input else {
            Issue.record("expected an assignment to \(tomasz), got \(assigned)")
            return
        }
        #expect(item.transferredFrom == priya)
    }

    @Test("a close ends the work and the mirror forgets the conversation; wrap-up end goes to the agent")
    func closeAndWrapUp() {
        var mirror = RouterMirror()
        _ = mirror.apply(
            type: "conversation.assigned",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", channel: .voice, state: .assigned, agent: priya),
                [("agentId", .string(priya.rawValue))]),
            at: deskTime(0))
        let closed = mirror.apply(
            type: "conversation.closed",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", channel: .voice, state: .closed, agent: priya),
                [("agentId", .string(priya.rawValue))]),
            at: deskTime(60))
        #expect(closed == [DeskDirective(agent: priya, input: .conversationClosed("c-1"))])
        #expect(mirror.conversation("c-1") == nil)
        let ended = mirror.apply(
            type: "conversation.wrapUpEnded",
            data: conversationEvent(
                "c-1", item: conversationItem("c-1", channel: .voice, state: .closed, agent: priya),
                [("agentId", .string(priya.rawValue)), ("disposition", "completed"), ("timedOut", false)]),
            at: deskTime(90))
        #expect(ended == [DeskDirective(agent: priya, input: .wrapUpEnded("c-1"))])
    }

    @Test("declines, expiries, requeues and abandons withdraw the offer from the agent who held it")
    func offersEnd() {
        var mirror = RouterMirror()
        func offer(_ id: String) {
            _ = mirror.apply(
                type: "conversation.offered",
                data: conversationEvent(
                    id, item: conversationItem(id, state: .offered, agent: priya),
                    [("agentId", .string(priya.rawValue))]),
                at: deskTime(0))
        }
        offer("c-1")
        #expect(
            mirror.apply(
                type: "conversation.declined",
                data: conversationEvent(
                    "c-1", item: conversationItem("c-1", state: .offered, agent: priya),
                    [("agentId", .string(priya.rawValue))]),
                at: deskTime(1)) == [DeskDirective(agent: priya, input: .offerEnded("c-1", reason: .declined))])
        offer("c-2")
        #expect(
            mirror.apply(
                type: "conversation.offerExpired",
                data: conversationEvent(
                    "c-2", item: conversationItem("c-2", state: .offered, agent: priya),
                    [("agentId", .string(priya.rawValue)), ("missedInARow", 1)]),
                at: deskTime(20)) == [DeskDirective(agent: priya, input: .offerEnded("c-2", reason: .expired))])
        offer("c-3")
        #expect(
            mirror.apply(
                type: "conversation.requeued",
                data: conversationEvent(
                    "c-3", item: conversationItem("c-3", state: .queued),
                    [("previousAgentId", .string(priya.rawValue)), ("reason", "agentOffline")]),
                at: deskTime(30)) == [DeskDirective(agent: priya, input: .withdrawn("c-3", reason: .requeued))])
        offer("c-4")
        // The router clears the agent in an abandoned conversation's item: the mirror remembers who held it.
        #expect(
            mirror.apply(
                type: "conversation.abandoned",
                data: conversationEvent(
                    "c-4", item: conversationItem("c-4", state: .abandoned), [("queue", "chat-en-general")]),
                at: deskTime(40)) == [DeskDirective(agent: priya, input: .withdrawn("c-4", reason: .abandoned))])
        #expect(mirror.conversation("c-4") == nil)
    }

    @Test("a snapshot gives open work, offers and the end of each transcript; ended conversations are left out")
    func snapshotLoads() throws {
        var mirror = RouterMirror()
        let messages: [JSON] = (1...12).map { number in
            messageEvent("c-1", number: number, role: number % 2 == 1 ? .customer : .agent, text: "m\(number)")
        }
        let items = [
            SnapshotItem(
                key: "conv.c-1", value: conversationItem("c-1", state: .assigned, agent: priya, messageCount: 12)),
            SnapshotItem(key: "conv.c-2", value: conversationItem("c-2", state: .offered, agent: priya)),
            SnapshotItem(key: "conv.c-3", value: conversationItem("c-3", state: .closed, agent: priya)),
            SnapshotItem(key: "transcript.c-1", value: ["conversationId": "c-1", "messages": .array(messages)]),
            SnapshotItem(key: "transcript.c-3", value: ["conversationId": "c-3", "messages": []]),
            SnapshotItem(
                key: "agent.priya-raman",
                value: [
                    "agentId": "priya-raman", "name": "Priya Raman", "role": "senior-agent", "presence": "available",
                    "load": ["chat": 1], "live": ["chat": 1], "capacity": ["voice": 1, "chat": 2], "awayReason": .null,
                ]),
        ]
        mirror.load(items)
        #expect(mirror.assignedWork(for: priya).map(\.id) == ["c-1"])
        #expect(mirror.offers(for: priya).map(\.conversation) == ["c-2"])
        #expect(mirror.conversation("c-3") == nil)
        #expect(
            mirror.transcript(of: "c-1").map(\.number) == Array(5...12),
            "the last \(RouterMirror.transcriptTailMax) are kept")
        let facts = try #require(mirror.agents[priya])
        #expect(facts.name == "Priya Raman" && facts.presence == "available" && facts.capacity[.chat] == 2)
    }
}
