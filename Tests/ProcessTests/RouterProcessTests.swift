import Foundation
import SwitchboardBus
import SwitchboardTopology
import Testing

/// The real binary: `switchboard up` with the router and the presence tracker as processes.
@Suite("Router and presence as processes", .serialized)
struct RouterProcessTests {
    @Test("conversations are assigned with reasons, and a returning customer goes to their sticky owner")
    func assignmentsAndStickiness() async throws {
        let system = try await SystemHarness(services: [.router, .presence])
        do {
            let pids = system.pids
            #expect(pids.count == 2 && Set(pids.values).count == 2, "each service is its own process: \(pids)")
            for agent in ["emily-clarke", "james-walker", "arjun-mehta"] {
                try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
            }
            // Presence reaches the router through the bus; wait until it sees them Available.
            #expect(
                await eventually {
                    ["emily-clarke", "james-walker", "arjun-mehta"].allSatisfy {
                        system.recorder.state(of: .router)["agent.\($0)"]?["presence"] == "available"
                    }
                })
            try await system.send(
                .router, "conversation.open",
                [
                    "conversationId": "c-1", "customerId": "cust-42", "queue": "chat-en-cards",
                    "text": "my new card has not arrived",
                ])
            // chat-en-cards offers first; the agent accepts.
            #expect(await eventually { system.recorder.state(of: .router)["conv.c-1"]?["state"] == "offered" })
            let offered = try #require(system.recorder.events(ofType: "conversation.offered").first)
            let owner = try #require(offered.data["agentId"]?.stringValue)
            try await system.send(.router, "conversation.accept", ["conversationId": "c-1", "agentId": .string(owner)])
            #expect(await eventually { system.recorder.state(of: .router)["conv.c-1"]?["state"] == "assigned" })
            let assigned = try #require(system.recorder.events(ofType: "conversation.assigned").first)
            #expect(assigned.data["agentId"]?.stringValue == owner)
            #expect(assigned.data["rule"] == "skills")
            #expect(assigned.data["reason"]?.stringValue?.isEmpty == false)
            #expect(assigned.data["presence"]?["epoch"]?.intValue ?? 0 >= 1)

            // The customer comes back: the owner is Available and under capacity → sticky.
            try await system.send(.router, "conversation.close", ["conversationId": "c-1"])
            try await system.send(
                .router, "conversation.open",
                ["conversationId": "c-2", "customerId": "cust-42", "queue": "chat-en-cards"])
            #expect(await eventually { system.recorder.state(of: .router)["conv.c-2"]?["state"] == "offered" })
            let second = try #require(system.recorder.events(ofType: "conversation.offered").last)
            #expect(second.data["agentId"]?.stringValue == owner)
            #expect(second.data["rule"] == "sticky")
            #expect(second.data["reason"]?.stringValue?.hasPrefix("Sticky:") == true)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }
}
