import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouter
import SwitchboardServiceKit
import SwitchboardStore
import SwitchboardTopology
import Testing
import ZeroMQ

/// The command server over CURVE on tcp loopback, in front of the router's guarded core and its
/// durable reply store: whose command an id is decides what a repeat of it gets.
@Suite("Command ids and their senders over CURVE")
struct CommandOwnershipTests {
    @Test("a refusal for the sender does not poison the id, and another sender's repeat gets no stored reply")
    func idsBelongToTheirSender() async throws {
        let logger = GuardedCommandTests.logger
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-ownership-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: directory.appendingPathComponent("router.sqlite").path, source: "router"),
            logger: logger, migrations: RouterJournal.migrate)
        let core = try await RouterCore(
            store: store, settings: sampleSettings(), classifier: nil, logger: logger,
            reloadSettings: { sampleSettings() }, requestPresence: { _ in })
        let running = Task { await core.run() }

        let serverKeys = try CurveKeyPair.generate()
        var clientKeys: [String: CurveKeyPair] = [:]
        for name in ["gateway", "tap", "anna"] { clientKeys[name] = try CurveKeyPair.generate() }
        let allowList = CurveAllowList(
            Dictionary(uniqueKeysWithValues: clientKeys.map { ($0.value.publicKey, $0.key) }))
        let serverLoop = try SocketLoop(name: "sb-own-s", logger: logger)
        let server = try await CommandServer(
            loop: serverLoop, bind: "tcp://127.0.0.1:*",
            handler: GuardedCommandHandler(
                core, service: .router, permissions: CommandPermissions(principals: testPrincipals), store: store,
                logger: logger),
            store: DurableCommandReplyStore(store: store, logger: logger), logger: logger,
            security: BusSecurity(keys: serverKeys, allowList: allowList))
        let serving = Task { await server.run() }
        let clientLoop = try SocketLoop(name: "sb-own-c", logger: logger)
        var clients: [String: CommandClient] = [:]
        for (name, keys) in clientKeys {
            var security = BusSecurity(keys: keys)
            security.trustServer(serverKeys.publicKey, at: [server.endpoint])
            clients[name] = try await CommandClient(
                loop: clientLoop, connect: server.endpoint, serviceName: "router", logger: logger, security: security)
        }
        func send(_ principal: String) async throws -> CommandOutcome {
            let request = CommandRequest(
                id: "open-x", type: "conversation.open",
                data: ["conversationId": "c-x", "customerId": "cust-x", "queue": "chat-en"])
            return try await #require(clients[principal]).send(request, deadlineSeconds: 20).outcome
        }
        func refusal(_ outcome: CommandOutcome) -> CommandFailure? {
            if case .failed(let failure) = outcome { failure } else { nil }
        }

        let fromTap = try await send("tap")
        #expect(refusal(fromTap)?.code == .forbidden)
        #expect(refusal(fromTap)?.message.contains("'tap'") == true)
        // A retry the tap's client sent while the machine was slow may still be in flight, and
        // holds the id until it is answered (rightly refused to the gateway as another sender's);
        // once it is, the refusal left nothing behind and the gateway's command runs.
        var fromGateway = try await send("gateway")
        for _ in 0..<40 where refusal(fromGateway)?.message.contains("another sender") == true {
            try await Task.sleep(for: .milliseconds(250))
            fromGateway = try await send("gateway")
        }
        #expect(fromGateway == .ok(["conversationId": "c-x"]), "the tap's refusal was not stored under the id")
        #expect(try await send("gateway") == fromGateway, "the gateway's retry gets its stored reply")
        let fromAnna = try await send("anna")
        #expect(refusal(fromAnna)?.code == .forbidden)
        #expect(refusal(fromAnna)?.message.contains("another sender") == true, "\(fromAnna)")
        #expect(await core.snapshot(prefix: "conv.").items.map(\.key) == ["conv.c-x"])
        let audit = try await store.auditRecords(commandID: "open-x")
        // A refusal is not stored, so a retry the tap's client sent while the machine was slow is
        // judged (and audited) again; the gateway's retry is answered from the store and reaches
        // no handler, and the other sender's repeat is refused before it.
        let principals = audit.map { $0.principal ?? "nobody" }
        let taps = principals.prefix { $0 == "tap" }.count
        #expect(taps >= 1 && Array(principals.dropFirst(taps)) == ["gateway"], "audited: \(principals)")

        serving.cancel()
        await clientLoop.shutdown()
        await serverLoop.shutdown()
        running.cancel()
        await running.value
        await store.close()
    }
}
