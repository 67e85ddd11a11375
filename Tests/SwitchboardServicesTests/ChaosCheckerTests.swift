import SwitchboardBus
import SwitchboardRouting
import SwitchboardTools
import SwitchboardWire
import Testing

@Suite("The chaos checker catches what must never happen")
struct ChaosCheckerTests {
    func offered(
        _ conversation: String, to agent: String, presenceSeq: UInt64 = 1, type: String = "conversation.assigned"
    ) -> (String, JSON) {
        (
            type,
            [
                "conversationId": .string(conversation), "agentId": .string(agent), "channel": "chat",
                "presence": ["epoch": 1, "seq": .number(presenceSeq)],
            ]
        )
    }

    /// The router's item of a conversation in `state`.
    func item(_ conversation: String, _ state: ConversationState, agent: String? = "a") -> JSON {
        ConversationItem(
            conversationId: ConversationID(conversation), customerId: "cust-1", channel: .chat, queue: "chat",
            state: state, agentId: agent.map(AgentID.init), openedAt: .zero
        ).json
    }

    func checker() -> ChaosChecker {
        var checker = ChaosChecker()
        checker.event(
            topic: "presence.a.changed", type: "presence.changed", epoch: 1, seq: 1, timestampMicroseconds: 0,
            data: ["agentId": "a", "status": "available"])
        checker.event(
            topic: "presence.b.changed", type: "presence.changed", epoch: 1, seq: 2, timestampMicroseconds: 0,
            data: ["agentId": "b", "status": "available"])
        checker.event(
            topic: "agent.a.load", type: "agent.load", epoch: 1, seq: 1, timestampMicroseconds: 0,
            data: [
                "agentId": "a",
                "item": AgentItem(
                    agentId: "a", name: "A", role: "agent", presence: .available, capacity: ChannelCounts(chat: 1)
                ).json,
            ])
        return checker
    }

    func feed(_ checker: inout ChaosChecker, _ events: [(String, JSON)]) {
        for (index, (type, data)) in events.enumerated() {
            checker.event(
                topic: "conv.x.y", type: type, epoch: 1, seq: UInt64(index + 1), timestampMicroseconds: Int64(index),
                data: data)
        }
    }

    @Test("a clean run has no violation")
    func clean() {
        var checker = checker()
        checker.acknowledgedOpen("c-1")
        feed(
            &checker,
            [
                offered("c-1", to: "a", presenceSeq: 2),
                ("conversation.closed", ["conversationId": "c-1", "item": item("c-1", .closed)]),
                offered("c-2", to: "a", presenceSeq: 2),
            ])
        checker.finish(finalRouterItems: ["conv.c-1": item("c-1", .closed)])
        #expect(checker.violationCount == 0, "\(checker.violations)")
        #expect(checker.assignments == 2)
    }

    @Test("a conversation held by two agents at once is a double assignment")
    func doubleAssignment() {
        var checker = checker()
        feed(&checker, [offered("c-1", to: "a", presenceSeq: 2), offered("c-1", to: "b", presenceSeq: 2)])
        #expect(checker.count(.doubleAssignment) == 1)
    }

    @Test("a second chat to an agent with capacity 1 is over capacity")
    func overCapacity() {
        var checker = checker()
        feed(&checker, [offered("c-1", to: "a", presenceSeq: 2), offered("c-2", to: "a", presenceSeq: 2)])
        #expect(checker.count(.overCapacity) == 1)
    }

    @Test("an assignment relying on a presence event that was not Available is caught")
    func notAvailable() {
        var checker = checker()
        checker.event(
            topic: "presence.a.changed", type: "presence.changed", epoch: 1, seq: 3, timestampMicroseconds: 0,
            data: ["agentId": "a", "status": "away"])
        feed(&checker, [offered("c-1", to: "a", presenceSeq: 3)])
        #expect(checker.count(.notAvailable) == 1)
    }

    @Test("a snapshot's status holds from the snapshot's seq until the agent's next event")
    func snapshotStatusCounts() {
        var checker = ChaosChecker()
        checker.presenceSnapshot(
            [
                "presence.a": ["agentId": "a", "status": "away", "since": 0],
                "presence.b": ["agentId": "b", "status": "available", "since": 0],
            ], epoch: 1, seq: 10)
        checker.event(
            topic: "presence.b.changed", type: "presence.changed", epoch: 1, seq: 11, timestampMicroseconds: 0,
            data: ["agentId": "b", "status": "dnd"])
        checker.event(
            topic: "presence.a.changed", type: "presence.changed", epoch: 1, seq: 12, timestampMicroseconds: 0,
            data: ["agentId": "a", "status": "available"])
        feed(
            &checker,
            [
                offered("c-1", to: "a", presenceSeq: 11), offered("c-2", to: "b", presenceSeq: 10),
                offered("c-3", to: "a", presenceSeq: 12),
            ])
        #expect(checker.count(.notAvailable) == 1, "\(checker.violations)")
        #expect(checker.violations.first?.conversation == "c-1")
        #expect(checker.unverifiablePresence == 0)
    }

    @Test("a stamp inside presence events the checker missed is unverifiable, not a violation")
    func missedPresenceIsUnverifiable() {
        var checker = ChaosChecker()
        // Offline in the first snapshot; the event that made them Available (seq 11) was
        // missed, and by the re-snapshot at 15 they were Offline again.
        checker.presenceSnapshot(["presence.a": ["agentId": "a", "status": "offline", "since": 0]], epoch: 1, seq: 10)
        checker.presenceSnapshot(["presence.a": ["agentId": "a", "status": "offline", "since": 0]], epoch: 1, seq: 15)
        // A stamp from an epoch the checker never saw is unverifiable too.
        feed(&checker, [offered("c-1", to: "a", presenceSeq: 11)])
        checker.event(
            topic: "conv.c-2.assigned", type: "conversation.assigned", epoch: 1, seq: 9, timestampMicroseconds: 9,
            data: ["conversationId": "c-2", "agentId": "a", "channel": "chat", "presence": ["epoch": 2, "seq": 3]])
        #expect(checker.count(.notAvailable) == 0, "\(checker.violations)")
        #expect(checker.unverifiablePresence == 2)
        // At the re-snapshot's own seq the checker knows, and it was not Available.
        feed(
            &checker, [("conversation.requeued", ["conversationId": "c-1"]), offered("c-1", to: "a", presenceSeq: 15)])
        #expect(checker.count(.notAvailable) == 1)
    }

    @Test("an acknowledged conversation missing from the final snapshot is lost")
    func lost() {
        var checker = checker()
        checker.acknowledgedOpen("c-9")
        checker.finish(finalRouterItems: [:])
        #expect(checker.count(.lost) == 1)
    }

    @Test("recovery is the time from a router kill to the first decision of its next epoch")
    func recovery() {
        var checker = ChaosChecker()
        checker.event(
            topic: "conv.c-1.assigned", type: "conversation.assigned", epoch: 1, seq: 1,
            timestampMicroseconds: 1_000_000,
            data: ["conversationId": "c-1", "agentId": "a", "channel": "chat"])
        checker.killed("router", atMicroseconds: 2_000_000)
        checker.event(
            topic: "conv.c-2.assigned", type: "conversation.assigned", epoch: 2, seq: 1,
            timestampMicroseconds: 2_750_000,
            data: ["conversationId": "c-2", "agentId": "b", "channel": "chat"])
        let recovery = checker.recovery()
        #expect(recovery.routerKillToFirstAssignment == [0.75])
        #expect(recovery.longestGapAfterKill == 0.75)
    }
}
