public import Logging
public import ServiceLifecycle
import UnixSignals

/// How every process runs its top-level services: in one `ServiceGroup` that SIGTERM and
/// SIGINT shut down gracefully, in the order given (the last one stops first).
public enum ServiceRunner {
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    public static func run(_ service: some Service, logger: Logger) async throws {
        try await run([service], logger: logger)
    }
}
