import SwitchboardBenchmarks
import SwitchboardRouting
import Testing
import TestSupport

@Suite("Routing quality on a simulated clock")
struct QualityBenchmarkTests {
    /// Short enough for a debug build: 20 agents at 80%, 24 batches of 2,000 customers.
    @Test("one queue at 80% occupancy lands within its confidence interval of Erlang C")
    func erlangAgreement() async throws {
        let seed: UInt64 = 11
        let point = try await onOwnThread {
            try QualityBenchmark.erlangPoint(
                agents: 20, occupancy: 0.8, meanHandlingSeconds: 180, targetSeconds: 20, seed: seed,
                halfWidthTarget: 0, batchesMin: 24, batchesMax: 24, batchSize: 2000)
        }
        #expect(point.batches == 24, "seed \(seed): \(point)")
        #expect(point.confidenceHalfWidthPoints > 0 && point.confidenceHalfWidthPoints < 5, "seed \(seed): \(point)")
        #expect(
            abs(point.differencePoints) <= point.confidenceHalfWidthPoints,
            "seed \(seed): simulated \(point.simulatedServiceLevelPercent)% vs \(point.erlangCServiceLevelPercent)%"
        )
        #expect(
            abs(point.simulatedASASeconds - point.erlangCASASeconds) <= point.simulatedASAHalfWidthSeconds,
            "seed \(seed): ASA \(point.simulatedASASeconds) s vs Erlang C \(point.erlangCASASeconds) s")
    }

    @Test("holding for owners brings more returning customers to their owner")
    func holdingReachesOwners() async throws {
        let seed: UInt64 = 5
        let (without, holding) = try await onOwnThread {
            (
                try QualityBenchmark.stickyPoint(
                    method: .mostIdle, holdForOwnerSeconds: nil, customers: 4000, seed: seed),
                try QualityBenchmark.stickyPoint(
                    method: .mostIdle, holdForOwnerSeconds: 60, customers: 4000, seed: seed)
            )
        }
        #expect(without.returningPercent > 20 && without.returningPercent < 40, "seed \(seed): \(without)")
        #expect(holding.reachedOwnerPercent > without.reachedOwnerPercent, "seed \(seed): \(without) \(holding)")
        #expect(holding.returningAverageWaitSeconds > without.returningAverageWaitSeconds, "seed \(seed)")
    }
}
