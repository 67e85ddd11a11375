import Foundation
import Logging
import Synchronization
import Testing
import ZeroMQ

/// Log lines kept in memory, to check what was logged and how often.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test.captured") { _ in CapturingHandler(log: self) }
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func count(containing text: String) -> Int { lines.withLock { $0.filter { $0.contains(text) }.count } }

    private struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key })")
        }
    }
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 20, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

@Suite("CURVE keys, the ZAP handler and authenticated messages over tcp loopback")
struct CurveTests {
    let logger = Logger(label: "test")

    @Test("Z85 round-trips 32 bytes and refuses text outside its alphabet or of the wrong length")
    func z85() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        let text = try #require(Z85.encode(bytes))
        #expect(text.count == 40)
        #expect(Z85.decode(text) == bytes)
        #expect(Z85.encode([1, 2, 3]) == nil)
        #expect(Z85.decode("abcd") == nil)
        #expect(Z85.decode(String(text.dropLast()) + "\"") == nil)
    }

    @Test("a generated key pair derives its own public key; a mismatched or short key is refused")
    func keyPairs() throws {
        #expect(CurveKeyPair.isSupported)
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.count == 40 && pair.secretKey.count == 40 && pair.publicKey != pair.secretKey)
        #expect(try CurveKeyPair.publicKey(forSecretKey: pair.secretKey) == pair.publicKey)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        let other = try CurveKeyPair.generate()
        #expect(throws: CurveKeyError.mismatchedPair) {
            try CurveKeyPair(publicKey: other.publicKey, secretKey: pair.secretKey)
        }
        #expect(throws: CurveKeyError.wrongLength(role: "secret key", length: 39)) {
            try CurveKeyPair(secretKey: String(pair.secretKey.dropLast()))
        }
    }

    @Test("the ZAP handler allows a listed key as its principal and logs a refusal once per key and address")
    func decisions() throws {
        let captured = CapturedLog()
        let alice = try CurveKeyPair.generate()
        let mallory = try CurveKeyPair.generate()
        let authenticator = CurveAuthenticator(
            allowList: CurveAllowList([alice.publicKey: "alice"]), logger: captured.logger)
        func request(_ key: CurveKeyPair, address: String, domain: String = CurveAuthenticator.defaultDomain)
            -> [[UInt8]]
        {
            [
                Array("1.0".utf8), Array("1".utf8), Array(domain.utf8), Array(address.utf8), [], Array("CURVE".utf8),
                Z85.decode(key.publicKey)!,
            ]
        }
        #expect(authenticator.decide(request(alice, address: "10.0.0.1")).userID == "alice")
        #expect(authenticator.decide(request(alice, address: "10.0.0.1")).statusCode == "200")
        #expect(authenticator.decide(request(mallory, address: "10.0.0.1")).statusCode == "400")
        #expect(authenticator.decide(request(mallory, address: "10.0.0.1")).statusCode == "400")
        #expect(authenticator.decide(request(mallory, address: "10.0.0.2")).statusCode == "400")
        #expect(authenticator.decide(request(alice, address: "10.0.0.1", domain: "other")).statusCode == "400")
        #expect(authenticator.refusedCount == 4)
        #expect(captured.count(containing: "refused a CURVE client: the key is not in the allow-list") == 2)
        #expect(captured.count(containing: mallory.publicKey) == 2)
    }

    struct Server {
        let loop: SocketLoop
        let authenticator: CurveAuthenticator
        let socket: SocketHandle
        let keys: CurveKeyPair
        var endpoint: String { socket.boundEndpoints[0] }
    }

    func startServer(allowing clients: [String: String], log: Logger? = nil) async throws -> Server {
        let loop = try SocketLoop(name: "sb-curve-srv", logger: logger)
        let authenticator = CurveAuthenticator(allowList: CurveAllowList(clients), logger: log ?? logger)
        try await loop.installAuthenticator(authenticator)
        let keys = try CurveKeyPair.generate()
        var options = SocketOptions()
        options.curve = CurveOptions(role: .server, keys: keys)
        let socket = try await loop.open(SocketSpec(type: .router, options: options, bind: ["tcp://127.0.0.1:*"]))
        return Server(loop: loop, authenticator: authenticator, socket: socket, keys: keys)
    }

    func connectClient(to server: Server, keys: CurveKeyPair, loop: SocketLoop) async throws -> SocketHandle {
        var options = SocketOptions()
        options.curve = CurveOptions(role: .client(serverPublicKey: server.keys.publicKey), keys: keys)
        return try await loop.open(SocketSpec(type: .dealer, options: options, connect: [server.endpoint]))
    }

    /// Sends `text` until the server's socket has received something or `seconds` pass.
    func firstMessage(at server: Server, from client: SocketHandle, loop: SocketLoop, text: String) async throws
        -> Message?
    {
        let reader = Task { () -> Message? in
            for await batch in server.socket.inbound {
                if let first = batch.messages.first { return first }
            }
            return nil
        }
        let delivered = await eventually {
            loop.send(Message(Array(text.utf8)), on: client.id)
            try? await Task.sleep(for: .milliseconds(50))
            return server.socket.counters.received > 0
        }
        guard delivered else {
            reader.cancel()
            return nil
        }
        return await reader.value
    }

    @Test("a listed client key gets in, and each of its messages carries its principal as User-Id")
    func listedKey() async throws {
        let alice = try CurveKeyPair.generate()
        let server = try await startServer(allowing: [alice.publicKey: "alice"])
        let clientLoop = try SocketLoop(name: "sb-curve-cli", logger: logger)
        let client = try await connectClient(to: server, keys: alice, loop: clientLoop)
        let message = try #require(try await firstMessage(at: server, from: client, loop: clientLoop, text: "hi"))
        #expect(message.frames.last == Array("hi".utf8))
        #expect(message.userID == "alice")
        #expect(client.handshake.succeededCount >= 1 && client.handshake.refusal == nil)
        #expect(server.authenticator.acceptedCount >= 1)
        await clientLoop.shutdown()
        await server.loop.shutdown()
    }

    @Test("an unlisted key is refused: the client learns why, nothing is delivered, the refusal is logged once")
    func unlistedKey() async throws {
        let captured = CapturedLog()
        let alice = try CurveKeyPair.generate()
        let mallory = try CurveKeyPair.generate()
        let server = try await startServer(allowing: [alice.publicKey: "alice"], log: captured.logger)
        let clientLoop = try SocketLoop(name: "sb-curve-bad", logger: logger)
        let client = try await connectClient(to: server, keys: mallory, loop: clientLoop)
        // A second connection with the same key from the same address: refused too, not logged again.
        let again = try await connectClient(to: server, keys: mallory, loop: clientLoop)
        let refused = await eventually {
            clientLoop.send(Message(Array("let me in".utf8)), on: client.id)
            clientLoop.send(Message(Array("let me in".utf8)), on: again.id)
            try? await Task.sleep(for: .milliseconds(50))
            return client.handshake.refusal != nil && again.handshake.refusal != nil
        }
        #expect(refused)
        #expect(server.authenticator.refusedCount >= 2)
        let refusal = try #require(client.handshake.refusal)
        #expect(refusal.kind == .authentication(statusCode: 400))
        #expect(refusal.endpoint == server.endpoint)
        #expect(refusal.description.contains(server.endpoint) && refusal.description.contains("not allowed"))
        #expect(server.socket.counters.received == 0)
        #expect(captured.count(containing: "refused a CURVE client") == 1)
        await clientLoop.shutdown()
        await server.loop.shutdown()
    }

    @Test("replacing the allow-list revokes a key for new connections")
    func revocation() async throws {
        let alice = try CurveKeyPair.generate()
        let server = try await startServer(allowing: [alice.publicKey: "alice"])
        let clientLoop = try SocketLoop(name: "sb-curve-rev", logger: logger)
        let first = try await connectClient(to: server, keys: alice, loop: clientLoop)
        let message = try await firstMessage(at: server, from: first, loop: clientLoop, text: "before")
        #expect(message?.userID == "alice")

        server.loop.currentAuthenticator?.replaceAllowList(CurveAllowList())
        #expect(server.loop.currentAuthenticator === server.authenticator)
        let second = try await connectClient(to: server, keys: alice, loop: clientLoop)
        let refused = await eventually { second.handshake.refusal != nil }
        #expect(refused)
        #expect(second.handshake.refusal?.kind == .authentication(statusCode: 400))
        await clientLoop.shutdown()
        await server.loop.shutdown()
    }

    @Test("open sockets of a loop with a ZAP handler still connect, and carry no User-Id")
    func openBesideCurve() async throws {
        let server = try await startServer(allowing: [:])
        let open = try await server.loop.open(SocketSpec(type: .router, bind: ["tcp://127.0.0.1:*"]))
        let clientLoop = try SocketLoop(name: "sb-curve-open", logger: logger)
        let client = try await clientLoop.open(SocketSpec(type: .dealer, connect: [open.boundEndpoints[0]]))
        let reader = Task { () -> Message? in
            for await batch in open.inbound {
                if let first = batch.messages.first { return first }
            }
            return nil
        }
        let delivered = await eventually {
            clientLoop.send(Message(Array("open".utf8)), on: client.id)
            try? await Task.sleep(for: .milliseconds(50))
            return open.counters.received > 0
        }
        #expect(delivered)
        let message = delivered ? await reader.value : nil
        reader.cancel()
        #expect(message?.frames.last == Array("open".utf8))
        #expect(message?.userID == nil)
        #expect(server.authenticator.refusedCount == 0)
        await clientLoop.shutdown()
        await server.loop.shutdown()
    }

    @Test("a CURVE server socket is refused on a loop without its ZAP handler")
    func serverNeedsHandler() async throws {
        let loop = try SocketLoop(name: "sb-curve-nozap", logger: logger)
        var options = SocketOptions()
        options.curve = CurveOptions(role: .server, keys: try CurveKeyPair.generate())
        do {
            _ = try await loop.open(SocketSpec(type: .router, options: options, bind: ["tcp://127.0.0.1:*"]))
            Issue.record("a CURVE server opened without a ZAP handler")
        } catch {
            #expect(error.description.contains("installAuthenticator"))
        }
        await loop.shutdown()
    }
}
