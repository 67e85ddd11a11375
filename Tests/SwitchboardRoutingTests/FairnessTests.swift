import SwitchboardRouting
import Testing

/// Least loaded and round robin weigh the work agents hold now, not what they handled all
/// day: an agent back from a break takes their share, not every new conversation.
@Suite("Fairness of assignment methods")
struct FairnessTests {
    /// a2 and a3 handle twenty conversations while a1 is Away, then each keeps one; a1 comes
    /// back and four conversations arrive.
    static func afterBreak(_ method: AssignmentMethod) throws -> RoutingHarness {
        var harness = try RoutingHarness(Fixture.configuration(queues: [Fixture.queue("chat", method: method)]))
        for id in ["a1", "a2", "a3"] { harness.addAgent(AgentID(id)) }
        harness.setPresence("a1", .away)
        for index in 1...20 {
            harness.advance(to: Double(index))
            harness.open(ConversationID("early\(index)"), queue: "chat")
            if index < 19 { harness.send(.closeConversation(ConversationID("early\(index)"))) }
        }
        harness.advance(to: 100)
        harness.setPresence("a1", .available)
        for index in 1...4 {
            harness.advance(to: 100 + Double(index))
            harness.open(ConversationID("late\(index)"), queue: "chat")
        }
        return harness
    }

    @Test("least loaded: an agent back from a break is not flooded")
    func leastLoadedAfterBreak() throws {
        let harness = try Self.afterBreak(.leastLoaded)
        let late = (1...4).map { harness.agent(of: ConversationID("late\($0)")) }
        #expect(late.filter { $0 == "a1" }.count == 2, "\(late)")
        #expect(["a1", "a2", "a3"].map { harness.engine.agentLoad(AgentID($0))?.load[.chat] } == [2, 2, 2])
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }

    @Test("round robin: an agent back from a break takes one turn, then waits for theirs")
    func roundRobinAfterBreak() throws {
        let harness = try Self.afterBreak(.roundRobin)
        let late = (1...4).map { harness.agent(of: ConversationID("late\($0)")) }
        #expect(late.first == "a1", "\(late)")
        #expect(late.filter { $0 == "a1" }.count == 2, "\(late)")
        #expect(Set(late.dropFirst().prefix(2)) == ["a2", "a3"], "\(late)")
        #expect(harness.violations.isEmpty, "\(harness.violations)")
    }
}
