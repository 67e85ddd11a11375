import Foundation
import GRDB
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardStore
import SwitchboardWire
import Testing

@testable import SwitchboardRouter

/// Ended conversations stay in their rows of `router_ended`: recovery reads only how each ended,
/// and the router reads a row when asked for the conversation (snapshot, explain, transcript).
@Suite("The router's ended conversations, read from their rows")
struct RouterEndedConversationTests {
    static let logger = RouterCheckpointTests.logger

    /// Retention long enough for the test, whatever the machine's load.
    static var settings: RouterSettings {
        var settings = sampleSettings()
        settings.closedRetentionSeconds = 3_600
        return settings
    }

    static func temporaryStorePath() throws -> (folder: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-router-ended-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("router.sqlite").path)
    }

    static func openStore(_ path: String) async throws -> AuthorityStore {
        try await AuthorityStore.open(
            StoreConfiguration(path: path, source: "router"), logger: logger, migrations: RouterJournal.migrate)
    }

    static func command(_ id: String, _ type: String, _ data: JSON) -> CommandRequest {
        CommandRequest(id: id, type: type, data: data)
    }

    static func text(_ item: SnapshotItem) -> String { String(decoding: item.valueBytes, as: UTF8.self) }

    @Test("recovery with many ended conversations rebuilds the state and answers for one from its row")
    func recoveryReadsEndedConversationsOnDemand() async throws {
        let (folder, path) = try Self.temporaryStorePath()
        defer { try? FileManager.default.removeItem(at: folder) }
        let settings = Self.settings
        let start = RoutingInstant(millisecondsSinceEpoch: WallClock.microseconds() / 1_000)
        let store = try await Self.openStore(path)
        var live = try RouterState(settings: settings, now: start)
        var entries: [(RouterInput, RoutingInstant)] = []
        func apply(_ input: RouterInput, at seconds: Double) {
            let at = start.adding(seconds: seconds)
            _ = live.apply(input, at: at)
            entries.append((input, at))
        }
        let ended = 400
        for index in 0..<ended {
            let id = ConversationID("c-\(index)")
            apply(
                .open(
                    ConversationRequest(id: id, customer: CustomerID("cust-\(index)"), queue: "chat-en"),
                    text: "my card \(index) is lost", intent: nil), at: 0.001 * Double(index))
            let whisper = TranscriptMessage(
                number: 0, role: .supervisor, author: "sam", text: "offer a new card", audience: .agent, at: start)
            apply(.message(id, whisper), at: 0.001 * Double(index))
            apply(.abandon(id), at: 0.001 * Double(index) + 0.5)
        }
        let expected = live.snapshotItems(prefix: "conv.").map { "\($0.key) \(Self.text($0))" }
        let expectedTranscripts = live.snapshotItems(prefix: "transcript.").map { "\($0.key) \(Self.text($0))" }
        let position = try await store.commit { [entries] transaction in
            try RouterJournal.append(entries, in: transaction.db)
        }
        let written = try await RouterJournal.writeCheckpoint(
            live, through: position ?? 0, writer: RouterCheckpointWriter(), store: store)
        #expect(written.count == ended, "every ended conversation gets its row")
        await store.close()

        let reopened = try await Self.openStore(path)
        let recovered = try await RouterJournal.recover(store: reopened, settings: settings, logger: Self.logger)
        #expect(recovered.state.settled.count == ended, "ended conversations are known by how they ended")
        #expect(recovered.state.views.isEmpty && recovered.state.transcripts.isEmpty, "and stay in their rows")

        let core = try await RouterCore(
            store: reopened, settings: settings, classifier: nil, logger: Self.logger,
            reloadSettings: { settings }, requestPresence: { _ in })
        let running = Task { await core.run() }
        defer { running.cancel() }

        let snapshot = await core.snapshot(prefix: "conv.")
        #expect(snapshot.items.map { "\($0.key) \(Self.text($0))" }.sorted() == expected.sorted())
        let transcripts = await core.snapshot(prefix: "transcript.")
        #expect(transcripts.items.map { "\($0.key) \(Self.text($0))" }.sorted() == expectedTranscripts.sorted())

        let answers = await core.handle([
            Self.command("explain", "conversation.explain", ["conversationId": "c-7"]),
            Self.command("transcript", "conversation.transcript", ["conversationId": "c-7"]),
            Self.command("as-customer", "conversation.transcript", ["conversationId": "c-7", "as": "customer"]),
            Self.command(
                "late-message", "conversation.message",
                ["conversationId": "c-7", "text": "hello?", "role": "customer", "author": "cust-7"]),
            Self.command("unknown", "conversation.explain", ["conversationId": "c-none"]),
        ])
        guard answers.count == 5, case .ok(let explained) = answers[0], case .ok(let transcript) = answers[1],
            case .ok(let customerView) = answers[2], case .failed(let late) = answers[3],
            case .failed(let unknown) = answers[4]
        else {
            Issue.record("unexpected answers: \(answers)")
            return
        }
        #expect(explained["conversation"]?["state"]?.stringValue == "abandoned")
        #expect(explained["history"]?.arrayValue?.last?["event"]?.stringValue == "abandoned")
        #expect(transcript["messages"]?.arrayValue?.count == 2, "the opening and the whisper")
        #expect(customerView["messages"]?.arrayValue?.count == 1, "the customer never sees the whisper")
        #expect(late.code == .conflict && late.message.contains("abandoned"), "\(late)")
        #expect(unknown.code == .notFound)
        running.cancel()
        await running.value
        await reopened.close()
    }

    @Test("snapshots while checkpoints settle ended conversations give each conversation once")
    func snapshotsDuringSettlingAreConsistent() async throws {
        let (folder, path) = try Self.temporaryStorePath()
        defer { try? FileManager.default.removeItem(at: folder) }
        let settings = Self.settings
        let store = try await Self.openStore(path)
        // A checkpoint every 30 journal entries: many settle while the snapshots are taken.
        let core = try await RouterCore(
            store: store, settings: settings, classifier: nil, logger: Self.logger, reloadSettings: { settings },
            requestPresence: { _ in }, checkpointEntries: 30)
        let running = Task { await core.run() }
        defer { running.cancel() }

        let rounds = 40
        let perRound = 10
        var snapshots: [(round: Int, task: Task<Snapshot, Never>)] = []
        for round in 0..<rounds {
            var commands: [CommandRequest] = []
            for index in 0..<perRound {
                let id = "c-\(round)-\(index)"
                commands.append(
                    Self.command(
                        "open-\(id)", "conversation.open",
                        [
                            "conversationId": .string(id), "customerId": .string("cust-\(id)"), "queue": "chat-en",
                            "text": "hello",
                        ]))
                commands.append(Self.command("abandon-\(id)", "conversation.abandon", ["conversationId": .string(id)]))
            }
            _ = core.enqueue(commands)
            snapshots.append((round, Task { await core.snapshot(prefix: "conv.") }))
        }
        for (round, task) in snapshots {
            let snapshot = await task.value
            let keys = snapshot.items.map(\.key)
            #expect(Set(keys).count == keys.count, "round \(round): a conversation given twice")
            #expect(keys.count >= (round + 1) * perRound, "round \(round): every conversation queued before it")
            #expect(keys.count % perRound == 0, "round \(round): whole batches only (\(keys.count))")
            let states = Set(try snapshot.items.map { try $0.value()["state"]?.stringValue ?? "none" })
            #expect(states == ["abandoned"], "round \(round): as committed, \(states)")
        }
        let final = await core.snapshot(prefix: "conv.")
        #expect(Set(final.items.map(\.key)).count == rounds * perRound && final.items.count == rounds * perRound)
        let rows = try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM router_ended") ?? 0 }
        #expect(rows > 0, "checkpoints wrote ended conversations while the snapshots were taken")
        running.cancel()
        await running.value
        await store.close()
    }
}

