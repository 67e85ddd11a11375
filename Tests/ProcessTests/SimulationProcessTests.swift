import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import Testing

/// `switchboard simulate` as a child process driving the real services under `up` (router,
/// presence tracker, desk; agents act through the desk): the routing invariants checked over
/// the whole recorded event stream, reasons on every assignment, and returning customers
/// reaching their sticky owner.
@Suite("Simulated load through the real processes", .serialized)
struct SimulationProcessTests {
    static let durationSeconds = 20
    /// The run's own bound: arrivals, the drain (30 s at most) and start-up, with room to spare.
    static let runSecondsMax = 150.0

    @Test(
        "simulated customers and agents: reasons given, invariants held, returning customers reach their owner"
    )
    func simulatedLoad() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk])
        do {
            let pids = system.pids
            #expect(pids.count == 3 && Set(pids.values).count == 3, "each service is its own process: \(pids)")
            let summary = try await Self.simulate(system, arguments: ["--rate", "3", "--seed", "42"])

            // What the simulator reports.
            let opened = summary["opened"]?.intValue ?? 0
            #expect(opened >= 30, "about 3 a second for \(Self.durationSeconds) s: \(opened)")
            #expect(summary["openFailed"] == 0)
            #expect(summary["assigned"]?.intValue ?? 0 >= opened / 2, "\(summary.text)")
            #expect(summary["closed"]?.intValue ?? 0 >= 1)
            #expect(summary["returningCustomers"]?.intValue ?? 0 >= 1)
            #expect(
                summary["stickyHits"]?.intValue ?? 0 >= 1, "returning customers reached their owner: \(summary.text)")
            #expect(summary["commandsFailed"] == 0, "\(summary["problems"]?.text ?? "")")
            #expect(summary["unfinished"] == 0)
            #expect(summary["invariants"]?["checked"] == true, "\(summary["invariants"]?.text ?? "")")
            #expect(summary["invariants"]?["violationCount"] == 0, "\(summary["invariants"]?.text ?? "")")

            // What the bus says, recorded by the harness from the start.
            let events = system.recorder.all
            let assigned = events.filter { $0.type == "conversation.assigned" }
            #expect(assigned.count >= opened / 2)
            for event in assigned {
                #expect(
                    event.data["reason"]?.stringValue?.isEmpty == false,
                    "an assignment without a reason: \(event.data.text)")
                #expect(event.data["rule"]?.stringValue.flatMap(RoutingRule.init(name:)) != nil, "\(event.data.text)")
            }
            #expect(events.contains { $0.type == "conversation.message" && $0.data["role"] == "agent" })
            #expect(events.contains { $0.type == "conversation.message" && $0.data["role"] == "customer" })
            #expect(events.contains { $0.type == "conversation.wrapUpEnded" && $0.data["timedOut"] == false })

            // Every invariant over the whole stream, with the checker of the routing library.
            let centre = try system.topology.loadContactCentre()
            let router = events.filter { $0.service == .router }.map(Self.recorded)
            let presence = events.filter { $0.service == .presence }.map(Self.recorded)
            let decoded = RoutingFactDecoder.facts(
                agents: centre.agents, router: router, presence: presence, configuration: centre.routing)
            #expect(decoded.unreadable.isEmpty, "\(decoded.unreadable.prefix(5))")
            var checker = InvariantChecker(configuration: centre.routing, requiresLatestPresence: false)
            let violations = checker.observe(decoded.facts)
            #expect(
                violations.isEmpty,
                "\(violations.count) violations over \(checker.factCount) facts: \(violations.prefix(5))")
            #expect(checker.factCount > opened * 4)
            // None lost: by the events nothing is open at the end, and by the router's state neither.
            #expect(checker.verifyAccounted(by: [], at: .zero).isEmpty, "conversations left open by the events")
            let state = system.recorder.state(of: .router).filter { $0.key.hasPrefix("conv.") }
            #expect(state.count >= opened)
            let stillOpen = state.filter { !["closed", "abandoned"].contains($0.value["state"]?.stringValue ?? "") }
            #expect(stillOpen.isEmpty, "open in the router's state: \(stillOpen.keys.sorted().prefix(5))")

            // A returning customer's sticky assignment goes to the agent of their previous conversation.
            var lastAgent: [String: String] = [:]
            var stickyChecked = 0
            for event in assigned {
                guard let customer = event.data["customerId"]?.stringValue,
                    let agent = event.data["agentId"]?.stringValue
                else { continue }
                if event.data["rule"] == "sticky" {
                    #expect(
                        lastAgent[customer] == agent,
                        "sticky \(event.data.text) but the owner was \(lastAgent[customer] ?? "nobody")")
                    stickyChecked += 1
                }
                lastAgent[customer] = agent
            }
            #expect(stickyChecked >= 1)

            // Agents worked through the desk: it forwarded their accepts and replies, and signed them out.
            let desks = system.recorder.state(of: .desk).filter { $0.key.hasPrefix("desk.") }
            #expect(desks.count == centre.agents.count, "every agent signed in at the desk: \(desks.count)")
            #expect(desks.values.allSatisfy { $0["signedIn"] == false }, "agents left signed in at the desk")
            #expect(
                summary["problems"]?.objectValue?.keys.contains { $0.hasPrefix("desk.") } != true,
                "\(summary["problems"]?.text ?? "")")

            // Agents signed out at the end: Offline at the presence tracker.
            let presenceState = system.recorder.state(of: .presence).filter { $0.key.hasPrefix("presence.") }
            #expect(!presenceState.isEmpty)
            #expect(presenceState.values.allSatisfy { $0["status"] == "offline" }, "agents left signed in")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    /// Runs `switchboard simulate` against the harness's system and returns its JSON summary.
    static func simulate(_ system: SystemHarness, arguments: [String]) async throws -> JSON {
        let child = try await ChildProcess(
            name: "simulate", executable: SystemHarness.binary,
            arguments: [
                "simulate", "--topology", system.topologyFile, "--duration", String(durationSeconds), "--json",
                "--agents-through", "desk", "--log-level", "warning",
            ] + arguments)
        let killer = Task {
            try? await Task.sleep(for: .seconds(runSecondsMax))
            child.signal(SIGKILL)
        }
        var lines: [String] = []
        for await line in child.lines { lines.append(line) }
        let status = await child.waitForExit()
        killer.cancel()
        guard status == 0, let last = lines.last(where: { $0.hasPrefix("{") }) else {
            throw HarnessError(
                "simulate exited with status \(status); its output: \(lines.suffix(20).joined(separator: "\n"))")
        }
        return try JSON(parsing: last)
    }

    static func recorded(_ event: EventRecorder.Recorded) -> RecordedEvent {
        RecordedEvent(
            source: event.service.rawValue, topic: event.topic, type: event.type, epoch: event.epoch, seq: event.seq,
            data: event.data)
    }
}
