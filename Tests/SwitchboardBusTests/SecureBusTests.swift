import Logging
import SwitchboardBus
import Synchronization
import Testing
import ZeroMQ

/// Records the principal each command arrived with.
final class PrincipalLog: Sendable {
    private let seen = Mutex<[String: String?]>([:])

    func handler() -> ClosureCommandHandler {
        ClosureCommandHandler { [self] request in
            seen.withLock { $0[request.id] = .some(request.principal) }
            return .ok(["principal": request.principal.map { .string($0) } ?? .null])
        }
    }

    func principal(of id: String) -> String?? { seen.withLock { $0[id] } }
}

@Suite("The bus with CURVE over tcp loopback")
struct SecureBusTests {
    /// A server process's and a client process's security settings: the client listed as `principal`.
    func pair(principal: String, listed: Bool = true) throws -> (server: BusSecurity, client: BusSecurity) {
        let serverKeys = try CurveKeyPair.generate()
        let clientKeys = try CurveKeyPair.generate()
        let server = BusSecurity(
            keys: serverKeys, allowList: CurveAllowList(listed ? [clientKeys.publicKey: principal] : [:]))
        return (server, BusSecurity(keys: clientKeys))
    }

    @Test("a command over CURVE reaches its handler with the sender's principal, never from the JSON")
    func commandCarriesPrincipal() async throws {
        var (serverSecurity, clientSecurity) = try pair(principal: "desk")
        let serverLoop = try SocketLoop(name: "sb-sec-cmd-s", logger: testLogger)
        let log = PrincipalLog()
        let server = try await CommandServer(
            loop: serverLoop, bind: "tcp://127.0.0.1:*", handler: log.handler(), store: InMemoryCommandReplyStore(),
            logger: testLogger, security: serverSecurity)
        let serving = Task { await server.run() }
        clientSecurity.trustServer(serverSecurity.keys.publicKey, at: [server.endpoint])
        let clientLoop = try SocketLoop(name: "sb-sec-cmd-c", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: server.endpoint, serviceName: "counter", logger: testLogger,
            security: clientSecurity)
        let result = try await client.send(
            "counter.add", data: ["principal": "supervisor"], id: "secure-1", deadlineSeconds: 20)
        #expect(result["principal"] == "desk")
        #expect(log.principal(of: "secure-1") == .some("desk"))
        serverSecurity.allowList = CurveAllowList()  // the value is a copy: the loop's handler is unchanged
        #expect(serverLoop.currentAuthenticator?.allowList.count == 1)
        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test("without security a command's principal is nil")
    func openCommandHasNoPrincipal() async throws {
        let serverLoop = try SocketLoop(name: "sb-open-cmd-s", logger: testLogger)
        let log = PrincipalLog()
        let server = try await CommandServer(
            loop: serverLoop, bind: "tcp://127.0.0.1:*", handler: log.handler(), store: InMemoryCommandReplyStore(),
            logger: testLogger)
        let serving = Task { await server.run() }
        let clientLoop = try SocketLoop(name: "sb-open-cmd-c", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: server.endpoint, serviceName: "counter", logger: testLogger)
        _ = try await client.send("counter.add", id: "open-1", deadlineSeconds: 20)
        #expect(log.principal(of: "open-1") == .some(nil))
        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test("a command client whose key is not listed gets an error naming the endpoint, not a time-out")
    func refusedClient() async throws {
        let (serverSecurity, clientKeys) = try pair(principal: "desk", listed: false)
        var clientSecurity = clientKeys
        let serverLoop = try SocketLoop(name: "sb-sec-ref-s", logger: testLogger)
        let log = PrincipalLog()
        let server = try await CommandServer(
            loop: serverLoop, bind: "tcp://127.0.0.1:*", handler: log.handler(), store: InMemoryCommandReplyStore(),
            logger: testLogger, security: serverSecurity)
        let serving = Task { await server.run() }
        clientSecurity.trustServer(serverSecurity.keys.publicKey, at: [server.endpoint])
        let clientLoop = try SocketLoop(name: "sb-sec-ref-c", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: server.endpoint, serviceName: "router", logger: testLogger,
            security: clientSecurity)
        do {
            _ = try await client.send("counter.add", id: "refused-1", deadlineSeconds: 25)
            Issue.record("an unlisted client's command was answered")
        } catch {
            guard case .refused(let service, let endpoint, _) = error else {
                Issue.record("expected a refusal, got \(error)")
                return
            }
            #expect(service == "router" && endpoint == server.endpoint)
            #expect(error.description.contains(server.endpoint) && error.description.contains("not allowed"))
        }
        #expect(log.principal(of: "refused-1") == nil)
        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test("a command client that has the wrong server key is told to check it when the deadline passes")
    func wrongServerKey() async throws {
        let (serverSecurity, clientKeys) = try pair(principal: "desk")
        var clientSecurity = clientKeys
        let serverLoop = try SocketLoop(name: "sb-sec-wrong-s", logger: testLogger)
        let log = PrincipalLog()
        let server = try await CommandServer(
            loop: serverLoop, bind: "tcp://127.0.0.1:*", handler: log.handler(), store: InMemoryCommandReplyStore(),
            logger: testLogger, security: serverSecurity)
        let serving = Task { await server.run() }
        clientSecurity.trustServer(try CurveKeyPair.generate().publicKey, at: [server.endpoint])
        let clientLoop = try SocketLoop(name: "sb-sec-wrong-c", logger: testLogger)
        let client = try await CommandClient(
            loop: clientLoop, connect: server.endpoint, serviceName: "router", logger: testLogger,
            security: clientSecurity)
        do {
            _ = try await client.send("counter.add", id: "wrong-key-1", deadlineSeconds: 3)
            Issue.record("a client with the wrong server key was answered")
        } catch {
            guard case .refused(_, let endpoint, let reason) = error else {
                Issue.record("expected a refusal, got \(error)")
                return
            }
            #expect(endpoint == server.endpoint)
            #expect(reason.contains("server's public key"))
        }
        #expect(log.principal(of: "wrong-key-1") == nil)
        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
    }

    @Test("a client with no server key for the endpoint is refused at once, naming the endpoint")
    func unknownServerKey() async throws {
        let clientLoop = try SocketLoop(name: "sb-sec-nokey", logger: testLogger)
        let endpoint = "tcp://127.0.0.1:\(freeLoopbackPort())"
        do {
            _ = try await CommandClient(
                loop: clientLoop, connect: endpoint, serviceName: "router", logger: testLogger,
                security: BusSecurity(keys: try CurveKeyPair.generate()))
            Issue.record("a CURVE client opened without the server's key")
        } catch {
            #expect("\(error)".contains(endpoint) && "\(error)".contains("public key"))
        }
        await clientLoop.shutdown()
    }

    @Test("events and a snapshot reach a listed replica over CURVE")
    func replicaOverCurve() async throws {
        let (serverSecurity, clientKeys) = try pair(principal: "monitor")
        var clientSecurity = clientKeys
        let loop = try SocketLoop(name: "sb-sec-auth", logger: testLogger)
        let publisher = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "counters", epoch: 1, logger: testLogger,
            security: serverSecurity)
        let counters = CounterAuthority(publisher: publisher)
        let state = try await SnapshotServer(
            loop: loop, bind: "tcp://127.0.0.1:*", sourceName: "counters", source: counters, logger: testLogger,
            security: serverSecurity)
        let tasks = [
            Task { await state.run() },
            Task { await publisher.runHeartbeats(interval: .milliseconds(100)) },
        ]
        // Before anyone listens: only the snapshot can bring these.
        await counters.run(count: 200, keys: 20, seed: 7)

        clientSecurity.trustServer(serverSecurity.keys.publicKey, at: [publisher.endpoint, state.endpoint])
        var options = Replica.Options()
        options.security = clientSecurity
        let consumerLoop = try SocketLoop(name: "sb-sec-cons", logger: testLogger)
        let replica = Replica(
            loop: consumerLoop, publish: publisher.endpoint, state: state.endpoint, prefixes: ["kv."],
            logger: testLogger, options: options)
        let view = CounterView()
        let following = Task { try? await replica.run { await view.apply($0) } }
        #expect(await eventually(within: 20) { await view.snapshots >= 1 })
        await counters.run(count: 200, keys: 20, seed: 8)
        let expected = await counters.counters
        #expect(await eventually(within: 20) { await view.counters == expected })
        #expect(replica.counts.eventsDelivered > 0)
        following.cancel()
        for task in tasks { task.cancel() }
        await consumerLoop.shutdown()
        await loop.shutdown()
    }

    @Test("a replica whose key is not listed stops with a refusal naming the publisher")
    func refusedReplica() async throws {
        let (serverSecurity, clientKeys) = try pair(principal: "monitor", listed: false)
        var clientSecurity = clientKeys
        let loop = try SocketLoop(name: "sb-sec-auth2", logger: testLogger)
        let publisher = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "counters", epoch: 1, logger: testLogger,
            security: serverSecurity)
        let heartbeats = Task { await publisher.runHeartbeats(interval: .milliseconds(100)) }
        clientSecurity.trustServer(serverSecurity.keys.publicKey, at: [publisher.endpoint])
        var options = Replica.Options()
        options.security = clientSecurity
        let consumerLoop = try SocketLoop(name: "sb-sec-cons2", logger: testLogger)
        let replica = Replica(
            loop: consumerLoop, publish: publisher.endpoint, state: nil, prefixes: ["kv."], logger: testLogger,
            options: options)
        let failures = Mutex<[String]>([])
        let following = Task {
            try? await replica.run { update in
                if case .status(.failed(let reason)) = update { failures.withLock { $0.append(reason) } }
            }
        }
        #expect(await eventually(within: 20) { !failures.withLock { $0 }.isEmpty })
        let reason = failures.withLock { $0.first } ?? ""
        #expect(reason.contains(publisher.endpoint) && reason.contains("not allowed"))
        #expect(replica.counts.eventsDelivered == 0)
        following.cancel()
        heartbeats.cancel()
        await consumerLoop.shutdown()
        await loop.shutdown()
    }
}
