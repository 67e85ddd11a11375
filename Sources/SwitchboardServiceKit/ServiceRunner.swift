public import Logging
public import ServiceLifecycle
import UnixSignals

/// How every process runs its top-level services: in one `ServiceGroup` that SIGTERM and
/// SIGINT shut down gracefully, in the order given (the last one stops first). Beside them, every
/// process gives the memory it freed back to the system (``FreedMemoryReturn``). Each service is
/// named by its type: the group's default name is the service's whole description, which for a
/// service holding a trained model was a string of tens of megabytes, kept for the process's life.
public enum ServiceRunner {
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(
                        service: FreedMemoryReturn(), successTerminationBehavior: .ignore,
                        failureTerminationBehavior: .ignore)
                ] + services.map { .init(service: $0, serviceName: "\(type(of: $0))") },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    public static func run(_ service: some Service, logger: Logger) async throws {
        try await run([service], logger: logger)
    }
}
