import ArgumentParser
import Logging
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
