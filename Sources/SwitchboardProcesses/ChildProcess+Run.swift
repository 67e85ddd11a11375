import Glibc
import Subprocess
import SwitchboardServiceKit

extension ChildProcess {
    /// One child's life under swift-subprocess's `run`: report the start, pass the output on as
    /// lines, keep the execution (to signal the child) until the exit, then publish the status.
    struct Run: Sendable {
        let configuration: Configuration
        let executable: String
        let state: Locked<State>
        let started: CheckedContinuation<Int32, any Error>
        /// Where captured output goes (nil when the stream is inherited).
        let output: AsyncStream<String>.Continuation?
        let errors: AsyncStream<String>.Continuation?

        func run() async {
            let status: Int32
            do {
                // The status as a shell reports it: the exit code, or the number of the signal.
                switch try await execute() {
                case .exited(let code): status = code
                case .signaled(let signal): status = signal
                }
            } catch {
                guard state.withLock({ $0.spawned }) else {
                    output?.finish()
                    errors?.finish()
                    started.resume(throwing: SpawnError(what: executable, failure: error))
                    return
                }
                status = -1  // started, but its end could not be watched
            }
            let waiters = state.withLock { state -> [CheckedContinuation<Int32, Never>] in
                state.status = status
                state.send = nil
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }

        /// Each stream is either a sequence of bytes read here or the parent's own, inherited;
        /// the execution's types differ with that choice, hence one call per combination.
        private func execute() async throws -> TerminationStatus {
            switch (output != nil, errors != nil) {
            case (true, true):
                try await Subprocess.run(
                    configuration, input: .currentStandardInput, output: .sequence, error: .sequence
                ) { execution in
                    await supervise(execution, output: execution.standardOutput, errors: execution.standardError)
                }.terminationStatus
            case (true, false):
                try await Subprocess.run(
                    configuration, input: .currentStandardInput, output: .sequence, error: .currentStandardError
                ) { execution in
                    await supervise(execution, output: execution.standardOutput, errors: nil)
                }.terminationStatus
            case (false, true):
                try await Subprocess.run(
                    configuration, input: .currentStandardInput, output: .currentStandardOutput, error: .sequence
                ) { execution in
                    await supervise(execution, output: nil, errors: execution.standardError)
                }.terminationStatus
            case (false, false):
                try await Subprocess.run(
                    configuration, input: .currentStandardInput, output: .currentStandardOutput,
                    error: .currentStandardError
                ) { execution in
                    await supervise(execution, output: nil, errors: nil)
                }.terminationStatus
            }
        }

        /// The body of `run`: while it runs the child is not reaped, so its pid and pidfd stay its own.
        private func supervise<Input: InputProtocol, Output: OutputProtocol, Failure: OutputProtocol>(
            _ execution: Execution<Input, Output, Failure>, output outputBytes: SubprocessOutputSequence?,
            errors errorBytes: SubprocessOutputSequence?
        ) async {
            let pid = execution.processIdentifier.value
            state.withLock { state in
                state.spawned = true
                state.send = { signal in try? execution.send(signal: Signal(rawValue: signal)) }
            }
            started.resume(returning: pid)
            await withTaskGroup(of: Void.self) { group in
                if let outputBytes, let output { group.addTask { await Self.pass(outputBytes, to: output) } }
                if let errorBytes, let errors { group.addTask { await Self.pass(errorBytes, to: errors) } }
            }
            // swift-subprocess ends the reading at the exit (a grandchild holding the pipe does not
            // delay it), but does not let this closure wait for the exit itself: with nothing
            // captured, or once the child closed its output early, look every 20 ms.
            while !Self.hasEnded(pid) {
                do { try await Task.sleep(for: .milliseconds(20)) } catch { break }
            }
            // Before `run` closes the pidfd, which another child's could then reuse.
            state.withLock { $0.send = nil }
        }

        /// Whether the child has ended, without reaping it (swift-subprocess does that).
        private static func hasEnded(_ pid: Int32) -> Bool {
            var info = siginfo_t()
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            // Linux zeroes `info` when the child still runs; an error means it is gone.
            return result != 0 || info.si_signo == SIGCHLD
        }

        /// Splits `bytes` into lines (without their newline) until the output ends; a last line
        /// without a newline comes too.
        private static func pass(_ bytes: SubprocessOutputSequence, to lines: AsyncStream<String>.Continuation) async {
            var pending: [UInt8] = []
            do {
                for try await buffer in bytes {
                    buffer.withUnsafeBytes { pending.append(contentsOf: $0) }
                    var start = 0
                    while let newline = pending[start...].firstIndex(of: 0x0A) {
                        lines.yield(String(decoding: pending[start..<newline], as: UTF8.self))
                        start = newline + 1
                    }
                    while pending.count - start >= lineBytesMax {
                        lines.yield(String(decoding: pending[start..<start + lineBytesMax], as: UTF8.self))
                        start += lineBytesMax
                    }
                    pending.removeFirst(start)
                }
            } catch {
                // A failed read ends the output as its end of file would.
            }
            if !pending.isEmpty { lines.yield(String(decoding: pending, as: UTF8.self)) }
            lines.finish()
        }
    }
}
