import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import Synchronization
import Testing

@testable import SwitchboardSummariser

/// The router's history as a stub: what `conversation.explain` would answer, and how often it was asked.
final class StubHistory: ConversationHistorySource {
    let steps: [String: [RouterHistoryStep]]
    private let asked = Mutex<[String]>([])

    init(_ steps: [String: [RouterHistoryStep]]) { self.steps = steps }

    func history(of conversationId: String) async -> [RouterHistoryStep]? {
        asked.withLock { $0.append(conversationId) }
        return steps[conversationId]
    }

    var askedFor: [String] { asked.withLock { $0 } }
}

/// The router's transcripts as a stub: what `conversation.transcript` would answer, and for whom it was asked.
final class StubTranscripts: ConversationHistorySource {
    let transcripts: [String: [SwitchboardWire.TranscriptMessage]]
    private let asked = Mutex<[String]>([])

    init(_ transcripts: [String: [SwitchboardWire.TranscriptMessage]]) { self.transcripts = transcripts }

    func history(of conversationId: String) async -> [RouterHistoryStep]? { nil }

    func transcript(of conversationId: String) async -> [SwitchboardWire.TranscriptMessage]? {
        asked.withLock { $0.append(conversationId) }
        return transcripts[conversationId]
    }

    var askedFor: [String] { asked.withLock { $0 } }
}

/// A core with its actors running, over a recording sink.
struct CoreUnderTest {
    let sink = RecordingSink()
    let board: AssistBoard
    let core: SummariserCore
    let limit = PendingWorkLimit(limit: 1_000)
    let runner: Task<Void, Never>

    init(
        history: (any ConversationHistorySource)? = nil, backend: (any AssistBackend)? = nil,
        forgetAfterSeconds: Double = 60, queueLanguages: [String: String] = [:]
    ) throws {
        board = AssistBoard(sink: sink)
        var context = try SummariserFixtures.context()
        context.queueLanguages = queueLanguages
        let environment = AssistantEnvironment(
            context: context, board: board, history: history, backend: backend, limit: limit,
            logger: SummariserFixtures.logger)
        let core = SummariserCore(
            environment: environment, settings: SummariserCore.Settings(forgetAfterSeconds: forgetAfterSeconds))
        self.core = core
        runner = Task { await core.runAssistants() }
    }

    /// Waits until every input handed out has been applied.
    func settled() async -> Bool {
        await summariserEventually { limit.pending == 0 }
    }

    func stop() { runner.cancel() }
}

/// A remote backend as a stub: it rewrites summaries and replies, or fails when asked to.
struct StubBackend: AssistBackend {
    let fails: Bool
    var name: String { "openai-compatible" }

    func summarise(_ request: SummaryRequest) async throws(AssistError) -> ConversationSummary {
        if fails { throw .backendFailed(reason: "the stub endpoint is down") }
        return ConversationSummary(
            sentence: "Rewritten: \(request.offlineDraft.sentence)", caseSummary: request.offlineDraft.caseSummary)
    }

    func suggestReplies(_ request: ReplyRequest) async throws(AssistError) -> [SuggestedReply] {
        if fails { throw .backendFailed(reason: "the stub endpoint is down") }
        return [
            SuggestedReply(
                id: "backend:1", text: "A reply from the endpoint.", source: .backend, score: 1, reason: "Stub.")
        ]
    }
}

@Suite("Summariser: conversations followed from the router's stream")
struct SummariserCoreTests {
    static let now = SummariserFixtures.milliseconds(100)

    static func conversation(
        _ id: String, state: ConversationState = .assigned, agent: String? = "priya-shah", transfers: Int = 0,
        endedAt: Int64? = nil
    ) -> RouterConversation {
        RouterConversation(
            conversationId: id, queue: "chat-en-general", state: state, agentId: agent, transfers: transfers,
            endedAtMilliseconds: endedAt)
    }

