import Foundation
import GRDB
import Logging
import SwitchboardBus
import SwitchboardRouter
import SwitchboardStore
import Testing

/// The router's bound on open conversations: past it a new conversation is refused
/// `overloaded`, naming the limit; nothing acknowledged is lost, and the refusal is not the id's
/// answer, so the same id is applied once there is room again.
@Suite("Router overload limit")
struct RouterOverloadTests {
    static let logger: Logger = {
        var logger = Logger(label: "switchboard.router-overload.test")
        logger.logLevel = .critical
        return logger
    }()

    func open(_ core: RouterCore, _ conversation: String, id: String) async -> CommandOutcome {
        let data: JSON = ["conversationId": .string(conversation), "customerId": "cust-1", "queue": "chat-en"]
        return await core.handle([CommandRequest(id: id, type: "conversation.open", data: data)]).first ?? .ok(.null)
    }

    func conversations(_ core: RouterCore) async -> Set<String> {
        Set(await core.snapshot(prefix: "conv.").items.map(\.key))
    }

    @Test("past the limit an open is refused overloaded, unstored, and applied once there is room")
    func overloadRefusal() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-overload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = StoreConfiguration(
            path: directory.appendingPathComponent("router.sqlite").path, source: "router")

        let store = try await AuthorityStore.open(configuration, logger: Self.logger, migrations: RouterJournal.migrate)
        let core = try await RouterCore(
            store: store, settings: sampleSettings(), classifier: nil, logger: Self.logger,
            reloadSettings: { sampleSettings() }, requestPresence: { _ in }, openConversationsMax: 2)
        let running = Task { await core.run() }

        #expect(await open(core, "c-1", id: "open-1") == .ok(["conversationId": "c-1"]))
        #expect(await open(core, "c-2", id: "open-2") == .ok(["conversationId": "c-2"]))
        let refused = await open(core, "c-3", id: "open-3")
        guard case .failed(let failure) = refused else {
            Issue.record("the third open was not refused: \(refused)")
            running.cancel()
            await running.value
            await store.close()
            return
        }
        #expect(failure.code == .overloaded)
        #expect(failure.message.contains("openConversationsMax: 2"), "\(failure)")
        #expect(failure.details["openConversationsMax"] == .int(2))
        #expect(await conversations(core) == ["conv.c-1", "conv.c-2"])
        let stored = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM command_replies WHERE id = 'open-3'")
        }
        #expect(stored == 0, "an overloaded refusal is not stored as the id's reply")

        // Room again: one conversation ends; the same id is applied now.
        let abandoned = await core.handle([
            CommandRequest(id: "abandon-1", type: "conversation.abandon", data: ["conversationId": "c-1"])
        ])
        #expect(abandoned.first == .ok(["conversationId": "c-1"]))
        #expect(await open(core, "c-3", id: "open-3") == .ok(["conversationId": "c-3"]))
        running.cancel()
        await running.value
        await store.close()

        // What was acknowledged survives a restart.
        let reopened = try await AuthorityStore.open(
            configuration, logger: Self.logger, migrations: RouterJournal.migrate)
        let restarted = try await RouterCore(
            store: reopened, settings: sampleSettings(), classifier: nil, logger: Self.logger,
            reloadSettings: { sampleSettings() }, requestPresence: { _ in }, openConversationsMax: 2)
        let runningAgain = Task { await restarted.run() }
        let states = await restarted.snapshot(prefix: "conv.").items.reduce(into: [String: String]()) { states, item in
            let json = try? JSONParser.parse(item.valueBytes)
            states[item.key] = json?["state"]?.stringValue
        }
        #expect(states["conv.c-2"] == "queued" && states["conv.c-3"] == "queued", "\(states)")
        #expect(states["conv.c-1"] == "abandoned", "\(states)")
        runningAgain.cancel()
        await runningAgain.value
        await reopened.close()
    }
}
