import ArgumentParser
import Logging
import SwitchboardBus
import SwitchboardServiceKit
import SwitchboardTopology
import Synchronization

/// `--topology FILE`, shared by every command.
struct TopologyOptions: ParsableArguments {
    @Option(name: .long, help: "The deployment topology (YAML).")
    var topology: String = Topology.defaultFile

    /// Loads the file, turning a refusal into a clean exit with the reason.
    func load() throws -> Topology {
        do {
            return try Topology.load(file: topology)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// `--log-level`, shared by every command.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "unknown log level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
    }

    /// Sends log lines to standard error, once per process.
    func bootstrap(label: String) -> Logger {
        LogSetup.bootstrapOnce(level: Logger.Level(rawValue: logLevel) ?? .info)
        return Logger(label: label)
    }
}

/// Only executables bootstrap logging, and only once (swift-log refuses a second time).
enum LogSetup {
    private static let done = Atomic<Bool>(false)

    static func bootstrapOnce(level: Logger.Level) {
        guard !done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// `--principal NAME`: who a tool connects to a running system as, when the topology has CURVE
/// keys. Each command has its own default (simulator, tap, operator, ...).
struct PrincipalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Connect as this principal of the topology's security section (its NAME.key in the keys directory).",
            discussion: "The default is the command's own: simulator for simulate and demo, tap for tap, operator "
                + "for reload, explain, chaos, desk show and monitor --once/--watch. Ignored when the topology has "
                + "no CURVE keys."))
    var principal: String?

    /// The bus security of the principal named (or `defaultPrincipal`); nil when the sockets are open.
    func security(_ topology: Topology, defaultPrincipal: String, logger: Logger) throws
        -> BusSecurity?
    {
        do {
            return try ProcessSecurity.load(
                principal: principal ?? defaultPrincipal, topology: topology, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
