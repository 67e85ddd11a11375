import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import Testing

@testable import SwitchboardPresence

/// The presence tracker over a real SQLite store: what it commits, publishes and refuses.
@Suite("Presence tracker")
struct PresenceTrackerTests {
    static let logger: Logger = {
        var logger = Logger(label: "switchboard.presence.test")
        logger.logLevel = .critical
        return logger
    }()

    struct Fixture {
        let directory: URL
        let store: AuthorityStore
        let tracker: PresenceTracker

        func command(_ type: String, _ data: JSON, id: String = UUID().uuidString) async -> CommandOutcome {
            await tracker.handle([CommandRequest(id: id, type: type, data: data)])[0]
        }

        func statuses() async throws -> [String: String] {
            let snapshot = try await tracker.snapshot(prefix: nil)
            var statuses: [String: String] = [:]
            for item in snapshot.items {
                let value = try JSON(parsing: Array(item.valueBytes))
                statuses[value["agentId"]?.stringValue ?? "?"] = value["status"]?.stringValue
            }
            return statuses
        }

        var published: UInt64 { store.committedSequences()["presence"] ?? 0 }

        func close() async {
            await store.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    func fixture(known: [AgentID] = ["priya", "tomas"]) async throws -> Fixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("presence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await AuthorityStore.open(
            StoreConfiguration(path: directory.appendingPathComponent("presence.sqlite").path, source: "presence"),
            logger: Self.logger, migrations: PresenceTable.migrate)
        let tracker = PresenceTracker(
            store: store, committer: GroupCommitter(store: store), logger: Self.logger, timeoutSeconds: 30)
        try await tracker.load(known: known)
        return Fixture(directory: directory, store: store, tracker: tracker)
    }

    @Test("the contact centre's agents start Offline, each announced once")
    func knownAgentsStartOffline() async throws {
        let fixture = try await fixture()
        defer { Task { await fixture.close() } }
        #expect(try await fixture.statuses() == ["priya": "offline", "tomas": "offline"])
        #expect(fixture.published == 2)
    }

    @Test("set, silence and heartbeat: committed and published once per change, restored on the next heartbeat")
    func silenceThenHeartbeat() async throws {
        let fixture = try await fixture()
        defer { Task { await fixture.close() } }
        let set = await fixture.command("presence.set", ["agentId": "priya", "status": "available"])
        guard case .ok(let item) = set else {
            Issue.record("presence.set refused: \(set)")
            return
        }
        #expect(item["status"]?.stringValue == "available" && item["agentId"]?.stringValue == "priya")
        let afterSet = fixture.published
        #expect(afterSet == 3)
        // A heartbeat of a live agent is acknowledged, and is no news.
        if case .failed(let failure) = await fixture.command("presence.heartbeat", ["agentId": "priya"]) {
            Issue.record("heartbeat refused: \(failure)")
        }
        #expect(fixture.published == afterSet)
        #expect(try await fixture.tracker.expireSilentAgents(now: .now).isEmpty)
        // Thirty-one seconds later, nothing heard: Offline (tomas was Offline already).
        #expect(try await fixture.tracker.expireSilentAgents(now: .now + .seconds(31)) == ["priya"])
        #expect(try await fixture.statuses()["priya"] == "offline")
        #expect(fixture.published == afterSet + 1)
        _ = await fixture.command("presence.heartbeat", ["agentId": "priya"])
        #expect(try await fixture.statuses()["priya"] == "available")
        #expect(fixture.published == afterSet + 2)
    }

    @Test("a bad presence or an unknown command is refused, naming what to send, and changes nothing")
    func refusals() async throws {
        let fixture = try await fixture()
        defer { Task { await fixture.close() } }
        let before = fixture.published
        guard case .failed(let bad) = await fixture.command("presence.set", ["agentId": "priya", "status": "busy"])
        else {
            Issue.record("a presence of 'busy' was accepted")
            return
        }
        #expect(bad.code == .invalidArgument)
        #expect(bad.message.contains("use available, away, dnd or offline"))
        guard case .failed(let unknown) = await fixture.command("presence.nap", ["agentId": "priya"]) else {
            Issue.record("presence.nap was accepted")
            return
        }
        #expect(unknown.code == .unknownCommand)
        #expect(unknown.message.contains("presence.set and presence.heartbeat"))
        #expect(fixture.published == before)
        #expect(try await fixture.statuses()["priya"] == "offline")
    }
}
