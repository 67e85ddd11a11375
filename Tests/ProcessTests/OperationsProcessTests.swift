import Foundation
import Glibc
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardTopology
import Testing

/// What docs/OPERATIONS.md tells an operator to do, done: the systemd unit of a host is valid,
/// and `systemctl reload` (SIGHUP to `up`) reaches every service without stopping any.
@Suite("Operating a host", .serialized)
struct OperationsProcessTests {
    static let systemdAnalyze = "/usr/bin/systemd-analyze"

    @Test(
        "the host's systemd unit passes systemd-analyze verify",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: systemdAnalyze),
            "systemd-analyze is not installed here (Debian's systemd package); skipped"))
    func systemdUnit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let template = try String(
            contentsOfFile: SystemHarness.root.appendingPathComponent("Topology/systemd/switchboard@.service").path,
            encoding: .utf8)
        #expect(template.contains("ExecStart=/usr/local/bin/switchboard up --topology"))
        #expect(template.contains("--host %i"))
        // The unit as installed, with the binary where this checkout built it.
        let unit = directory.appendingPathComponent("switchboard@h1.service").path
        try template.replacingOccurrences(of: "/usr/local/bin/switchboard", with: SystemHarness.binary)
            .write(toFile: unit, atomically: true, encoding: .utf8)
        let verify = try await ChildProcess(
            name: "systemd-analyze", executable: Self.systemdAnalyze, arguments: ["verify", unit], captureErrors: true)
        async let problems = verify.errorLines.reduce(into: [String]()) { $0.append($1) }
        let status = await verify.waitForExit(within: 60)
        let said = await problems
        #expect(status == 0, "systemd-analyze verify: \(said.joined(separator: "\n"))")
    }

    @Test("SIGHUP to up reaches every service, which re-reads its files, and stops none")
    func reloadThroughUp() async throws {
        let system = try await SystemHarness(services: [.router, .presence])
        do {
            let before = system.pids
            #expect(before.count == 2)
            system.signalUp(SIGHUP)
            #expect(
                await eventually { !system.recorder.events(ofType: "router.reloaded").isEmpty },
                "the router re-read the contact centre")
            try await Task.sleep(for: .seconds(1))
            #expect(system.pids == before, "no service was restarted")
            #expect(system.pids.values.allSatisfy { kill($0, 0) == 0 }, "every service still runs")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }
}
