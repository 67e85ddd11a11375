import SwitchboardBenchmarks
import SwitchboardRouting
import Testing
import TestSupport

/// The routing benchmark's workload, fingerprinted at a small scale against the fingerprint
/// recorded from the first complete engine: speed work must not change one decision the
/// benchmark times, nor the workload its seed makes.
@Suite("Routing benchmark workload")
struct RoutingBenchmarkTraceTests {
    /// Every agent busy, work waiting, returning customers, ladders, holds and agents freeing
    /// capacity.
    @Test("the benchmark workload decides exactly as recorded")
    func benchmarkTrace() async throws {
        let result = try await onOwnThread {
            let benchmark = RoutingBenchmark(
                parameters: RoutingBenchmark.Parameters(
                    agents: 300, queues: 12, waiting: 6000, decisions: 12000, seed: 7, traceDigest: true))
            return try benchmark.run()
        }
        #expect(result.assignments > 1000, "the workload barely assigned anything: \(result)")
        #expect(result.traceDigest == "58a4b03faba54f18 over 40442 actions", "trace \(result.traceDigest ?? "none")")
        #expect(result.p50Microseconds <= result.p99Microseconds && result.p99Microseconds <= result.maxMicroseconds)
    }
}
