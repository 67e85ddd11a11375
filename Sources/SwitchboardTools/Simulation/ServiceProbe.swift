import Foundation
public import Logging
public import SwitchboardBus
public import SwitchboardTopology
import ZeroMQ

/// Asks whether a service of a topology is up: any reply to a command proves it (a refusal
/// such as `unknown_command` included); silence until the deadline says it is not.
public enum ServiceProbe {
    public static func answers(
        _ service: ServiceName, topology: Topology, logger: Logger, seconds: Double, security: BusSecurity? = nil
    ) async -> Bool {
        // A probe's retries and late replies are expected: keep them out of the log.
        var logger = logger
        logger.logLevel = .error
        guard let endpoint = topology.service(service)?.command,
            let loop = try? SocketLoop(name: "sb-probe-io", logger: logger)
        else { return false }
        var answered = false
        if let client = try? await CommandClient(
            loop: loop, connect: endpoint, serviceName: service.rawValue, logger: logger, security: security)
        {
            do {
                _ = try await client.send("\(service.rawValue).status", deadlineSeconds: seconds)
                answered = true
            } catch {
                answered = error.failure != nil
            }
            await client.close()
        }
        await loop.shutdown()
        return answered
    }
}
