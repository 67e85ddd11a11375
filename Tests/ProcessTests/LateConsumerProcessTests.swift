import Foundation
import Glibc
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
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
        // Each child writes to a file, and its end is seen by polling its pid: the test
        // depends on no pipe or exit notification arriving while other tests start processes.
        var children: [OutputChild] = []
        do {
            let load = try await OutputChild(
                "simulate", in: system,
                [
                    SystemHarness.binary, "simulate", "--topology", system.topologyFile, "--duration", "20", "--json",
                    "--agents-through", "desk", "--log-level", "warning", "--rate", "3", "--seed", "11",
                ])
            children.append(load)
            // Attach once the run is well under way: conversations have been assigned already.
            #expect(
                await eventually(within: 60) {
                    system.recorder.all.filter { $0.type == "conversation.assigned" }.count >= 5
                }, "no assignments to attach after")
            let tap = try await OutputChild(
                "tap", in: system,
                [
                    SystemHarness.binary, "tap", "--topology", system.topologyFile, "--service", "router",
                    "--log-level", "warning",
                ])
            children.append(tap)
            let python = try await OutputChild(
                "late_consumer", in: system,
                [
                    "/usr/bin/env", "python3", Self.example, system.topologyFile, "router", "--quiet", "4", "--seconds",
                    "170",
                ])
            children.append(python)

            #expect(await load.ended(within: 170), "simulate did not end")
            let summary = try JSON(parsing: load.output.last(where: { $0.hasPrefix("{") }) ?? "")
            #expect(summary["invariants"]?["violationCount"] == 0, "\(summary["invariants"]?.text ?? "")")
            // The Python consumer stops by itself four seconds after the last event.
            #expect(await python.ended(within: 60), "the pyzmq consumer did not stop")
            let pythonLine = python.output.last(where: { $0.hasPrefix("{") })
            #expect(pythonLine != nil, "python3 printed no state (run `make test-deps` for pyzmq and PyYAML)")
            let pythonResult = try JSON(parsing: pythonLine ?? "")
            var pythonState: [String: JSON] = [:]
            for member in pythonResult["state"]?.objectValue ?? JSONObject() { pythonState[member.key] = member.value }
            tap.process.signal(SIGTERM)
            if !(await tap.ended(within: 10)) { tap.process.signal(SIGKILL) }
            #expect(await tap.ended(within: 10))
            let tapState = Self.replay(tap.output)

            // Both consumers hold exactly the router's state as recorded from the start.
            let router = system.recorder.state(of: .router)
            #expect(router.count > 20, "the router's state is too small to mean anything: \(router.count)")
            let routerEpoch = system.recorder.all.last { $0.service == .router }?.epoch
            #expect(pythonResult["epoch"]?.intValue.map { UInt64($0) } == routerEpoch)
            let pythonDifferences = Self.differences(router, pythonState)
            #expect(
                pythonDifferences.isEmpty, "the pyzmq consumer differs from the router: \(pythonDifferences.prefix(5))")
            let tapDifferences = Self.differences(router, tapState)
            #expect(tapDifferences.isEmpty, "tap differs from the router: \(tapDifferences.prefix(5))")

            // And that state is what the supervisor sees: queues and agents, figure for figure.
            var mismatches: [String] = []
            let matched = await eventually(within: 40) {
                guard
                    let monitor = try? await OutputChild(
                        "monitor-once", in: system,
                        [SystemHarness.binary, "monitor", "--once", "--json", "--topology", system.topologyFile])
                else { return false }
                children.append(monitor)
                guard await monitor.ended(within: 20), let view = try? JSON(parsing: monitor.output.joined()) else {
                    mismatches = ["monitor --once printed no view"]
                    return false
                }
                mismatches = Self.compare(consumer: tapState, monitor: view)
                return mismatches.isEmpty
            }
            #expect(matched, "monitor --once differs from the late consumers: \(mismatches.prefix(8))")
        } catch {
            Issue.record("\(error)")
        }
        for child in children where !child.hasEnded { child.process.signal(SIGKILL) }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
        #expect(children.allSatisfy { $0.hasEnded }, "children left behind")
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
                let consumer = agent["presence"]?.text ?? "-"
                mismatches.append("\(key) routing: consumer \(consumer), monitor \(mine["routing"]?.text ?? "-")")
            }
            for channel in mine["channels"]?.arrayValue ?? [] {
                guard let name = channel["channel"]?.stringValue else { continue }
                if channel["load"] != agent["load"]?[name] {
                    let consumer = agent["load"]?[name]?.text ?? "-"
                    let monitor = channel["load"]?.text ?? "-"
                    mismatches.append("\(key) \(name) load: consumer \(consumer), monitor \(monitor)")
                }
            }
        }
        if agents.isEmpty { mismatches.append("no agent items in the consumer's state") }
        return mismatches
    }
}

/// A child process of the test whose standard output goes to a file (read once it has ended).
final class OutputChild: Sendable {
    let process: ChildProcess
    let file: URL

    init(_ name: String, in system: SystemHarness, _ command: [String]) async throws {
        file = system.directory.appendingPathComponent("\(name)-\(UUID().uuidString).out")
        process = try await ChildProcess(
            name: name, executable: "/bin/sh", arguments: ["-c", "exec \"$@\" > \"$SB_OUTPUT\"", "sh"] + command,
            environment: ["SB_OUTPUT": file.path], captureOutput: false)
    }

    var hasEnded: Bool { process.status != nil }

    func ended(within seconds: Double) async -> Bool {
        await eventually(within: seconds) { hasEnded }
    }

    var output: [String] {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
