import Foundation

/// Runs CPU-bound work that takes seconds (training a model, a long simulation) on a thread of
/// its own and returns its result. Tests run in parallel on the cooperative pool, which has as
/// many threads as the machine has cores (two, here): work that held pool threads for seconds
/// would stall every other test's sockets and timers until their deadlines passed. Expectations
/// stay in the calling test, where the test's context is.
public func onOwnThread<Result: Sendable>(
    _ work: @escaping @Sendable () throws -> Result
) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try work())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.name = "test-work"
        thread.stackSize = 8 << 20
        thread.start()
    }
}
