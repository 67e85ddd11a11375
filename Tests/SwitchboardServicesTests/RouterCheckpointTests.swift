import Foundation
import GRDB
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import SwitchboardWire
import Testing

@testable import SwitchboardRouter

/// The router's checkpoints in a real SQLite file: open conversations in the checkpoint, ended
/// ones in rows of their own written once, the journal since replayed on top.
@Suite("Router checkpoints and recovery")
struct RouterCheckpointTests {
    let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)

    static let logger: Logger = {
        var logger = Logger(label: "switchboard.router-checkpoint.test")
        logger.logLevel = .critical
        return logger
    }()

    func open(_ id: String, customer: String) -> RouterInput {
        .open(
            ConversationRequest(id: ConversationID(id), customer: CustomerID(customer), queue: "chat-en"), text: nil,
            intent: nil)
    }

    func openStore(_ path: String) async throws -> AuthorityStore {
        try await AuthorityStore.open(
            StoreConfiguration(path: path, source: "router"), logger: Self.logger, migrations: RouterJournal.migrate)
    }

    func items(_ state: RouterState) -> [String] {
        state.snapshotItems(prefix: nil).map { "\($0.key) \(String(decoding: $0.valueBytes, as: UTF8.self))" }
    }

    /// Every item of the state, settled conversations (items and transcripts) read from their rows.
    func allItems(_ state: RouterState, store: AuthorityStore) async throws -> [String] {
        let items = try await RouterJournal.endedItems(of: state.settled, transcripts: false, store: store)
        let transcripts = try await RouterJournal.endedItems(of: state.settled, transcripts: true, store: store)
        let conversations = state.snapshotItems(prefix: nil, settledItems: items)
        let messages = state.snapshotItems(prefix: "transcript.", settledTranscripts: transcripts)
        return (conversations + messages).map { "\($0.key) \(String(decoding: $0.valueBytes, as: UTF8.self))" }.sorted()
    }

    func endedRows(_ store: AuthorityStore) async throws -> [String] {
        try await store.read { db in try String.fetchAll(db, sql: "SELECT id FROM router_ended ORDER BY id") }
    }

    @Test(
        "checkpoint, ended rows and journal rebuild the live state; a later checkpoint rewrites only what changed"
    )
    func recoveryFromCheckpointsAndJournal() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-router-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("router.sqlite").path
        let settings = sampleSettings(wrapUpSeconds: 0)

        let store = try await openStore(path)
        var live = try RouterState(settings: settings, now: start)
        var position: Int64 = 0
        func apply(_ inputs: [RouterInput], at seconds: Double) async throws {
            let at = start.adding(seconds: seconds)
            for input in inputs { _ = live.apply(input, at: at) }
            let entries = inputs.map { ($0, at) }
            let last = try await store.commit { transaction in try RouterJournal.append(entries, in: transaction.db) }
            position = last ?? position
        }
        try await apply([.presence("tom", .available, stamp: PresenceStamp(epoch: 1, sequence: 1))], at: 0)
        try await apply([open("c-1", customer: "a"), open("c-2", customer: "b")], at: 1)
        try await apply(
            [
                .message(
                    "c-1",
                    TranscriptMessage(
                        number: 0, role: .customer, author: "a", text: "hello", audience: .everyone, at: start))
            ], at: 2)
        try await apply([.close("c-1"), .close("c-2")], at: 3)

        let writer = RouterCheckpointWriter()
        let before = try await allItems(live, store: store)
        let written = try await RouterJournal.writeCheckpoint(live, through: position, writer: writer, store: store)
        #expect(try await endedRows(store) == ["c-1", "c-2"])
        live.settle(written)
        #expect(live.views["c-1"] == nil && live.settled["c-1"] == .closed, "written: memory keeps only its end")
        #expect(try await allItems(live, store: store) == before, "the same items, read from the rows")
        let firstPlan = try writer.plan(live)
        #expect(firstPlan.endedRows.isEmpty, "nothing changed since the checkpoint: no ended row to write again")

        try await apply([open("c-3", customer: "a")], at: 4)
        try await apply([.close("c-3")], at: 5)
        let secondPlan = try writer.plan(live)
        #expect(secondPlan.endedRows.map(\.id) == ["c-3"], "only the newly ended conversation is written")
        try await apply([open("c-4", customer: "c")], at: 6)
        await store.close()

        let reopened = try await openStore(path)
        let recovered = try await RouterJournal.recover(store: reopened, settings: settings, logger: Self.logger)
        #expect(recovered.replayed == 3, "the journal after the checkpoint is replayed")
        #expect(items(recovered.state) == items(live))
        #expect(try await allItems(recovered.state, store: reopened) == allItems(live, store: reopened))
        #expect(recovered.state.settled == live.settled, "ended conversations stay in their rows")
        #expect(
            try await RouterJournal.lastPosition(store: reopened) == position,
            "a restarted router carries on from the last journal position")
        await reopened.close()
    }

    @Test("ended conversations forgotten after the retention period leave the store at the next checkpoint")
    func forgottenEndedRowsAreDeleted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-router-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await openStore(directory.appendingPathComponent("router.sqlite").path)
        var live = try RouterState(settings: sampleSettings(), now: start)
        _ = live.apply(.presence("tom", .available, stamp: PresenceStamp(epoch: 1, sequence: 1)), at: start)
        _ = live.apply(open("c-1", customer: "a"), at: start)
        _ = live.apply(.close("c-1"), at: start.adding(seconds: 1))
        let writer = RouterCheckpointWriter()
        try await RouterJournal.writeCheckpoint(live, through: 0, writer: writer, store: store)
        #expect(try await endedRows(store) == ["c-1"])
        _ = live.apply(.tick, at: start.adding(seconds: 120))  // past the 60 s retention of sampleSettings
        #expect(live.views["c-1"] == nil)
        try await RouterJournal.writeCheckpoint(live, through: 0, writer: writer, store: store)
        #expect(try await endedRows(store).isEmpty)
        await store.close()
    }

    @Test("a checkpoint written member by member reads back as the whole checkpoint, open conversations and all")
    func memberByMemberEncodingReadsBack() throws {
        var live = try RouterState(settings: sampleSettings(), now: start)
        _ = live.apply(.presence("tom", .available, stamp: PresenceStamp(epoch: 1, sequence: 1)), at: start)
        for index in 1...5 {
            let id = "c-\(index)"
            _ = live.apply(open(id, customer: "cust-\(index % 3)"), at: start.adding(seconds: Double(index)))
            let message = TranscriptMessage(
                number: 0, role: .customer, author: "cust", text: "my card \"\(index)\" is lost",
                audience: .everyone, at: start)
            _ = live.apply(.message(ConversationID(id), message), at: start.adding(seconds: Double(index)))
        }
        let whole = live.checkpointOfOpenConversations()
        #expect(whole.views.count == 5 && whole.engine.conversations.count == 5, "the checkpoint holds open work")
        let encoded = try RouterCheckpointWriter.encode(whole, encoder: JSONEncoder())
        let decoded = try JSONDecoder().decode(RouterCheckpoint.self, from: encoded)
        let canonical = JSONEncoder()
        canonical.outputFormatting = [.sortedKeys]
        #expect(try canonical.encode(decoded) == canonical.encode(whole))
    }
}

