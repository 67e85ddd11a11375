import Foundation
import SwitchboardRouting
import Testing

/// The engine's decisions, fingerprinted on seeded workloads, against fingerprints recorded
/// from the first complete engine (before any speed work). Speed work must not change one
/// action, reason or refusal: if a fingerprint here changes, behaviour changed. A deliberate
/// change of behaviour re-records them (and says so in its commit).
@Suite("Decision traces stay the same")
struct DecisionTraceTests {
    /// Seeded random scenarios (the ones the invariant tests run): every action and refusal,
    /// then the final state.
    @Test(
        "seeded random scenarios decide exactly as recorded",
        arguments: [
            (1, "0ff1e57fc4a3843c"), (2, "c00b90bd5f79f81f"), (3, "2d09800dc989bd2b"), (4, "3b7f3c12d3c1e521"),
            (5, "82ff8e2c390fc834"), (6, "68255f57dd66e6ab"), (7, "42ad8c3b5f8bf790"), (8, "7e606fb9cccfb4a3"),
        ] as [(UInt64, String)])
    func randomScenarioTrace(seed: UInt64, recorded: String) async throws {
        var scenario = try Scenario(seed: seed)
        if seed % 2 == 0 {
            // Sizing the tables up front changes no decision.
            scenario.harness.engine.reserveCapacity(openConversations: 5000, customers: 5000)
        }
        await scenario.run(steps: 2000)
        var digest = TraceDigest()
        digest.add(actions: scenario.harness.actions, rejection: nil)
        for rejection in scenario.harness.rejections { digest.add(text: "refused: \(rejection)") }
        digest.add(text: try Self.canonicalJSON(scenario.harness.engine.snapshot()))
        #expect(digest.hex == recorded, "seed \(seed): trace \(digest.hex) over \(digest.actionCount) actions")
    }

    static func canonicalJSON(_ snapshot: RoutingSnapshot) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(snapshot), as: UTF8.self)
    }
}
