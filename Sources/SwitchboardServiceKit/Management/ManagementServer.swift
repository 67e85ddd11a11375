import Foundation
import Hummingbird
public import Logging
public import ServiceLifecycle
import Synchronization

/// What `/readyz` asks: named checks, each nil when ready or the reason it is not.
public final class Readiness: Sendable {
    private let checks = Mutex<[(name: String, check: @Sendable () async -> String?)]>([])

    public init() {}

    /// Adds a check; `/readyz` answers 200 only when every check returns nil.
    public func add(_ name: String, _ check: @escaping @Sendable () async -> String?) {
        checks.withLock { $0.append((name, check)) }
    }

    /// The reasons for not being ready, one per failing check (empty: ready).
    public func problems() async -> [String] {
        var problems: [String] = []
        for (name, check) in checks.withLock({ $0 }) {
            if let reason = await check() { problems.append("\(name): \(reason)") }
        }
        return problems
    }
}

/// A process's management endpoint, plain HTTP on the topology's `metrics:` address:
/// `GET /metrics` (Prometheus text format), `GET /healthz` (200 while the process runs) and
/// `GET /readyz` (200 when every readiness check passes, 503 with the reasons otherwise).
/// It carries no conversation text and takes no command; put it on a management network.
public struct ManagementServer: Service {
    public let endpoint: String
    let host: String
    let port: Int
    let metrics: ProcessMetrics
    let readiness: Readiness
    let logger: Logger

    /// `endpoint` is `tcp://HOST:PORT` (`tcp://*:PORT` or `tcp://0.0.0.0:PORT` for every interface).
    public init(endpoint: String, metrics: ProcessMetrics, readiness: Readiness, logger: Logger) throws {
        guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":"),
            colon > endpoint.index(endpoint.startIndex, offsetBy: 5),
            let port = Int(endpoint[endpoint.index(after: colon)...]), (0...65_535).contains(port)
        else {
            throw RuntimeError("the metrics endpoint \(endpoint) is not tcp://HOST:PORT; fix metrics: in the topology")
        }
        let host = String(endpoint[endpoint.index(endpoint.startIndex, offsetBy: 6)..<colon])
        self.endpoint = endpoint
        self.host = host == "*" ? "0.0.0.0" : host
        self.port = port
        self.metrics = metrics
        self.readiness = readiness
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        let metrics = self.metrics
        let readiness = self.readiness
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
        router.get("healthz") { _, _ -> Response in
            Self.text(.ok, "ok\n")
        }
        router.get("readyz") { _, _ -> Response in
            let problems = await readiness.problems()
            if problems.isEmpty { return Self.text(.ok, "ready\n") }
            return Self.text(.serviceUnavailable, problems.joined(separator: "\n") + "\n")
        }
        let endpoint = self.endpoint
        let logger = self.logger
        // The server stops by cancellation with its process, which HTTP's own logger reports as
        // errors; a failure to serve is thrown, and reported by the caller.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "switchboard-management"),
            onServerRunning: { _ in logger.info("metrics and health served at \(endpoint) (/metrics /healthz /readyz)")
            },
            logger: serverLogger)
        try await app.run()
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

extension ServicePart {
    /// The management endpoint as a part of a process. A failure to serve (the port taken) ends
    /// the part, and with it the process, loudly.
    public init(serving server: ManagementServer, logger: Logger) {
        self.init(
            "management endpoint \(server.endpoint)",
            run: {
                do {
                    try await server.run()
                } catch {
                    let remedy = "free the port or change metrics: in the topology"
                    logger.error("cannot serve metrics at \(server.endpoint): \(error); \(remedy)")
                }
            })
    }
}
