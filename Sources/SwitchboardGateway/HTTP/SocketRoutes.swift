import Hummingbird
import HummingbirdWebSocket
import SwitchboardBus
import SwitchboardTopology

/// The three sockets. An upgrade is refused before it happens (the request then reaches the
/// plain router, which says why): 403 for a foreign `Origin`, 401 without a live session, 403
/// for a role the page is not for.
extension Gateway {
    enum SocketKind: String, CaseIterable {
        case chat, desk, supervisor
    }

    /// Why a socket may not open, or who it opens for (nil for the customer's chat).
    func admit(_ kind: SocketKind, _ request: Request) async -> Result<SignedIn?, GatewayError> {
        guard originAllowed(request) else {
            return .failure(
                GatewayError("forbidden", "this socket opens only from this site's own pages (Origin refused)"))
        }
        if kind == .chat { return .success(nil) }
        let (signedIn, _) = await signedIn(request)
        guard let signedIn else {
            return .failure(
                GatewayError("unauthenticated", "your session has expired or was signed out; sign in again"))
        }
        if kind == .supervisor && !signedIn.person.maySupervise {
            return .failure(
                GatewayError(
                    "forbidden", "Your role '\(signedIn.person.role)' cannot supervise; sign in as a supervisor."))
        }
        return .success(signedIn)
    }

    /// Whether the session still stands (not signed out, expired or revoked).
    func sessionIsLive(_ sessionId: String) async -> Bool {
        (try? await store.session(id: sessionId)) != nil
    }

    func addSocketRoutes(webSockets: Router<GatewayRequestContext>, plain: Router<GatewayRequestContext>) {
        for kind in SocketKind.allCases {
            let path = RouterPath("/\(kind.rawValue)/ws")
            webSockets.ws(
                path,
                shouldUpgrade: { request, context in
                    switch await self.admit(kind, request) {
                    case .success: return .upgrade([:])
                    case .failure(let error):
                        let body: JSON = ["error": error.json]
                        self.upgradeRefusals.refuse(
                            context.channel, .init(status: Responses.httpStatus(for: error.code), body: body.text))
                        return .dontUpgrade
                    }
                },
                onUpgrade: { inbound, outbound, context in
                    guard case .success(let signedIn) = await self.admit(kind, context.request) else { return }
                    let allowed: @Sendable () async -> Bool = {
                        guard let signedIn else { return true }
                        return await self.sessionIsLive(signedIn.sessionId)
                    }
                    switch kind {
                    case .chat:
                        await SocketRunner.run(
                            CustomerSocket(gateway: self), view: self.view, inbound: inbound, outbound: outbound)
                    case .desk:
                        guard let signedIn else { return }
                        await SocketRunner.run(
                            DeskSocket(gateway: self, person: signedIn.person), view: self.view, inbound: inbound,
                            outbound: outbound, allowed: allowed)
                    case .supervisor:
                        guard let signedIn else { return }
                        await SocketRunner.run(
                            SupervisorSocket(gateway: self, person: signedIn.person), view: self.view, inbound: inbound,
                            outbound: outbound, allowed: allowed)
                    }
                })
            // Reached when the upgrade was refused or not asked for: say why.
            plain.get(path) { request, _ in
                switch await self.admit(kind, request) {
                case .failure(let error): return Responses.error(error)
                case .success:
                    return Responses.error(
                        GatewayError("invalid_argument", "this is a WebSocket endpoint; connect with a WebSocket"),
                        status: 426)
                }
            }
        }
    }
}
