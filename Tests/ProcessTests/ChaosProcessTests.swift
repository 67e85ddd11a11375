import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import Testing

/// The router, the presence tracker and the desk killed with
/// SIGKILL many times during load (`switchboard chaos`, the real binary); the independent
/// checker reports nothing lost, no double assignment, no capacity violation, and a consumer
/// attached halfway through ends with the router's state.
@Suite("Chaos", .serialized)
struct ChaosProcessTests {
    @Test("SIGKILLs of router, presence and desk under load lose nothing and break no invariant")
    func chaos() async throws {
        let seed =
            ProcessInfo.processInfo.environment["SWITCHBOARD_CHAOS_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...1_000_000)
        print("chaos seed \(seed) (replay with SWITCHBOARD_CHAOS_SEED=\(seed))")
        let child = try await ChildProcess(
            name: "chaos", executable: SystemHarness.binary,
            arguments: [
                "chaos", "--topology", SystemHarness.root.appendingPathComponent("Topology/local.yaml").path,
                "--duration", "30", "--every", "3", "--rate", "2", "--seed", "\(seed)", "--json", "--log-level",
                "error",
            ])
        var report: JSON?
        let reader = Task { () -> JSON? in
            for await line in child.lines where line.hasPrefix("{") { return try? JSON(parsing: line) }
            return nil
        }
        let killer = Task {
            try? await Task.sleep(for: .seconds(600))
            child.signal(SIGKILL)
        }
        report = await reader.value
        let status = await child.waitForExit()
        killer.cancel()
        let result = try #require(report, "seed \(seed): chaos printed no report (status \(status))")
        print("chaos report (seed \(seed)): \(result.text)")
        #expect(result["lost"] == 0, "seed \(seed)")
        #expect(result["doubleAssignments"] == 0, "seed \(seed)")
        #expect(result["capacityViolations"] == 0, "seed \(seed)")
        #expect(result["assignedWhenNotAvailable"] == 0, "seed \(seed)")
        #expect(result["lateConsumerConverged"] == true, "seed \(seed)")
        #expect((result["kills"]?.intValue ?? 0) >= 5, "seed \(seed): killed many times")
        #expect((result["acknowledgedConversations"]?.intValue ?? 0) > 10, "seed \(seed): under load")
        #expect(status == 0, "seed \(seed): chaos exits 0 when nothing is violated")
    }
}
