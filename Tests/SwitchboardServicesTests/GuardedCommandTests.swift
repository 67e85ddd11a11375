import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouter
import SwitchboardServiceKit
import SwitchboardStore
import SwitchboardTopology
import Synchronization
import Testing

/// Commands refused by the permission table on the real command path: the router's core and
/// store behind the kit's guard, each command carrying the principal the command server sets.
@Suite("Commands refused for their sender")
struct GuardedCommandTests {
    static let logger: Logger = {
        var logger = Logger(label: "switchboard.guarded-command.test")
        logger.logLevel = .critical
        return logger
    }()

    /// A router core on a fresh store, behind the guard; `body` runs with both, and everything is
    /// closed after.
    func withRouter(_ body: (GuardedCommandHandler, RouterCore, AuthorityStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-guarded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: directory.appendingPathComponent("router.sqlite").path, source: "router"),
            logger: Self.logger, migrations: RouterJournal.migrate)
        let core = try await RouterCore(
            store: store, settings: sampleSettings(), classifier: nil, logger: Self.logger,
            reloadSettings: { sampleSettings() }, requestPresence: { _ in })
        let running = Task { await core.run() }
        let guarded = GuardedCommandHandler(
            core, service: .router, permissions: CommandPermissions(principals: testPrincipals), store: store,
            logger: Self.logger)
        do {
            try await body(guarded, core, store)
        } catch {
            running.cancel()
            await running.value
            await store.close()
            throw error
        }
        running.cancel()
        await running.value
        await store.close()
    }

    /// Sends one command the way the command server does: queued when the handler pipelines.
    func send(
        _ handler: GuardedCommandHandler, _ type: String, _ data: JSON, id: String, from principal: String?
    ) async -> CommandOutcome {
        let command = CommandRequest(id: id, type: type, data: data, principal: principal)
        if let pending = handler.enqueue([command]) { return await pending.value.first ?? .ok(.null) }
        return await handler.handle([command]).first ?? .ok(.null)
    }

    /// The router's conversations, agents and transcripts, as bytes.
    func state(_ core: RouterCore) async -> [SnapshotItem] {
        var items: [SnapshotItem] = []
        for prefix in ["conv.", "agent.", "transcript."] { items += await core.snapshot(prefix: prefix).items }
        return items
    }

    func expectForbidden(
        _ outcome: CommandOutcome, naming principal: String, lacking permission: CommandPermission,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .failed(let failure) = outcome else {
            Issue.record("not refused: \(outcome)", sourceLocation: sourceLocation)
            return
        }
        #expect(failure.code == .forbidden, sourceLocation: sourceLocation)
        #expect(failure.message.contains("'\(principal)'"), "\(failure)", sourceLocation: sourceLocation)
        #expect(failure.message.contains(permission.rawValue), "\(failure)", sourceLocation: sourceLocation)
    }

    @Test("refusals for the sender change nothing, are answered forbidden and are audited")
    func refusalsChangeNothing() async throws {
        try await withRouter { guarded, core, store in
            let opened = await send(
                guarded, "conversation.open", ["conversationId": "c-1", "customerId": "cust-1", "queue": "chat-en"],
                id: "open-1", from: "gateway")
            #expect(opened == .ok(["conversationId": "c-1"]))
            let before = await state(core)
            #expect(before.contains { $0.key == "conv.c-1" } && before.contains { $0.key == "agent.priya" })

            let unknown = await send(
                guarded, "conversation.open", ["conversationId": "c-2", "customerId": "cust-2", "queue": "chat-en"],
                id: "open-2", from: "mallory")
            expectForbidden(unknown, naming: "mallory", lacking: .listedPrincipal)
            let removal = await send(guarded, "agent.remove", ["agentId": "priya"], id: "remove-1", from: "gateway")
            expectForbidden(removal, naming: "gateway", lacking: .administration)
            let customerFromDesk = await send(
                guarded, "conversation.message",
                ["conversationId": "c-1", "role": "customer", "author": "cust-1", "text": "hello"], id: "msg-1",
                from: "desk")
            expectForbidden(customerFromDesk, naming: "desk", lacking: .customerActions)
            let fromTap = await send(
                guarded, "conversation.abandon", ["conversationId": "c-1"], id: "tap-1", from: "tap")
            expectForbidden(fromTap, naming: "tap", lacking: .customerActions)

            #expect(await state(core) == before, "no refused command changed the router")

            let audit = try await store.auditRecords()
            let byID = Dictionary(audit.map { ($0.commandID, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byID["open-1"]?.outcome == .accepted && byID["open-1"]?.principal == "gateway")
            #expect(byID["open-2"]?.outcome == .forbidden && byID["open-2"]?.permission == "principal")
            #expect(byID["remove-1"]?.outcome == .forbidden && byID["remove-1"]?.permission == "administration")
            #expect(byID["msg-1"]?.principal == "desk" && byID["msg-1"]?.permission == "customerActions")
            #expect(byID["tap-1"]?.principal == "tap" && byID["tap-1"]?.commandType == "conversation.abandon")
            #expect(audit.count == 5, "one row per command: \(audit)")
        }
    }

    @Test("a refused id is not poisoned: the right sender's retry under it is applied, and audited in its transaction")
    func retryAfterRefusal() async throws {
        try await withRouter { guarded, core, store in
            let data: JSON = ["conversationId": "c-9", "customerId": "cust-9", "queue": "chat-en"]
            expectForbidden(
                await send(guarded, "conversation.open", data, id: "open-9", from: "tap"), naming: "tap",
                lacking: .customerActions)
            #expect(
                await send(guarded, "conversation.open", data, id: "open-9", from: "gateway")
                    == .ok(["conversationId": "c-9"]))
            #expect(await core.snapshot(prefix: "conv.c-9").items.count == 1)
            let rows = try await store.auditRecords(commandID: "open-9")
            #expect(rows.map(\.outcome) == [.forbidden, .accepted])
            #expect(rows.map(\.principal) == ["tap", "gateway"])
        }
    }

    @Test("a supervisorId named by a principal without actFor never reaches the monitor's handler")
    func supervisorWithoutActFor() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-guarded-monitor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: directory.appendingPathComponent("monitor.sqlite").path, source: "monitor"),
            logger: Self.logger)
        let reached = Mutex<[String]>([])
        let inner = ClosureCommandHandler { command in
            reached.withLock { $0.append(command.id) }
            return .ok([:])
        }
        let guarded = GuardedCommandHandler(
            inner, service: .monitor, permissions: CommandPermissions(principals: testPrincipals), store: store,
            logger: Self.logger)
        let observe: JSON = ["supervisorId": "ava", "conversationId": "c-1"]
        expectForbidden(
            await send(guarded, "supervisor.observe", observe, id: "sup-1", from: "anna"), naming: "anna",
            lacking: .actFor)
        #expect(await send(guarded, "supervisor.observe", observe, id: "sup-2", from: "gateway") == .ok([:]))
        #expect(reached.withLock { $0 } == ["sup-2"])
        let audit = try await store.auditRecords()
        #expect(audit.map(\.commandID) == ["sup-1", "sup-2"])
        #expect(audit.map(\.actingFor) == ["ava", "ava"])
        #expect(audit.first?.permission == "actFor")
        await store.close()
    }
}
