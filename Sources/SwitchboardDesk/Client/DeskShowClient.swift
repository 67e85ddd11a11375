public import Logging
public import SwitchboardBus
import SwitchboardServiceKit
public import SwitchboardTopology
import ZeroMQ

/// Asks a running desk for one agent's workspace as text (`desk.show`), for
/// `switchboard desk show AGENT`.
public enum DeskShowClient {
    /// The agent's desk rendered `width` columns wide; throws with the desk's refusal or when
    /// the desk does not answer within `deadlineSeconds`.
    public static func text(
        agent: String, topology: Topology, width: Int, deadlineSeconds: Double = 5, logger: Logger,
        security: BusSecurity? = nil
    ) async throws -> String {
        guard let endpoint = topology.service(.desk)?.command else {
            throw RuntimeError("the topology \(topology.file) places no desk with a command endpoint")
        }
        let loop = try SocketLoop(name: "sb-desk-show-io", logger: logger)
        let client = try await CommandClient(
            loop: loop, connect: endpoint, serviceName: "desk", logger: logger, security: security)
        do {
            let result = try await client.send(
                "desk.show", data: ["agentId": .string(agent), "width": .number(width)],
                deadlineSeconds: deadlineSeconds)
            await client.close()
            await loop.shutdown()
            return result["text"]?.stringValue ?? ""
        } catch {
            await client.close()
            await loop.shutdown()
            // The desk's refusal in its own words; otherwise what did not answer.
            throw RuntimeError(error.failure?.message ?? "\(error)")
        }
    }
}
