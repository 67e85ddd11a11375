import Foundation
import Logging
import SwitchboardBenchmarks
import SwitchboardBus
import SwitchboardStore
import Testing

/// The store benchmark at a tiny size: it measures what it says (every command's events
/// published, none dropped, every case present). `switchboard bench store` runs it for figures.
@Suite("Store benchmark")
struct StoreBenchmarkTests {
    @Test("every case runs and publishes every event of its commands")
    func smallRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-store-bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = StoreBenchmark.Options(directory: directory.path)
        options.batchSizes = [1, 16]
        options.durabilities = [.processCrash]
        options.commandsMax = 64
        options.secondsMax = 30
        options.concurrentCallers = 4
        var logger = Logger(label: "test.store-bench")
        logger.logLevel = .warning
        let result = try await StoreBenchmark.run(options, logger: logger)
        let cases = result["cases"]?.arrayValue ?? []
        #expect(cases.map { $0["case"]?.stringValue } == ["batch", "batch", "concurrent-alone", "concurrent-grouped"])
        for batch in cases.prefix(2) {
            let commands = batch["commands"]?.doubleValue ?? 0
            #expect(commands > 0, "no command committed: \(batch.text)")
            #expect(batch["published"]?.doubleValue == commands * 2, "events lost: \(batch.text)")
            #expect(batch["dropped"]?.doubleValue == 0, "events dropped: \(batch.text)")
        }
        for concurrent in cases.dropFirst(2) {
            #expect((concurrent["commands"]?.doubleValue ?? 0) > 0, "no command committed: \(concurrent.text)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "the run left files")
    }
}
