import Foundation
import SwitchboardBus
import SwitchboardServices
import SwitchboardTopology
import Testing

/// Consumers that attach in the middle of a run: `switchboard tap` and the pyzmq example of
/// docs/PROTOCOL.md start while simulated load is flowing, and once it stops each holds the
/// router's state, and that state agrees with the supervisor's view (`monitor --once`).
@Suite("Late consumers under load", .serialized)
struct LateConsumerProcessTests {
    static let example = SystemHarness.root.appendingPathComponent("docs/examples/late_consumer.py").path

    @Test("tap and the pyzmq example started mid-run end with the router's state, equal to the monitor's view")
    func lateConsumersMatchMonitor() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk, .monitor])
        var children: [ChildProcess] = []
        do {
            let load = Task { try await SimulationProcessTests.simulate(system, arguments: ["--rate", "3", "--seed", "11"]) }
            // Attach once the run is well under way: conversations have been assigned already.
            #expect(
                await eventually(within: 60) {
                    system.recorder.all.filter { $0.type == "conversation.assigned" }.count >= 5
                }, "no assignments to attach after")
            let tap = try ChildProcess(
                name: "tap", executable: SystemHarness.binary,
                arguments: ["tap", "--topology", system.topologyFile, "--service", "router", "--log-level", "warning"])
            children.append(tap)
            let tapLines = Task {
                var lines: [String] = []
                for await line in tap.lines { lines.append(line) }
                return lines
            }
            let python = try ChildProcess(
                name: "late_consumer.py", executable: "/usr/bin/env",
                arguments: ["python3", Self.example, system.topologyFile, "router", "--quiet", "4", "--seconds", "170"])
            children.append(python)
            let pythonLines = Task {
                var lines: [String] = []
                for await line in python.lines { lines.append(line) }
                return lines
            }
            let summary = try await load.value
            #expect(summary["invariants"]?["violationCount"] == 0, "\(summary["invariants"]?.text ?? "")")
            // The Python consumer stops by itself four seconds after the last event (and after
            // 170 s at most): its output ends when it does.
            let printed = await pythonLines.value
            #expect(
                await eventually(within: 30) { python.status != nil } && python.status == 0,
                "python3 failed (run `make test-deps` for pyzmq and PyYAML): \(printed.suffix(5))")
            let pythonResult = try JSON(parsing: printed.last(where: { $0.hasPrefix("{") }) ?? "")
            let pythonState = pythonResult["state"]?.objectValue ?? JSONObject()
            _ = await tap.stop()
            let tapState = Self.replay(await tapLines.value)

            // Both consumers hold exactly the router's state as recorded from the start.
            let router = system.recorder.state(of: .router)
            #expect(router.count > 20, "the router's state is too small to mean anything: \(router.count)")
            let routerEpoch = system.recorder.all.last { $0.service == .router }?.epoch
            #expect(pythonResult["epoch"]?.intValue.map { UInt64($0) } == routerEpoch)
            var pythonItems: [String: JSON] = [:]
            for member in pythonState { pythonItems[member.key] = member.value }
            let pythonDifferences = Self.differences(router, pythonItems)
            #expect(pythonDifferences.isEmpty, "the pyzmq consumer differs from the router: \(pythonDifferences.prefix(5))")
            let tapDifferences = Self.differences(router, tapState)
            #expect(tapDifferences.isEmpty, "tap differs from the router: \(tapDifferences.prefix(5))")

            // And that state is what the supervisor sees: queues and agents, figure for figure.
            var mismatches: [String] = []
            let matched = await eventually(within: 30) {
                guard let view = try? await Self.monitorOnce(system) else { return false }
                mismatches = Self.compare(consumer: tapState, monitor: view)
                return mismatches.isEmpty
            }
            #expect(matched, "monitor --once differs from the late consumers: \(mismatches.prefix(8))")
        } catch {
            Issue.record("\(error)")
        }
        for child in children where child.isRunning { _ = await child.stop() }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    /// Builds the state that `tap`'s lines describe: snapshot items, then events carrying a key.
    static func replay(_ lines: [String]) -> [String: JSON] {
        var state: [String: JSON] = [:]
        for line in lines {
            guard let json = try? JSON(parsing: line) else { continue }
            if json["snapshot"] != nil, let key = json["key"]?.stringValue {
                state[key] = json["value"]
            } else if let key = json["data"]?["key"]?.stringValue {
                let item = json["data"]?["item"]
                if item == nil || item == .null { state.removeValue(forKey: key) } else { state[key] = item }
            }
        }
        return state
    }

    static func differences(_ expected: [String: JSON], _ actual: [String: JSON]) -> [String] {
        var found: [String] = []
        for key in Set(expected.keys).union(actual.keys).sorted() where expected[key] != actual[key] {
            found.append("\(key): router \(expected[key]?.text ?? "absent"), consumer \(actual[key]?.text ?? "absent")")
        }
        return found
    }

    static func monitorOnce(_ system: SystemHarness) async throws -> JSON {
        let once = try ChildProcess(
            name: "monitor-once", executable: SystemHarness.binary,
            arguments: ["monitor", "--once", "--json", "--topology", system.topologyFile])
        var printed: [String] = []
        for await line in once.lines { printed.append(line) }
        guard await once.waitForExit() == 0 else { throw HarnessError("monitor --once failed") }
        return try JSON(parsing: printed.joined())
    }

    /// Queue figures and per-agent routing presence and load, as the consumer's router items
    /// state them and as the monitor's view does.
    static func compare(consumer: [String: JSON], monitor view: JSON) -> [String] {
        var mismatches: [String] = []
        let queues = consumer.filter { $0.key.hasPrefix("queue.") }
        let monitorQueues = view["queues"]?.arrayValue ?? []
        if queues.count != monitorQueues.count {
            mismatches.append("queues: consumer \(queues.count), monitor \(monitorQueues.count)")
        }
        for (key, queue) in queues {
            let id = String(key.dropFirst("queue.".count))
            guard let mine = monitorQueues.first(where: { $0["queue"]?.stringValue == id }) else {
                mismatches.append("\(key) missing from the monitor")
                continue
            }
            if mine["waiting"] != queue["waiting"] || mine["abandoned"] != queue["abandoned"]
                || mine["serviceLevel"]?["assigned"] != queue["assigned"]
            {
                mismatches.append("\(key): consumer \(queue.text), monitor \(mine.text)")
            }
        }
        let agents = consumer.filter { $0.key.hasPrefix("agent.") }
        let monitorAgents = view["agents"]?.arrayValue ?? []
        for (key, agent) in agents {
            let id = String(key.dropFirst("agent.".count))
            guard let mine = monitorAgents.first(where: { $0["agentId"]?.stringValue == id }) else {
                mismatches.append("\(key) missing from the monitor")
                continue
            }
            if mine["routing"] != agent["presence"] {
                mismatches.append("\(key) routing: consumer \(agent["presence"]?.text ?? "-"), monitor \(mine["routing"]?.text ?? "-")")
            }
            for channel in mine["channels"]?.arrayValue ?? [] {
                guard let name = channel["channel"]?.stringValue else { continue }
                if channel["load"] != agent["load"]?[name] {
                    mismatches.append("\(key) \(name) load: consumer \(agent["load"]?[name]?.text ?? "-"), monitor \(channel["load"]?.text ?? "-")")
                }
            }
        }
        if agents.isEmpty { mismatches.append("no agent items in the consumer's state") }
        return mismatches
    }
}
