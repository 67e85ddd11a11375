import Foundation
import Synchronization

/// Runs an outside program and collects its output without blocking a thread of Swift's
/// concurrency pool: Foundation's handlers read the pipes, a continuation waits for the exit.
final class ExternalProcess: Sendable {
    private final class Shared: Sendable {
        let output = Mutex<[UInt8]>([])
        let errors = Mutex<[UInt8]>([])
        let exit = Mutex<(status: Int32?, waiter: CheckedContinuation<Int32, Never>?)>((nil, nil))
    }

    private let shared = Shared()
    private let process: Mutex<Process?> = Mutex(nil)

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let shared = self.shared
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                shared.output.withLock { $0.append(contentsOf: data) }
            }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                shared.errors.withLock { $0.append(contentsOf: data) }
            }
        }
        process.terminationHandler = { process in
            let waiter = shared.exit.withLock { state -> CheckedContinuation<Int32, Never>? in
                state.status = process.terminationStatus
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: process.terminationStatus)
        }
        try process.run()
        self.process.withLock { $0 = process }
    }

    /// Waits for the program to end (terminating it after `seconds`) and returns its status.
    func wait(killAfter seconds: Double) async -> Int32 {
        let pid = process.withLock { $0?.processIdentifier } ?? 0
        let killer = Task {
            // Cancelled once the program has ended: then its pid may already be someone else's.
            do { try await Task.sleep(for: .milliseconds(Int64(seconds * 1_000))) } catch { return }
            if pid > 0 { kill(pid, SIGTERM) }
        }
        defer { killer.cancel() }
        let shared = self.shared
        let status = await withCheckedContinuation { continuation in
            let done = shared.exit.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiter = continuation
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
        // The pipes may still hold the last bytes for a moment after the exit.
        try? await Task.sleep(for: .milliseconds(100))
        return status
    }

    var standardOutput: [UInt8] { shared.output.withLock { $0 } }
    var standardError: String { String(decoding: shared.errors.withLock { $0 }, as: UTF8.self) }
}
