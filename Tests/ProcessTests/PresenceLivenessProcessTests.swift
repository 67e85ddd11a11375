import Foundation
import SwitchboardBus
import SwitchboardServiceKit
import SwitchboardTopology
import Testing

/// An agent whose client stops sending heartbeats, with the real router and presence tracker:
/// Offline after the timeout, the offer taken back at once, chats after the grace period, the
/// live call kept; the next heartbeat brings the agent back.
@Suite("Presence liveness as processes", .serialized)
struct PresenceLivenessProcessTests {
    /// One agent who can hold a call beside chats, a queue that offers and one that assigns.
    static let centre = """
        version: 1
        name: liveness
        offlineGraceSeconds: 3
        skills:
          language: {english: English}
        queues:
          chat-direct: {name: Chat, channel: chat, requiredSkills: {english: 1}, method: mostIdle}
          chat-offered:
            name: Chat with offers
            channel: chat
            requiredSkills: {english: 1}
            method: mostIdle
            offer: {timeoutSeconds: 600, missedBeforeAway: 3}
          phone: {name: Phone, channel: voice, requiredSkills: {english: 1}, method: mostIdle}
        capacityProfiles:
          everything: {name: Everything, capacity: {voice: 1, chat: 3}}
        roles:
          agent: {name: Agent, queues: [chat-direct, chat-offered, phone], permissions: []}
        agents:
          ana-lima: {name: Ana Lima, role: agent, profile: everything, skills: {english: 3}}
        """

    @Test(
        "no heartbeat: Offline, the offer back at once, the chat after the grace, the call kept; a heartbeat restores")
    func heartbeatsStop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-liveness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let centreFile = directory.appendingPathComponent("centre.yaml").path
        try Self.centre.write(toFile: centreFile, atomically: true, encoding: .utf8)
        let system = try await SystemHarness(
            services: [.router, .presence], heartbeatTimeoutSeconds: 5, contactCentre: centreFile)
        let beating = Locked(true)
        let heartbeats = Task {
            while !Task.isCancelled {
                if beating.value {
                    _ = try? await system.send(
                        .presence, "presence.heartbeat", ["agentId": "ana-lima"], deadlineSeconds: 5)
                }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        do {
            let router = { system.recorder.state(of: .router) }
            try await system.send(.presence, "presence.set", ["agentId": "ana-lima", "status": "available"])
            #expect(await eventually { router()["agent.ana-lima"]?["presence"] == "available" })
            for (id, queue) in [("c-chat", "chat-direct"), ("c-call", "phone"), ("c-offer", "chat-offered")] {
                try await system.send(
                    .router, "conversation.open",
                    ["conversationId": .string(id), "customerId": .string("cust-\(id)"), "queue": .string(queue)])
            }
            #expect(
                await eventually {
                    router()["conv.c-chat"]?["state"] == "assigned" && router()["conv.c-call"]?["state"] == "assigned"
                        && router()["conv.c-offer"]?["state"] == "offered"
                })

            beating.withLock { $0 = false }
            #expect(
                await eventually(within: 30) {
                    system.recorder.state(of: .presence)["presence.ana-lima"]?["status"] == "offline"
                })
            let offline = try #require(
                system.recorder.events(ofType: "presence.changed").last { $0.data["status"] == "offline" })
            #expect(offline.data["reason"] == "no heartbeat for 5 s")
            #expect(await eventually { router()["conv.c-chat"]?["state"] == "queued" }, "the chat after the grace")
            let requeued = system.recorder.events(ofType: "conversation.requeued")
            let offer = try #require(requeued.first { $0.data["conversationId"] == "c-offer" })
            let chat = try #require(requeued.first { $0.data["conversationId"] == "c-chat" })
            #expect(offer.data["reason"] == "agentOffline" && chat.data["reason"] == "agentOffline")
            #expect(offer.seq < chat.seq, "the offer went back first, the chat only when the grace ended")
            #expect(router()["conv.c-call"]?["state"] == "assigned", "a live call stays with its agent")
            #expect(requeued.allSatisfy { $0.data["conversationId"] != "c-call" })

            beating.withLock { $0 = true }
            #expect(
                await eventually(within: 30) {
                    system.recorder.state(of: .presence)["presence.ana-lima"]?["status"] == "available"
                })
            let restored = try #require(
                system.recorder.events(ofType: "presence.changed").last { $0.data["status"] == "available" })
            #expect(restored.data["reason"] == "heartbeats resumed")
            #expect(
                await eventually {
                    router()["agent.ana-lima"]?["presence"] == "available"
                        && router()["conv.c-chat"]?["state"] != "queued"
                },
                "back Available, she is given the waiting chat again")
        } catch {
            Issue.record("\(error)")
        }
        heartbeats.cancel()
        await heartbeats.value
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }
}
