import Foundation
import SwitchboardBus
import SwitchboardProcesses
import Testing

/// `switchboard bench recovery --load`, the real binary: the router SIGKILLed and restarted
/// under traffic. Each restarted router routes again, nothing the router acknowledged is lost,
/// and the JSON line carries every figure the docs quote. No time is asserted: the figures are
/// the benchmark's to print.
@Suite("Bench recovery", .serialized)
struct BenchRecoveryProcessTests {
    @Test("bench recovery under load: every restarted router routes again and nothing acknowledged is lost")
    func underLoad() async throws {
        let child = try await ChildProcess(
            name: "bench", executable: SystemHarness.binary,
            arguments: [
                "bench", "recovery", "--closed", "50", "--restarts", "2", "--load", "5", "--agents", "5",
                "--between", "1", "--log-level", "error",
            ])
        let reader = Task { () -> JSON? in
            for await line in child.lines where line.hasPrefix("{") { return try? JSON(parsing: line) }
            return nil
        }
        let killer = Task {
            try? await Task.sleep(for: .seconds(600))
            child.signal(SIGKILL)
        }
        let line = await reader.value
        let status = await child.waitForExit()
        killer.cancel()
        let result = try #require(line, "bench recovery printed no JSON line (status \(status))")
        print("bench recovery --load: \(result.text)")
        #expect(status == 0)
        #expect(result["bench"] == "recovery")
        // One figure per restart: each restarted router made a decision (the bench fails otherwise).
        #expect(result["firstAssignmentSeconds"]?.arrayValue?.count == 2)
        #expect(result["firstAnswerSeconds"]?.arrayValue?.count == 2)
        #expect(result["journalSinceCheckpointAtKill"]?.arrayValue?.count == 2)
        for field in [
            "firstAssignmentSecondsMin", "firstAssignmentSecondsMedian", "firstAssignmentSecondsP90",
            "firstAssignmentSecondsMax",
        ] {
            #expect(result[field]?.doubleValue != nil, "\(field)")
        }
        #expect(result["firstAssignmentsOverOneSecond"]?.intValue != nil)
        #expect(result["load"]?["conversationsPerSecondAsked"]?.doubleValue == 5)
        #expect((result["load"]?["conversationsPerSecondOpened"]?.doubleValue ?? 0) > 0)
        // The load ran through the kills, and every acknowledged conversation is still known.
        let acknowledged = result["acknowledgedConversations"]?.intValue ?? 0
        #expect(acknowledged > 0)
        #expect(result["opened"]?.intValue == acknowledged)
        #expect((result["assigned"]?.intValue ?? 0) > 0)
        #expect((result["closedByAgents"]?.intValue ?? 0) > 0)
        #expect(result["closed"] == 50)
        #expect(result["lost"] == 0)
        #expect(result["doubleAssignments"] == 0)
        #expect(result["capacityViolations"] == 0)
        #expect(result["unfinished"] == 0)
    }
}
