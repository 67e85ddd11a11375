public import Logging
public import SwitchboardBus
public import SwitchboardTopology
public import SwitchboardWire
public import ZeroMQ

/// A refusal to show a person or a connector: a code of the contract and a sentence.
public struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var field: String?
    /// For `rate_limited`: the seconds to wait (the `Retry-After` header).
    public var retryAfterSeconds: Int?
    /// A service's facts beside the sentence (`queue_closed`: `queue`, `opensAt`, `timeZone`…).
    public var details = JSONObject()

    public init(_ code: String, _ message: String, field: String? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code): \(message)" }

    /// `{"code","message","field"?}` and the service's details.
    public var json: JSON {
        var members = JSONObject([("code", .string(code)), ("message", .string(message))])
        if let field { members["field"] = .string(field) }
        for (key, value) in details where members[key] == nil { members[key] = value }
        return .object(members)
    }

    /// A bus command's failure as the pages see it: the service's own code and message, or
    /// `unavailable` when it did not answer.
    public init(_ error: CommandError) {
        if let failure = error.failure {
            self.init(failure.code.rawValue, failure.message)
            details = failure.details
        } else {
            self.init("unavailable", "\(error)")
        }
    }
}

/// The commands the gateway sends: to the router, the desk, the presence tracker and the monitor,
/// each over its own `CommandClient` (retried with the same id until the deadline, so each is
/// applied once).
public final class BusCommands: Sendable {
    private let clients: [ServiceName: CommandClient]
    /// How long a person's request waits for a service before the page is told to try again.
    public let deadlineSeconds: Double

    public init(
        loop: SocketLoop, topology: Topology, logger: Logger, deadlineSeconds: Double = 10,
        security: BusSecurity? = nil
    ) async throws {
        var clients: [ServiceName: CommandClient] = [:]
        for name in [ServiceName.router, .desk, .presence, .monitor] {
            guard let endpoint = topology.service(name)?.command else { continue }
            clients[name] = try await CommandClient(
                loop: loop, connect: endpoint, serviceName: name.rawValue, logger: logger, security: security)
        }
        self.clients = clients
        self.deadlineSeconds = deadlineSeconds
    }

    /// Sends `type` to `service`; the result, or a `GatewayError` the page can show.
    public func send(
        _ service: ServiceName, _ type: String, data: JSON, id: String = CommandClient.newID()
    ) async throws(GatewayError) -> JSON {
        guard let client = clients[service] else {
            throw GatewayError("unavailable", "this deployment has no \(service.rawValue) in its topology")
        }
        do {
            return try await client.send(type, data: data, id: id, deadlineSeconds: deadlineSeconds)
        } catch {
            throw GatewayError(error)
        }
    }

    /// The conversation's transcript as `audience` (customer, agent, supervisor) sees it.
    public func transcript(_ conversationId: String, as audience: String) async throws(GatewayError)
        -> [TranscriptMessage]
    {
        let result = try await send(
            .router, "conversation.transcript",
            data: ["conversationId": .string(conversationId), "as": .string(audience)])
        return (result["messages"]?.arrayValue ?? []).compactMap { try? TranscriptMessage(json: $0) }
    }

    public func close() async {
        for client in clients.values { await client.close() }
    }
}
