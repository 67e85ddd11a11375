public import Logging
import SwitchboardBus
import SwitchboardTopology

/// Keeps an agent present at the presence tracker while at least one of their desk pages is
/// open: a heartbeat at once and then every few seconds (the tracker sets Offline after its
/// timeout without one, 15 s by default).
public actor PresenceKeeper {
    private var open: [String: Int] = [:]
    private var loops: [String: Task<Void, Never>] = [:]
    private let commands: BusCommands
    private let intervalSeconds: Double
    private let logger: Logger

    public init(commands: BusCommands, intervalSeconds: Double = 5, logger: Logger) {
        self.commands = commands
        self.intervalSeconds = intervalSeconds
        self.logger = logger
    }

    /// A desk page of `agentId` opened.
    public func opened(_ agentId: String) {
        open[agentId, default: 0] += 1
        guard loops[agentId] == nil else { return }
        let commands = commands
        let interval = intervalSeconds
        let logger = logger
        loops[agentId] = Task {
            while !Task.isCancelled {
                do {
                    _ = try await commands.send(.presence, "presence.heartbeat", data: ["agentId": .string(agentId)])
                } catch {
                    logger.info("presence heartbeat for \(agentId) not taken: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1_000)))
            }
        }
    }

    /// A desk page of `agentId` closed; the heartbeats stop with the last one.
    public func closed(_ agentId: String) {
        let remaining = (open[agentId] ?? 1) - 1
        if remaining > 0 {
            open[agentId] = remaining
        } else {
            open[agentId] = nil
            loops.removeValue(forKey: agentId)?.cancel()
        }
    }

    public func stopAll() {
        for task in loops.values { task.cancel() }
        loops = [:]
        open = [:]
    }
}
