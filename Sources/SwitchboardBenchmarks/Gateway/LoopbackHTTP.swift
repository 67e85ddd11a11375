import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client for a loopback server: one keep-alive connection, one request at a
/// time. Enough for the gateway benchmark's sign-ins and connector calls; no TLS, no redirects.
enum LoopbackHTTP {
    /// A whole response: status, headers and the body as text.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String

        /// The value a `Set-Cookie` header gives the cookie `name`, if any.
        func cookie(_ name: String) -> String? {
            for value in headers["set-cookie"] {
                let pair = value.split(separator: ";", maxSplits: 1).first ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].drop(while: { $0 == " " }) == name { return String(parts[1]) }
            }
            return nil
        }
    }

    /// The requests of one connection, sent one after the other.
    struct Exchange {
        var responses: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        let requests: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
        let host: String

        /// Sends one request and reads its whole response. It ends, at the latest, when the
        /// server closes the connection (the benchmark stops the server at its end).
        mutating func send(
            _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil
        ) async throws -> Response {
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: host)
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            let bytes = body.map { ByteBuffer(string: $0) }
            head.headers.add(name: "Content-Length", value: String(bytes?.readableBytes ?? 0))
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let bytes { parts.append(.body(.byteBuffer(bytes))) }
            parts.append(.end(nil))
            try await requests.write(contentsOf: parts)
            var status = 0
            var responseHeaders = HTTPHeaders()
            var collected = ByteBuffer()
            while let part = try await responses.next() {
                switch part {
                case .head(let received):
                    status = Int(received.status.code)
                    responseHeaders = received.headers
                case .body(var chunk):
                    collected.writeBuffer(&chunk)
                case .end:
                    return Response(status: status, headers: responseHeaders, body: String(buffer: collected))
                }
            }
            throw BenchmarkError("the gateway closed the connection during \(method) \(path)")
        }
    }

    /// Connects to `127.0.0.1:port` and runs `body` with the connection; closes it afterwards.
    static func withConnection<Result: Sendable>(
        port: Int, _ body: (inout Exchange) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var exchange = Exchange(
                responses: inbound.makeAsyncIterator(), requests: outbound, host: "127.0.0.1:\(port)")
            return try await body(&exchange)
        }
    }
}
