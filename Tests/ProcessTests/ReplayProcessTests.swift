import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardTopology
import Testing

/// `switchboard replay` on the store of a real router that routed simulated traffic: every
/// assignment the bus carried is one the replay reproduces, and a bad centre file is refused.
@Suite("Replay of a recorded router store", .serialized)
struct ReplayProcessTests {
    @Test("the replay of a recorded simulation makes exactly the assignments the bus carried")
    func replayReproducesTheBus() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk])
        let copy: String
        do {
            _ = try await SimulationProcessTests.simulate(system, arguments: ["--rate", "3", "--seed", "17"])
        } catch {
            Issue.record("\(error)")
        }
        let assigned = system.recorder.all.filter { $0.type == "conversation.assigned" }.compactMap { event in
            event.data["conversationId"]?.stringValue.flatMap { id in event.data["agentId"]?.stringValue.map { (id, $0) } }
        }
        await system.stop(keepingFiles: true)
        defer { try? FileManager.default.removeItem(at: system.directory) }
        copy = system.directory.appendingPathComponent("router-copy.sqlite").path
        try FileManager.default.copyItem(
            atPath: system.directory.appendingPathComponent("data/router/router.sqlite").path, toPath: copy)
        #expect(assigned.count >= 10, "the simulation assigned conversations: \(assigned.count)")

        let (status, output, _) = try await Self.run(["replay", "--from", copy, "--json", "--decisions"])
        #expect(status == 0)
        let report = try JSON(parsing: output.last { $0.hasPrefix("{") } ?? "{}")
        #expect(report["reproduction"]?["firstDivergence"] == .null, "\(report["reproduction"]?.text ?? "")")
        #expect(report["reproduction"]?["equal"] == report["reproduction"]?["decisions"])
        let replayed = (report["decisions"]?.arrayValue ?? []).filter { $0["offered"] == false }.compactMap { decision in
            decision["conversation"]?.stringValue.flatMap { id in decision["agent"]?.stringValue.map { "\(id) \($0)" } }
        }
        // The bus interleaves the router's events by topic family; each assignment appears once either way.
        #expect(replayed.sorted() == assigned.map { "\($0.0) \($0.1)" }.sorted(), "the replay's assignments are the bus's")

        // A changed centre that does not validate: refused with file, line and key, nothing printed.
        let bad = system.directory.appendingPathComponent("bad-centre.yaml").path
        let source = try String(
            contentsOfFile: SystemHarness.root.appendingPathComponent("Topology/contact-centre.yaml").path,
            encoding: .utf8)
        let broken = source.replacingOccurrences(of: "channel: chat", with: "channel: carrier-pigeon")
        try broken.write(toFile: bad, atomically: true, encoding: .utf8)
        let line = (broken.components(separatedBy: "\n").firstIndex { $0.contains("carrier-pigeon") } ?? -2) + 1
        let chart = system.directory.appendingPathComponent("chart.svg").path
        let refused = try await Self.run(["replay", "--from", copy, "--centre", bad, "--json", "--chart", chart])
        #expect(refused.status != 0)
        #expect(refused.output.allSatisfy { !$0.hasPrefix("{") }, "nothing printed for a refused centre")
        let message = refused.errors.joined(separator: " ")
        #expect(message.contains("\(bad):\(line)"), "\(message)")
        #expect(message.contains(".channel"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: chart), "no chart written for a refused centre")
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: [String], errors: [String]) {
        let child = try await ChildProcess(
            name: "replay", executable: SystemHarness.binary, arguments: arguments, captureErrors: true)
        async let output = child.lines.reduce(into: [String]()) { $0.append($1) }
        async let errors = child.errorLines.reduce(into: [String]()) { $0.append($1) }
        guard let status = await child.waitForExit(within: 120) else {
            _ = await child.stop(graceSeconds: 1)
            throw HarnessError("switchboard \(arguments.joined(separator: " ")) did not end within 120 s")
        }
        return (status, await output, await errors)
    }
}
