import Histogram
import SwitchboardBenchmarks
import Testing

@Suite("Latency histogram")
struct LatencyHistogramTests {
    @Test("a stall at a fixed rate fills in the sends that waited behind it, only in the corrected figures")
    func correctedRecording() {
        // Nine sends of 10 µs every 100 µs, then one that stalled for 1,000 µs.
        var latencies = LatencyHistogram(expectedInterval: 100)
        for _ in 0..<9 { latencies.record(10) }
        latencies.record(1_000)
        #expect(latencies.count == 10)
        #expect(latencies.value(atPercentile: 50) == 10)
        #expect(latencies.maxRecorded == 1_000)
        // The stall stands for nine more sends, of 900, 800, ... 100 µs: half the samples now
        // waited at least 100 µs.
        #expect(latencies.corrected.totalCount == 19)
        #expect(latencies.correctedValue(atPercentile: 50) == 100)
        #expect(latencies.correctedValue(atPercentile: 99) == 1_000)
    }

    @Test("without a rate, the corrected figures are the raw ones; nothing recorded reads as 0")
    func uncorrected() {
        var latencies = LatencyHistogram()
        #expect(latencies.value(atPercentile: 99) == 0 && latencies.maxRecorded == 0)
        for value in [5, 7, 1_000, -3] as [Int64] { latencies.record(value) }
        #expect(latencies.count == 4)
        #expect(latencies.value(atPercentile: 25) == 0, "a negative sample counts as 0")
        #expect(latencies.correctedValue(atPercentile: 99) == latencies.value(atPercentile: 99))
    }
}
