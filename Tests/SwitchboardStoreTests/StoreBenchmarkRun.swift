import Foundation
import SwitchboardBus
import SwitchboardStore
import Testing

/// Runs the store benchmark when SWITCHBOARD_STORE_BENCH is set (a measurement, not a test:
/// it asserts nothing about speed and prints the JSON for the record).
/// `SWITCHBOARD_STORE_BENCH=1 swift test -c release --filter StoreBenchmarkRun`
@Suite("Store benchmark (on request)")
struct StoreBenchmarkRun {
    @Test(
        "prints commits/s and events/s for batches of 1, 16 and 256 commands, and group commit",
        .enabled(if: ProcessInfo.processInfo.environment["SWITCHBOARD_STORE_BENCH"] != nil))
    func run() async throws {
        let directory = try TemporaryDirectory()
        let result = try await StoreBenchmark.run(StoreBenchmark.Options(directory: directory.path), logger: testLogger)
        print(result.text)
        #expect(result["cases"]?.arrayValue?.isEmpty == false)
    }
}
