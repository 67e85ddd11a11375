import Hummingbird
import HummingbirdWebSocket
import Logging
public import ServiceLifecycle

/// The gateway's HTTP server (pages, sign-in, sockets, the connector API) as a service of its group.
public struct GatewayHTTPServer: Service {
    let gateway: Gateway

    public init(gateway: Gateway) {
        self.gateway = gateway
    }

    public func run() async throws {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: NotFoundMiddleware(gateway: gateway))
        let webSockets = Router(context: GatewayRequestContext.self)
        gateway.addPageRoutes(to: router)
        gateway.addSocketRoutes(webSockets: webSockets, plain: router)
        gateway.addConnectorRoutes(to: router)
        gateway.addWhatIfRoutes(to: router)
        let logger = gateway.logger
        let refusals = gateway.upgradeRefusals
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSockets,
                configuration: .init(
                    http1: .init(additionalChannelHandlers: [RefusedUpgradeStatusHandler(refusals: refusals)]),
                    ws: .init(maxFrameSize: 1 << 20, autoPing: .enabled(timePeriod: .seconds(30))))),
            configuration: ApplicationConfiguration(
                address: .hostname(gateway.host, port: gateway.port), serverName: "switchboard-gateway"),
            onServerRunning: { channel in
                logger.notice("gateway listening on http://\(gateway.host):\(gateway.port)")
            },
            logger: logger)
        // Open sockets would hold the server's shutdown until their pages leave: close them first.
        let view = gateway.view
        try await withGracefulShutdownHandler {
            try await app.run()
        } onGracefulShutdown: {
            Task { await view.finishAll() }
        }
    }
}

/// Pages for what has no route: an HTML page for a browser, JSON under `/api/`.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let gateway: Gateway

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if request.uri.path.hasPrefix("/api/") {
                return Responses.error(GatewayError("not_found", "no endpoint \(request.method) \(request.uri.path)"))
            }
            return gateway.page(
                "notfound.html", request: request, values: ["error": "There is no page at \(request.uri.path)."],
                status: 404)
        }
    }
}