    @Test("messages bring assist events; a transfer brings the summary and the case summary for the new agent")
    func liveFlow() async throws {
        let system = try CoreUnderTest()
        defer { system.stop() }
        await system.core.apply(
            [
                .agentName(agentId: "priya-shah", name: "Priya Shah"),
                .agentName(agentId: "tom-baker", name: "Tom Baker"),
                .conversation(Self.conversation("c-1")),
            ] + SummariserFixtures.lateCard.map { .message(conversationId: "c-1", $0) }
                // The desk may write the agent's id as author: summaries name the person.
                + [
                    .message(
                        conversationId: "c-1",
                        SummariserFixtures.line(5, .agent, "priya-shah", "I've reordered the card to Harbour Lane."))
                ],
            nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(system.board.item("c-1")?.summary?.contains("Priya Shah has reordered the card") == true)
        let types = Set(system.sink.sent.map(\.type))
        #expect(types.isSuperset(of: ["assist.intent", "assist.knowledge", "assist.suggestions", "assist.summary"]))
        #expect(!types.contains("assist.caseSummary"))

        await system.core.apply(
            [
                .transferred(
                    Self.conversation("c-1", state: .assigned, agent: "tom-baker", transfers: 1), toQueue: nil,
                    toAgentId: "tom-baker", fromAgentId: "priya-shah", atMilliseconds: Self.now)
            ], nowMilliseconds: Self.now)
        #expect(await system.settled())
        let caseEvent = try #require(system.sink.sent(ofType: "assist.caseSummary").last)
        #expect(caseEvent.data["reason"] == "transfer")
        #expect(caseEvent.data["caseSummary"]?["status"] == "transferred")
        let summaryEvent = try #require(system.sink.sent(ofType: "assist.summary").last)
        #expect(summaryEvent.data["sentence"]?.stringValue?.contains("transferred to Tom Baker by Priya Shah") == true)
        // The snapshot a new agent's desk takes holds the same.
        let snapshot = await system.board.snapshot(prefix: "assist.c-1")
        #expect(snapshot.items.count == 1)
        #expect(try snapshot.items[0].value() == caseEvent.data["item"])
    }

    @Test("a transfer's note reaches the case summary the receiving agent's pane shows")
    func transferNote() async throws {
        let system = try CoreUnderTest()
        defer { system.stop() }
        let note = "Card reordered to Harbour Lane; customer asks for express delivery."
        await system.core.apply(
            [
                .agentName(agentId: "priya-shah", name: "Priya Shah"),
                .conversation(Self.conversation("c-1")),
            ] + SummariserFixtures.lateCard.map { .message(conversationId: "c-1", $0) }
                + [
                    .transferred(
                        Self.conversation("c-1", state: .queued, transfers: 1), toQueue: "chat-en-cards",
                        toAgentId: nil, fromAgentId: "priya-shah", atMilliseconds: Self.now, note: note)
                ],
            nowMilliseconds: Self.now)
        #expect(await system.settled())
        let caseEvent = try #require(system.sink.sent(ofType: "assist.caseSummary").last)
        #expect(caseEvent.data["reason"] == "transfer")
        #expect(caseEvent.data.text.contains("express delivery"), "\(caseEvent.data.text)")
    }

    @Test("a waiting conversation is not followed; offered to an agent, its transcript is read from the router")
    func followedFromTheFirstOffer() async throws {
        let lines = [SummariserFixtures.lateCard[0]]
        let router = StubTranscripts(["c-1": lines])
        let system = try CoreUnderTest(history: router)
        defer { system.stop() }
        await system.core.apply(
            [.conversation(Self.conversation("c-1", state: .queued, agent: nil))]
                + lines.map { .message(conversationId: "c-1", $0) }, nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(await system.core.activeConversations == 0, "nothing is kept of a conversation no agent has seen")
        #expect(system.sink.sent.isEmpty && system.board.count == 0)

        await system.core.apply([.conversation(Self.conversation("c-1", state: .offered))], nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(router.askedFor == ["c-1"], "the transcript so far comes from the router, once")
        let item = try #require(system.board.item("c-1"), "the offered agent gets the assistance")
        #expect(item.intent?.skill == "cards", "read from the lines written while it waited")
        #expect(await system.core.activeConversations == 1)
    }

    @Test("a conversation is forgotten a while after it ends, with item null")
    func forgetAfterEnd() async throws {
        let system = try CoreUnderTest(forgetAfterSeconds: 30)
        defer { system.stop() }
        await system.core.apply(
            [.conversation(Self.conversation("c-1")), .message(conversationId: "c-1", SummariserFixtures.lateCard[0])],
            nowMilliseconds: Self.now)
        await system.core.apply(
            [
                .closed(
                    Self.conversation("c-1", state: .closed, endedAt: Self.now), agentId: "priya-shah",
                    atMilliseconds: Self.now)
            ], nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(system.sink.sent(ofType: "assist.caseSummary").last?.data["reason"] == "close")
        #expect(await system.core.forgetEnded(nowMilliseconds: Self.now + 29_000) == 0)
        #expect(await system.core.forgetEnded(nowMilliseconds: Self.now + 30_000) == 1)
        #expect(await system.settled())
        #expect(system.sink.sent(ofType: "assist.forgotten").count == 1)
        #expect(system.board.count == 0)
        #expect(await system.core.activeConversations == 0)
    }

    @Test("a first snapshot rebuilds every open conversation; transfers are placed with the router's history")
    func snapshotRebuild() async throws {
        let history = StubHistory([
            "c-2": [
                RouterHistoryStep(
                    atMilliseconds: SummariserFixtures.milliseconds(45),
                    kind: .transferred(toQueue: "chat-en-cards", toAgentId: nil, fromAgentId: "priya-shah"))
            ]
        ])
        let system = try CoreUnderTest(history: history, forgetAfterSeconds: 60)
        defer { system.stop() }
        var snapshot = RouterSnapshotFacts()
        snapshot.agentNames = ["priya-shah": "Priya Shah"]
        snapshot.conversations["c-1"] = Self.conversation("c-1")
        snapshot.transcripts["c-1"] = SummariserFixtures.lateCard
        snapshot.conversations["c-2"] = Self.conversation("c-2", state: .queued, agent: nil, transfers: 1)
        snapshot.transcripts["c-2"] = SummariserFixtures.lateCard
        // No messages yet: nothing to assist with.
        snapshot.conversations["c-3"] = Self.conversation("c-3", state: .queued, agent: nil)
        // Ended long ago: not followed.
        snapshot.conversations["c-4"] = Self.conversation("c-4", state: .closed, endedAt: Self.now - 3_600_000)
        snapshot.transcripts["c-4"] = SummariserFixtures.lateCard
        await system.core.apply([.snapshot(snapshot)], nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(await system.core.activeConversations == 2)
        #expect(history.askedFor == ["c-2"])
        let rebuilt = try #require(system.board.item("c-2"))
        #expect(rebuilt.caseSummaryReason == .transfer)
        #expect(rebuilt.summary?.contains("transferred to the chat-en-cards queue by Priya Shah") == true)
        #expect(system.board.item("c-1")?.caseSummary == nil)
        #expect(system.board.item("c-3") == nil && system.board.item("c-4") == nil)

        // A new snapshot (the router restarted): c-1 gained a line, c-2 is gone from the router.
        let before = system.sink.sent.count
        var next = RouterSnapshotFacts()
        next.conversations["c-1"] = Self.conversation("c-1")
        next.transcripts["c-1"] =
            SummariserFixtures.lateCard + [SummariserFixtures.line(5, .customer, "Dana Whitfield", "Any news?")]
        await system.core.apply([.snapshot(next)], nowMilliseconds: Self.now)
        #expect(await system.settled())
        let after = system.sink.sent.dropFirst(before)
        #expect(after.contains { $0.topic == "assist.c-1.summary" })
        #expect(after.contains { $0.topic == "assist.c-2.forgotten" })
        #expect(await system.core.activeConversations == 1)
    }

    @Test("the same snapshot again publishes nothing: the rebuilt assistance is unchanged")
    func resyncIsQuiet() async throws {
        let system = try CoreUnderTest()
        defer { system.stop() }
        var snapshot = RouterSnapshotFacts()
        snapshot.conversations["c-1"] = Self.conversation("c-1")
        snapshot.transcripts["c-1"] = SummariserFixtures.lateCard
        await system.core.apply([.snapshot(snapshot)], nowMilliseconds: Self.now)
        #expect(await system.settled())
        let published = system.sink.sent.count
        #expect(published > 0)
        await system.core.apply(
            [.snapshot(snapshot)] + SummariserFixtures.lateCard.map { .message(conversationId: "c-1", $0) },
            nowMilliseconds: Self.now)
        #expect(await system.settled())
        #expect(system.sink.sent.count == published)
    }

    @Test("a remote backend rewrites the summary and the replies; when it fails the offline ones stand")
    func remoteBackend() async throws {
        for fails in [false, true] {
            let system = try CoreUnderTest(backend: StubBackend(fails: fails))
            defer { system.stop() }
            await system.core.apply(
                [.conversation(Self.conversation("c-1"))]
                    + SummariserFixtures.lateCard.map { .message(conversationId: "c-1", $0) },
                nowMilliseconds: Self.now)
            #expect(await system.settled())
            let item = try #require(system.board.item("c-1"))
            #expect(item.backend == "openai-compatible")
            #expect(item.summary?.hasPrefix("Rewritten: ") == !fails)
            #expect((item.suggestions.map(\.id) == ["backend:1"]) == !fails)
            #expect(item.intent?.skill == "cards")
        }
    }

    @Test("the pending-work limit holds the feed until actors catch up")
    func limitWaits() async {
        let limit = PendingWorkLimit(limit: 2)
        limit.add(3)
        let released = Mutex(false)
        let waiter = Task {
            await limit.waitBelowLimit()
            released.withLock { $0 = true }
        }
        #expect(await summariserEventually { limit.waiting == 1 })
        #expect(!released.withLock { $0 })
        limit.done(2)
        await waiter.value
        #expect(released.withLock { $0 })
        limit.close()
        limit.add(10)
        await limit.waitBelowLimit()  // closed: returns at once
    }
}