@Suite("Router core")
struct RouterCoreTests {
    @Test("batches queued back to back are all answered in order, and work after the loop stopped is answered too")
    func pipelinedAndStopped() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-router-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: directory.appendingPathComponent("router.sqlite").path, source: "router"),
            logger: RouterCheckpointTests.logger, migrations: RouterJournal.migrate)
        let core = try await RouterCore(
            store: store, settings: sampleSettings(), classifier: nil, logger: RouterCheckpointTests.logger,
            reloadSettings: { sampleSettings() }, requestPresence: { _ in })
        let running = Task { await core.run() }
        // Many batches queued without waiting: each is applied while the one before commits.
        var pending: [PendingOutcomes] = []
        for index in 0..<50 {
            let open = CommandRequest(
                id: "open-\(index)", type: "conversation.open",
                data: [
                    "conversationId": .string("c-\(index)"), "customerId": .string("cust-\(index)"), "queue": "chat-en",
                ])
            pending.append(try #require(core.enqueue([open])))
        }
        for (index, outcomes) in pending.enumerated() {
            #expect(await outcomes.value == [.ok(["conversationId": .string("c-\(index)")])])
        }
        let snapshot = await core.snapshot(prefix: "conv.")
        #expect(snapshot.items.count == 50, "the snapshot holds every committed conversation")

        running.cancel()
        await running.value
        let late = await core.handle([
            CommandRequest(
                id: "late", type: "conversation.open",
                data: ["conversationId": "c-late", "customerId": "cust-late", "queue": "chat-en"])
        ])
        guard case .failed(let failure)? = late.first else {
            Issue.record("the late command was not refused: \(late)")
            return
        }
        #expect(failure.code == .unavailable, "refused as retryable: \(failure)")
        let after = await core.snapshot(prefix: "conv.")
        #expect(after.items.map(\.key) == snapshot.items.map(\.key), "a snapshot of the state the loop stopped with")
        await store.close()
    }
}
