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
            (1, "8863e64f25d0abaf"), (2, "e0649b2ca684a121"), (3, "bb85e606e5220118"), (4, "34fbcb10eeafe763"),
            (5, "72984e2b664ac31b"), (6, "c37f5472900a83c4"), (7, "a4b5c065fd4addf3"), (8, "e1b5dd3fe4e066a7"),
        ] as [(UInt64, String)])
    func randomScenarioTrace(seed: UInt64, recorded: String) throws {
        var scenario = try Scenario(seed: seed)
        if seed % 2 == 0 {
            // Sizing the tables up front changes no decision.
            scenario.harness.engine.reserveCapacity(openConversations: 5000, customers: 5000)
        }
        for _ in 0..<2000 { scenario.step() }
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