@Suite("The router's store from before ended conversations were settled")
struct RouterEndedMigrationTests {
    @Test("rows written before the settled columns get their state, end and wire item when the store is opened")
    func oldRowsAreFilledIn() throws {
        let (folder, path) = try RouterEndedConversationTests.temporaryStorePath()
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = RoutingInstant(millisecondsSinceEpoch: 1_700_000_000_000)
        var live = try RouterState(settings: sampleSettings(), now: start)
        _ = live.apply(
            .open(ConversationRequest(id: "c-1", customer: "a", queue: "chat-en"), text: "hello", intent: nil),
            at: start)
        _ = live.apply(.abandon("c-1"), at: start.adding(seconds: 2))
        let view = try #require(live.views["c-1"])
        let encoder = JSONEncoder()

        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        RouterJournal.migrate(&migrator)
        try migrator.migrate(queue, upTo: "router-v2-ended")
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO router_ended (id, view, transcript) VALUES (?, ?, ?)",
                arguments: ["c-1", try encoder.encode(view), try encoder.encode(live.transcripts["c-1"] ?? [])])
        }
        try migrator.migrate(queue)
        let row = try #require(
            try queue.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT state, ended_at, item, transcript_item FROM router_ended WHERE id = 'c-1'")
            })
        #expect(row["state"] as String == "abandoned")
        #expect(row["ended_at"] as Int64 == start.adding(seconds: 2).millisecondsSinceEpoch)
        #expect([UInt8](row["item"] as Data) == view.json.bytes, "the item a snapshot gives, as memory would")
        let transcript = try #require(live.snapshotItems(prefix: "transcript.").first)
        #expect([UInt8](row["transcript_item"] as Data) == transcript.valueBytes, "and the transcript's")
    }
}
