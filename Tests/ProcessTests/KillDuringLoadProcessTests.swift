import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import Testing

/// Kill any one service with SIGKILL during load: `up` restarts it and the system goes on
/// routing; nothing hangs because a peer died.
@Suite("Killing services during load", .serialized)
struct KillDuringLoadProcessTests {
    static let agents = ["emily-clarke", "james-walker", "arjun-mehta", "kwame-mensah", "jack-wilson", "liam-kelly"]

    /// Opens conversations on a direct-assignment queue, closing each once assigned, until stopped.
    /// Stopping lets the command in flight finish (each is bounded by its deadline): a command
    /// cancelled by the test itself is no failure of the system.
    final class Load: Sendable {
        let opened = Locked(0)
        let failures = Locked<[String]>([])
        private let stopping = Locked(false)
        private let task = Locked<Task<Void, Never>?>(nil)

        func start(_ system: SystemHarness) {
            let opened = self.opened
            let failures = self.failures
            let stopping = self.stopping
            task.withLock {
                $0 = Task {
                    var index = 0
                    while !stopping.value {
                        index += 1
                        let id = "k-\(index)"
                        do {
                            try await system.send(
                                .router, "conversation.open",
                                [
                                    "conversationId": .string(id), "customerId": .string("cust-k-\(index)"),
                                    "queue": "chat-en-general",
                                ],
                                deadlineSeconds: 30)
                            opened.withLock { $0 += 1 }
                        } catch {
                            failures.withLock { $0.append("\(id): \(error)") }
                        }
                        // Agents accept their offers and close what they were given, so capacity frees.
                        for (key, item) in system.recorder.state(of: .router) where key.hasPrefix("conv.k-") {
                            let conversation = JSON.string(String(key.dropFirst(5)))
                            if item["state"] == "offered", let agent = item["agentId"] {
                                _ = try? await system.send(
                                    .router, "conversation.accept", ["conversationId": conversation, "agentId": agent],
                                    deadlineSeconds: 30)
                            } else if item["state"] == "assigned" {
                                _ = try? await system.send(
                                    .router, "conversation.close", ["conversationId": conversation], deadlineSeconds: 30
                                )
                            }
                        }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                }
            }
        }

        func stop() async {
            stopping.withLock { $0 = true }
            await task.withLock { $0 }?.value
        }
    }

    func assignments(_ system: SystemHarness) -> Int {
        system.recorder.events(ofType: "conversation.assigned").count
            + system.recorder.events(ofType: "conversation.offered").count
    }

    @Test(
        "each service SIGKILLed in turn (router, presence, desk, summariser, monitor): up restarts it, routing goes on"
    )
    func killEachService() async throws {
        let system = try await SystemHarness(services: SystemHarness.busServices)
        do {
            for agent in Self.agents {
                try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
            }
            let load = Load()
            load.start(system)
            for service in [ServiceName.router, .presence, .desk, .summariser, .monitor] {
                #expect(await eventually(within: 30) { assignments(system) > 0 })
                let before = assignments(system)
                let pid = system.pids[service]
                system.kill(service)
                #expect(
                    await eventually(within: 30) { system.pids[service] != nil && system.pids[service] != pid },
                    "up restarted the \(service)")
                #expect(
                    await eventually(within: 60) { assignments(system) > before + 3 },
                    "routing went on after the \(service) was killed")
            }
            await load.stop()
            #expect(
                load.failures.value.isEmpty, "every command was answered in the end: \(load.failures.value.prefix(3))")
            #expect(load.opened.value > 0)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty)
    }
}
