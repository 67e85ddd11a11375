public import Hummingbird
public import HummingbirdWebSocket
public import NIOCore

/// The request context of every route: Hummingbird's own, the WebSocket upgrade's handler slot,
/// and the peer's address (rate limits per address).
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<GatewayRequestContext>
    public let remoteAddress: SocketAddress?
    /// The connection (a refused socket upgrade notes its status against it).
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The client's address for rate limits (`unknown` when the channel has none).
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Requests larger than this are refused before being read whole (413).
    public var maxUploadSize: Int { 64 * 1024 }
}
