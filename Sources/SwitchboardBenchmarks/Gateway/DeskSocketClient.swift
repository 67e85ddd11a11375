import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// One agent's desk socket (`/desk/ws`) over swift-nio's own WebSocket client upgrade: sends
/// the session cookie and the gateway's own `Origin`, asks to be Available, then hands every
/// text message to the tracker until the gateway closes the socket.
enum DeskSocketClient {
    private enum Upgrade: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused
    }

    static func run(port: Int, session: String, agent: Int, tracker: GatewayDeliveryTracker) async throws {
        let upgrade: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
                        maxFrameSize: 1 << 22,
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                .websocket(
                                    try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                                        wrappingChannelSynchronously: channel))
                            }
                        })
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "127.0.0.1:\(port)")
                    headers.add(name: "Origin", value: "http://127.0.0.1:\(port)")
                    headers.add(name: "Cookie", value: "sb_session=\(session)")
                    headers.add(name: "Content-Length", value: "0")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/desk/ws", headers: headers)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture { .refused }
                        })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration))
                }
            }
        guard case .websocket(let socket) = try await upgrade.get() else {
            throw BenchmarkError("the gateway refused agent-\(agent)'s desk socket upgrade (session or Origin)")
        }
        try await socket.executeThenClose { inbound, outbound in
            tracker.socketConnected()
            try await outbound.write(
                text(#"{"type":"presence.set","id":"available","status":"available"}"#))
            var pending = ByteBuffer()
            for try await frame in inbound {
                switch frame.opcode {
                case .text:
                    pending = frame.unmaskedData
                    if frame.fin { tracker.observe(String(buffer: pending)) }
                case .continuation:
                    var data = frame.unmaskedData
                    pending.writeBuffer(&data)
                    if frame.fin { tracker.observe(String(buffer: pending)) }
                case .ping:
                    try await outbound.write(
                        WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
                case .connectionClose:
                    return
                default:
                    break
                }
            }
        }
    }

    /// A client's text frame (masked, as a client's must be).
    private static func text(_ string: String) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: string))
    }
}
