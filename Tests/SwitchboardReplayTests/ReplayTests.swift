import Foundation
import SwitchboardBenchmarks
import SwitchboardReplay
import SwitchboardRouter
import SwitchboardRouting
import Testing

@Suite("What-if replay of a recorded journal")
struct ReplayTests {
    @Test("an unchanged centre makes exactly the recorded decisions")
    func unchangedReproduces() async throws {
        let recorded = try await RecordedDay.record(conversations: 1_500, seed: 7)
        defer { recorded.remove() }
        let report = try Replay.run(Replay.Request(store: recorded.path))
        #expect(report.reproduction.decisions > 1_000)
        #expect(report.reproduction.equal == report.reproduction.decisions)
        #expect(report.reproduction.firstDivergence == nil)
        #expect(report.changedConversations == 0)
        for queue in report.queues {
            #expect(queue.recorded == queue.replayed, "queue \(queue.queue)")
        }
    }

    @Test("an altered journal is reported with the first conversation whose decision differs")
    func alteredJournalDiverges() async throws {
        let recorded = try await RecordedDay.record(conversations: 400, seed: 3)
        defer { recorded.remove() }
        let (journal, since, until) = try ReplayJournal.load(path: recorded.path, since: nil, until: nil)
        let (trace, _) = try RecordedRun.run(journal, since: since, until: until)
        // The 200th opening goes to the other queue: its decision can no longer be the recorded one.
        var altered = journal
        var opened = 0
        var target: ConversationID?
        for index in altered.entries.indices {
            guard case .open(var request, let text, let intent) = altered.entries[index].input else { continue }
            opened += 1
            guard opened == 200 else { continue }
            request.queue = request.queue == "chat-en" ? "chat-es" : "chat-en"
            altered.entries[index].input = .open(request, text: text, intent: intent)
            target = request.id
            break
        }
        let whatIf = try WhatIfRun.run(
            altered, since: since, until: until, centre: nil, recorded: trace,
            models: ReplayModels(recorded: trace, since: since, until: until))
        let first = try #require(whatIf.firstDivergence)
        #expect(first.conversation == target)
        #expect(first.recorded != nil)
    }

    @Test("one more speaker of the rare language lowers that queue's average wait")
    func rareSkillLowersWait() async throws {
        let recorded = try await RecordedDay.record(conversations: 3_000, seed: 11)
        defer { recorded.remove() }
        let (journal, since, until) = try ReplayJournal.load(path: recorded.path, since: nil, until: nil)
        let centre = recorded.day.settings(spanishAgents: recorded.day.spanishAgents + 1)
        let report = try Replay.run(
            journal, since: since, until: until, centre: centre, request: Replay.Request(store: recorded.path))
        let spanish = try #require(report.queues.first { $0.queue == "chat-es" })
        let before = try #require(spanish.recorded.averageWaitSeconds)
        let after = try #require(spanish.replayed.averageWaitSeconds)
        #expect(after < before)
        #expect(report.changedConversations > 0)
        #expect(report.reproduction.firstDivergence != nil)
    }

    @Test("a window outside the retained journal is refused, naming what the store retains")
    func windowOutsideJournalRefused() async throws {
        let recorded = try await RecordedDay.record(conversations: 50, seed: 5)
        defer { recorded.remove() }
        let early = SyntheticDay.start.adding(seconds: -3_600)
        let refusal = refusalText { _ = try ReplayJournal.load(path: recorded.path, since: early, until: nil) }
        #expect(refusal?.contains("outside the retained journal") == true)
        #expect(refusal?.contains("the store retains") == true)
    }

    @Test("a centre file that does not validate is refused with its file, line and key")
    func badCentreRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-centre-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let source = try String(contentsOfFile: "Topology/contact-centre.yaml", encoding: .utf8)
        let broken = source.replacingOccurrences(of: "channel: chat", with: "channel: carrier-pigeon")
        try broken.write(toFile: file, atomically: true, encoding: .utf8)
        let refusal = try #require(refusalText { _ = try Replay.centreSettings(file: file) })
        #expect(refusal.contains(".channel"))
        let line = broken.components(separatedBy: "\n").firstIndex { $0.contains("carrier-pigeon") }.map { $0 + 1 }
        #expect(refusal.contains("\(file):\(line ?? -1)"))
    }
}

/// What `body` was refused with, if it was.
func refusalText(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}
