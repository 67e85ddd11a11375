import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import Testing

/// The real binary: `switchboard up` with the router, the presence tracker and the monitor as
/// processes (the desk and the summariser are not started: the monitor must show them down).
@Suite("The monitor as a process", .serialized)
struct MonitorProcessTests {
    @Test(
        "whisper and barge: the agent sees the whisper, the customer only the barge; an agent's barge is refused"
    )
    func whisperAndBarge() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .monitor])
        do {
            try await system.send(.presence, "presence.set", ["agentId": "emily-clarke", "status": "available"])
            #expect(
                await eventually {
                    system.recorder.state(of: .router)["agent.emily-clarke"]?["presence"] == "available"
                })
            try await system.send(
                .router, "conversation.open",
                ["conversationId": "c-1", "customerId": "cust-7", "queue": "chat-en-general"])
            // chat-en-general offers first; Emily accepts.
            #expect(await eventually { system.recorder.state(of: .router)["conv.c-1"]?["state"] == "offered" })
            try await system.send(.router, "conversation.accept", ["conversationId": "c-1", "agentId": "emily-clarke"])
            try await system.send(
                .router, "conversation.message",
                [
                    "conversationId": "c-1", "role": "customer", "author": "cust-7",
                    "text": "My card was declined twice today.",
                ])

            let whisperText = "Offer to waive the fee; the decline was our fault."
            let bargeText = "Hello, I am Grace, a supervisor: I will make sure this is put right."
            let whispered = try await system.send(
                .monitor, "supervisor.whisper",
                ["supervisorId": "grace-okafor", "conversationId": "c-1", "text": .string(whisperText)])
            #expect(whispered["kind"] == "whisper")
            #expect(whispered["delivered"]?.arrayValue?.map { $0["audience"] } == ["agent"])
            let barged = try await system.send(
                .monitor, "supervisor.barge",
                ["supervisorId": "grace-okafor", "conversationId": "c-1", "text": .string(bargeText)])
            #expect(barged["kind"] == "barge")

            // What each side of the conversation is given by the router, which owns the transcript.
            let agentSide = try await system.send(
                .router, "conversation.transcript", ["conversationId": "c-1", "as": "agent"])
            let customerSide = try await system.send(
                .router, "conversation.transcript", ["conversationId": "c-1", "as": "customer"])
            let agentTexts = agentSide["messages"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
            let customerTexts = customerSide["messages"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
            #expect(agentTexts.contains(whisperText) && agentTexts.contains(bargeText), "agent sees: \(agentTexts)")
            #expect(customerTexts.contains(bargeText), "customer sees: \(customerTexts)")
            #expect(!customerTexts.contains(whisperText), "the customer must never see the whisper: \(customerTexts)")
            #expect(customerTexts.contains { $0.contains("Grace Okafor") && $0.contains("joined") })
            let whisperMessage = agentSide["messages"]?.arrayValue?.first { $0["text"]?.stringValue == whisperText }
            #expect(whisperMessage?["role"] == "supervisor" && whisperMessage?["audience"] == "agent")

            // An agent may not barge: refused, naming the permission and the role that grants it.
            do {
                try await system.send(
                    .monitor, "supervisor.barge",
                    ["supervisorId": "emily-clarke", "conversationId": "c-1", "text": "I am barging in."])
                Issue.record("an agent's barge was accepted")
            } catch let error as CommandError {
                let failure = try #require(error.failure)
                #expect(failure.code == .forbidden)
                #expect(
                    failure.message.contains("'barge'") && failure.message.contains("'supervisor'"),
                    "\(failure.message)")
            }
            let afterRefusal = try await system.send(
                .router, "conversation.transcript", ["conversationId": "c-1", "as": "customer"])
            #expect(afterRefusal["messages"]?.arrayValue?.count == customerSide["messages"]?.arrayValue?.count)

            // The interventions are the monitor's state: published, and durable across a SIGKILL.
            let key = "monitor.intervention.c-1:grace-okafor"
            #expect(await eventually { system.recorder.state(of: .monitor)[key]?["kind"] == "barge" })
            #expect(system.recorder.state(of: .monitor)["monitor.intervention.c-1:emily-clarke"] == nil)
            #expect(system.recorder.events(ofType: "monitor.supervisorMessage").count == 2)
            let firstPid = system.pids[.monitor]
            let firstEpoch = system.recorder.snapshotEpoch(of: .monitor) ?? 0
            system.kill(.monitor)
            #expect(await eventually(within: 60) { system.pids[.monitor] != firstPid && system.pids[.monitor] != nil })
            // The recorder follows the new run from its snapshot on: an event published before
            // that snapshot is inside it and is never seen as an event.
            #expect(await eventually(within: 30) { (system.recorder.snapshotEpoch(of: .monitor) ?? 0) > firstEpoch })
            let restarted = try await system.send(.monitor, "monitor.view", [:])
            let intervention = restarted["interventions"]?.arrayValue?.first
            #expect(intervention?["supervisorId"] == "grace-okafor" && intervention?["kind"] == "barge")
            #expect(intervention?["messagesSent"] == 2)

            // The conversation ends: so does the intervention.
            try await system.send(.router, "conversation.close", ["conversationId": "c-1"])
            #expect(await eventually(within: 30) { system.recorder.state(of: .monitor)[key] == nil })
            #expect(
                system.recorder.events(ofType: "monitor.interventionEnded").last?.data["reason"] == "conversation-ended"
            )
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test(
        "a supervisor reassigns a chat to another agent and sets an agent Away; an agent may do neither",
        arguments: [false, true])
    func reassignAndSetPresence(secure: Bool) async throws {
        let system = try await SystemHarness(services: [.router, .presence, .monitor], secure: secure)
        do {
            for agent in ["emily-clarke", "daniel-kim"] {
                try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
                #expect(
                    await eventually {
                        system.recorder.state(of: .router)["agent.\(agent)"]?["presence"] == "available"
                    })
            }
            try await system.send(
                .router, "conversation.open",
                ["conversationId": "c-1", "customerId": "cust-7", "queue": "chat-en-general"])
            #expect(await eventually { system.recorder.state(of: .router)["conv.c-1"]?["state"] == "offered" })
            let offeredTo = try #require(system.recorder.state(of: .router)["conv.c-1"]?["agentId"]?.stringValue)
            try await system.send(
                .router, "conversation.accept", ["conversationId": "c-1", "agentId": .string(offeredTo)])
            let other = offeredTo == "emily-clarke" ? "daniel-kim" : "emily-clarke"

            // An agent may not reassign, nor set anyone's presence.
            for (type, data) in [
                (
                    "supervisor.reassign",
                    ["supervisorId": "emily-clarke", "conversationId": "c-1", "toQueue": "chat-es"]
                ),
                (
                    "supervisor.setPresence",
                    ["supervisorId": "emily-clarke", "agentId": "daniel-kim", "status": "away"]
                ),
            ] as [(String, JSON)] {
                do {
                    try await system.send(.monitor, type, data)
                    Issue.record("an agent's \(type) was accepted")
                } catch let error as CommandError {
                    let failure = try #require(error.failure)
                    #expect(
                        failure.code == .forbidden && failure.message.contains("'supervisor'"), "\(failure.message)")
                }
            }
            #expect(system.recorder.state(of: .router)["conv.c-1"]?["agentId"]?.stringValue == offeredTo)

            let note = "The customer asked for someone who knows business accounts."
            let reassignID = CommandClient.newID()
            let reassigned = try await system.send(
                .monitor, "supervisor.reassign",
                [
                    "supervisorId": "grace-okafor", "conversationId": "c-1", "toAgentId": .string(other),
                    "note": .string(note),
                ], id: reassignID)
            #expect(reassigned["conversationId"] == "c-1" && reassigned["toAgentId"] == .string(other))
            #expect(
                await eventually {
                    let conversation = system.recorder.state(of: .router)["conv.c-1"]
                    return conversation?["agentId"] == .string(other) && conversation?["state"] == "assigned"
                })
            // The router's event (a tool may not ask conversation.explain under CURVE).
            let transfer = system.recorder.events(ofType: "conversation.transferred").last?.data
            #expect(transfer?["toAgentId"] == .string(other) && transfer?["fromAgentId"] == .string(offeredTo))
            #expect(transfer?["note"] == .string("Reassigned by supervisor Grace Okafor: \(note)"))

            let presence = try await system.send(
                .monitor, "supervisor.setPresence",
                ["supervisorId": "grace-okafor", "agentId": .string(offeredTo), "status": "away", "reason": "Coaching"])
            #expect(presence["status"] == "away")
            #expect(presence["reason"] == "Set by supervisor Grace Okafor: Coaching")
            #expect(
                await eventually {
                    system.recorder.state(of: .router)["agent.\(offeredTo)"]?["presence"] == "away"
                })
            if secure {
                // Under CURVE the monitor's forwarded transfer passed the router's table, and both
                // services audited it: the monitor for the supervisor, the router from the monitor.
                let monitorRows = try await system.cli(["audit", "--service", "monitor", "--id", reassignID])
                #expect(
                    monitorRows.contains("grace-okafor") && monitorRows.contains("supervisor.reassign")
                        && monitorRows.contains("accepted"), "\(monitorRows)")
                // The forwarded command's id is the monitor's with a suffix.
                let routerRows = try await system.cli([
                    "audit", "--service", "router", "--id", "\(reassignID):reassign",
                ])
                #expect(
                    routerRows.contains("monitor") && routerRows.contains("conversation.transfer")
                        && routerRows.contains("accepted"), "\(routerRows)")
            }
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("after some traffic the monitor's view matches the router's queues, and shows the services that are down")
    func viewMatchesRouter() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .monitor])
        do {
            for agent in ["emily-clarke", "james-walker"] {
                try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
            }
            #expect(
                await eventually {
                    ["emily-clarke", "james-walker"].allSatisfy {
                        system.recorder.state(of: .router)["agent.\($0)"]?["presence"] == "available"
                    }
                })
            // Spanish chats wait (no Spanish speaker is in), English chats and calls are offered
            // while capacity lasts, and one Spanish customer gives up.
            let traffic: [(String, String)] = [
                ("chat-es", "c-es-1"), ("chat-en-general", "c-en-1"), ("voice-en-general", "c-v-1"),
                ("chat-es", "c-es-2"), ("chat-en-general", "c-en-2"), ("voice-en-general", "c-v-2"),
                ("chat-es", "c-es-3"), ("messaging-en", "c-m-1"), ("voice-en-general", "c-v-3"),
                ("chat-en-general", "c-en-3"), ("chat-fr", "c-fr-1"),
            ]
            for (index, (queue, id)) in traffic.enumerated() {
                try await system.send(
                    .router, "conversation.open",
                    ["conversationId": .string(id), "customerId": .string("cust-\(index)"), "queue": .string(queue)])
            }
            try await system.send(.router, "conversation.abandon", ["conversationId": "c-es-2"])

            func routerQueues() -> [String: JSON] {
                system.recorder.state(of: .router).filter { $0.key.hasPrefix("queue.") }
            }
            func matches(_ monitorQueues: [String: JSON]) -> Bool {
                let router = routerQueues()
                guard router.count >= 14 else { return false }
                return router.allSatisfy { key, queue in
                    let mine = monitorQueues["monitor.\(key)"]
                    return mine?["waiting"] == queue["waiting"] && mine?["abandoned"] == queue["abandoned"]
                        && mine?["serviceLevel"]?["assigned"] == queue["assigned"]
                }
            }
            // The router's own figures show waiting and abandoned work, so the comparison means something.
            #expect(await eventually { routerQueues()["queue.chat-es"]?["waiting"] == 2 })
            #expect(routerQueues()["queue.chat-es"]?["abandoned"] == 1)
            #expect(
                await eventually { matches(system.recorder.state(of: .monitor)) },
                "monitor: \(system.recorder.state(of: .monitor).filter { $0.key.hasPrefix("monitor.queue.") })")

            // monitor.view answers the same figures.
            var answered: JSON = .null
            #expect(
                await eventually {
                    guard let view = try? await system.send(.monitor, "monitor.view", [:], deadlineSeconds: 5) else {
                        return false
                    }
                    answered = view
                    var items: [String: JSON] = [:]
                    for queue in view["queues"]?.arrayValue ?? [] {
                        if let id = queue["queue"]?.stringValue { items["monitor.queue.\(id)"] = queue }
                    }
                    return matches(items)
                })
            let sources = answered["sources"]?.arrayValue ?? []
            func status(_ service: String) -> String? {
                sources.first { $0["service"]?.stringValue == service }?["status"]?.stringValue
            }
            #expect(status("router") == "live" && status("presence") == "live")
            #expect(status("desk") == "not-heard" && status("summariser") == "not-heard")
            #expect(
                answered["agents"]?.arrayValue?.first { $0["agentId"] == "emily-clarke" }?["presence"] == "available")
            // The Spanish chats need a skill no Available agent has: the router's alert is on the view.
            #expect(answered["alerts"]?.arrayValue?.contains { $0["kind"] == "skill-too-rare" } == true)

            // `switchboard monitor --once --json` prints that view.
            let once = try await ChildProcess(
                name: "monitor-once", executable: SystemHarness.binary,
                arguments: ["monitor", "--once", "--json", "--topology", system.topologyFile])
            var printed: [String] = []
            for await line in once.lines { printed.append(line) }
            #expect(await once.waitForExit() == 0)
            let document = try JSON(parsing: printed.joined())
            let waitingES = document["queues"]?.arrayValue?.first { $0["queue"] == "chat-es" }?["waiting"]
            #expect(waitingES == routerQueues()["queue.chat-es"]?["waiting"])
            #expect(document["queues"]?.arrayValue?.count == 15)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }
}
