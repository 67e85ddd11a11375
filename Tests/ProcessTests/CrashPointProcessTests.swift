import Foundation
import SwitchboardBus
import SwitchboardTopology
import Testing

/// The router killed between writing a command and acknowledging it,
/// and after acknowledging but before publishing: the command is applied exactly once.
@Suite("Crash points of the router", .serialized)
struct CrashPointProcessTests {
    func openCommand(_ id: String) -> JSON {
        [
            "conversationId": .string(id), "customerId": "cust-crash", "queue": "chat-en-general",
            "text": "I was charged twice",
        ]
    }

    /// How many times the router's own history says the conversation was queued on opening.
    func openings(_ system: SystemHarness, _ id: String) async throws -> Int {
        let explained = try await system.send(.router, "conversation.explain", ["conversationId": .string(id)])
        return (explained["history"]?.arrayValue ?? []).filter { $0["event"] == "queued" }.count
    }

    @Test("killed after the commit and before the reply: the retried command gets the stored reply, applied once")
    func afterCommit() async throws {
        let system = try await SystemHarness(
            services: [.router, .presence], upArguments: ["--crash-at", "router:after-commit"])
        do {
            let firstPid = try #require(system.pids[.router])
            // The client retries the same id while the router dies and comes back.
            let result = try await system.send(
                .router, "conversation.open", openCommand("c-crash-1"), id: "open-crash-1")
            #expect(result["conversationId"] == "c-crash-1")
            #expect(system.pids[.router] != firstPid, "the router was killed and restarted")
            #expect(try await openings(system, "c-crash-1") == 1)
            // A second copy of the same id long after: the stored reply, still no second effect.
            let again = try await system.send(
                .router, "conversation.open", openCommand("c-crash-1"), id: "open-crash-1")
            #expect(again == result)
            #expect(try await openings(system, "c-crash-1") == 1)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty)
    }

    @Test(
        "killed after the reply, before publishing: applied once; the restarted router publishes the events first"
    )
    func afterAcknowledge() async throws {
        let system = try await SystemHarness(
            services: [.router, .presence], upArguments: ["--crash-at", "router:after-ack"])
        do {
            let firstPid = try #require(system.pids[.router])
            let firstEpoch = system.recorder.heartbeat(of: .router)?.epoch ?? 0
            let result = try await system.send(
                .router, "conversation.open", openCommand("c-crash-2"), id: "open-crash-2")
            #expect(result["conversationId"] == "c-crash-2")
            #expect(system.pids[.router] == firstPid, "the reply came from the first run, before the crash")
            #expect(await eventually(within: 30) { system.pids[.router].map { $0 != firstPid } ?? false })
            // The new run publishes the unpublished outbox first: its heartbeat counts conv
            // events although nothing new was sent.
            #expect(
                await eventually(within: 30) {
                    guard let beat = system.recorder.heartbeat(of: .router) else { return false }
                    return beat.epoch > firstEpoch && (beat.seqs["conv"] ?? 0) >= 2
                })
            #expect(try await openings(system, "c-crash-2") == 1)
            #expect(system.recorder.state(of: .router)["conv.c-crash-2"] != nil)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty)
    }
}
