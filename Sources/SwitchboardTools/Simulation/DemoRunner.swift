import Foundation
public import Logging
public import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// `switchboard demo`: the whole system on this host (`switchboard up` as a child process),
/// the simulation driving it, and a live feed of agents getting conversations with the
/// reason of each decision. It ends by itself after the duration (or on Ctrl-C), stops `up`
/// cleanly and returns the simulation's summary.
public struct DemoRunner: Sendable {
    public let topologyFile: String
    public let topology: Topology
    public let contactCentre: ContactCentre
    public var settings: SimulationSettings
    public let utterances: UtteranceBank
    public let logger: Logger
    /// The services this build can run (a service without its command would only die and be restarted).
    public var services: [ServiceName]
    /// Remove the data directory first, for a run from nothing.
    public var fresh = false
    /// The log level of the services (their lines go to standard error).
    public var serviceLogLevel = "warning"
    /// Where status lines go (what the demo is doing).
    public var status: @Sendable (String) -> Void = { _ in }
    public var feed: (@Sendable (String) -> Void)?
    /// Runs after the data directory is ready and before the services start (the demo seeds the
    /// gateway's passwords there).
    public var prepare: (@Sendable () async throws -> Void)?
    /// CURVE on the demo's own sockets, as its principal (nil: the topology leaves them open).
    public var security: BusSecurity?

    public init(
        topologyFile: String, topology: Topology, contactCentre: ContactCentre, settings: SimulationSettings,
        utterances: UtteranceBank, services: [ServiceName], logger: Logger
    ) {
        self.topologyFile = topologyFile
        self.topology = topology
        self.contactCentre = contactCentre
        self.settings = settings
        self.utterances = utterances
        self.services = services
        self.logger = logger
    }

    public func run(control: SimulationRunner.Control) async throws -> SimulationSummary {
        if fresh { try removeData() }
        try await refuseIfRunning()
        try await prepare?()
        var arguments = ["up", "--topology", topologyFile, "--log-level", serviceLogLevel]
        for service in services { arguments += ["--service", service.rawValue] }
        let up = try await ChildProcess(name: "up", arguments: arguments, captureOutput: false)
        status(
            "started `switchboard up` (pid \(up.pid)) with the \(services.map(\.rawValue).joined(separator: ", ")) "
                + "on \(topology.name); data in "
                    + "\(URL(fileURLWithPath: topology.dataDirectory).standardizedFileURL.path)"
        )
        var settings = settings
        if settings.agentPath == .desk && !services.contains(.desk) { settings.agentPath = .router }

        var runner = SimulationRunner(
            topology: topology, contactCentre: contactCentre, settings: settings, utterances: utterances, logger: logger
        )
        runner.feed = feed
        runner.security = security
        // The router trains its intent model at its first start: give it time.
        runner.readySeconds = 180
        // A demo that lost its `up` stops (the simulation's commands would only time out).
        let stopping = Locked(false)
        let watcher = Task {
            let code = await up.waitForExit()
            if control.requested == .none, !stopping.value {
                status("`switchboard up` exited (status \(code)); stopping the simulation")
                control.request(.abort)
            }
        }
        let summary: SimulationSummary
        do {
            summary = try await runner.run(control: control)
        } catch {
            stopping.withLock { $0 = true }
            _ = await up.stop(graceSeconds: 15)
            throw error
        }
        stopping.withLock { $0 = true }
        status("stopping `switchboard up`")
        let code = await up.stop(graceSeconds: 15)
        watcher.cancel()
        status("`switchboard up` stopped (status \(code))")
        return summary
    }

    /// Removes the topology's data directory (only a directory, never the topology's own folder).
    private func removeData() throws {
        let directory = URL(fileURLWithPath: topology.dataDirectory).standardizedFileURL
        let topologyFolder = URL(fileURLWithPath: topologyFile).deletingLastPathComponent().standardizedFileURL
        guard directory.pathComponents.count > 2, directory != topologyFolder else {
            throw SimulationError("refusing to remove \(directory.path) for --fresh: it is not a data directory")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw SimulationError("\(directory.path) is not a directory; --fresh removes the data directory only")
        }
        // Keys kept under the data directory stay: only the services' state goes.
        let keys = topology.security?.curve.map { URL(fileURLWithPath: $0.keysDirectory).standardizedFileURL }
        if let keys, keys.path.hasPrefix(directory.path + "/") {
            let kept = keys.pathComponents[directory.pathComponents.count]
            for entry in try FileManager.default.contentsOfDirectory(atPath: directory.path) where entry != kept {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(entry))
            }
            status("removed the state in \(directory.path), keeping the keys in \(keys.path) (--fresh)")
            return
        }
        try FileManager.default.removeItem(at: directory)
        status("removed \(directory.path) (--fresh)")
    }

    /// A demo on the ports of a system already running would fight it: say so instead.
    private func refuseIfRunning() async throws {
        guard let endpoint = topology.service(.router)?.command else { return }
        if await ServiceProbe.answers(.router, topology: topology, logger: logger, seconds: 1, security: security) {
            throw SimulationError(
                "a router already answers at \(endpoint): a system runs on this topology's ports. Stop it "
                    + "(Ctrl-C where `switchboard up` runs), or run `switchboard simulate` against it instead")
        }
    }
}
