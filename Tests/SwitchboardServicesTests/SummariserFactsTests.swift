import Foundation
import SwitchboardAssist
import SwitchboardBus
import SwitchboardRouting
import SwitchboardServiceKit
import SwitchboardWire
import Testing

@testable import SwitchboardSummariser
@testable import SwitchboardTopology

@Suite("Summariser: reading the router, epochs, backend choice")
struct SummariserFactsTests {
    static let item: JSON = ConversationItem(
        conversationId: "c-1", customerId: "cust-9", channel: .chat, queue: "chat-en-general", state: .assigned,
        agentId: "tom-baker", openedAt: .zero, transfers: 1
    ).json

    @Test("router events become facts; other events are left alone")
    func events() throws {
        var message = JSONObject([("conversationId", .string("c-1"))])
        for (key, value) in [
            ("number", JSON.int(3)), ("role", "agent"), ("author", "Tom Baker"), ("text", "Hello"),
            ("audience", "agent"), ("at", .int(1_800_000_000_000)), ("key", "conv.c-1"), ("item", Self.item),
        ] { message[key] = value }
        guard
            case .message(let id, let line)? = RouterFacts.event(
                type: "conversation.message", data: .object(message), timestampMicroseconds: 0)
        else {
            Issue.record("a message event is a message fact")
            return
        }
        #expect(id == "c-1" && line.number == 3 && line.role == .agent && line.audience == .agent)

        let transferred: JSON = [
            "conversationId": "c-1", "fromAgentId": "priya-shah", "toAgentId": "tom-baker", "key": "conv.c-1",
            "item": Self.item,
        ]
        guard
            case .transferred(let conversation, let toQueue, let toAgent, let from, let at, let note)? =
                RouterFacts.event(
                    type: "conversation.transferred", data: transferred, timestampMicroseconds: 5_000_000)
        else {
            Issue.record("a transfer event is a transfer fact")
            return
        }
        #expect(conversation.transfers == 1 && toQueue == nil && toAgent == "tom-baker" && from == "priya-shah")
        #expect(note == nil, "no note was sent")
        #expect(at == 5_000)

        let agent: JSON = [
            "agentId": "tom-baker", "key": "agent.tom-baker",
            "item": AgentItem(agentId: "tom-baker", name: "Tom Baker", role: "agent", presence: .busy).json,
        ]
        guard
            case .agentName("tom-baker", "Tom Baker")? = RouterFacts.event(
                type: "agent.load", data: agent, timestampMicroseconds: 0)
        else {
            Issue.record("an agent item names the agent")
            return
        }
        #expect(RouterFacts.event(type: "queue.stats", data: ["queue": "q"], timestampMicroseconds: 0) == nil)
        #expect(
            RouterFacts.event(
                type: "conversation.message", data: ["item": "not a conversation"], timestampMicroseconds: 0)
                == nil)
    }

    @Test("a snapshot's conversations, transcripts and agent names are read")
    func snapshot() {
        let transcript: JSON = [
            "conversationId": "c-1",
            "messages": [
                ["number": 2, "role": "agent", "author": "Tom", "text": "Hi", "audience": "everyone", "at": 2],
                ["number": 1, "role": "customer", "author": "Dana", "text": "Card?", "audience": "everyone", "at": 1],
                ["number": 3, "role": "nobody", "text": "skipped"],
            ],
        ]
        let facts = RouterFacts.snapshot([
            SnapshotItem(key: "conv.c-1", value: Self.item),
            SnapshotItem(key: "transcript.c-1", value: transcript),
            SnapshotItem(
                key: "agent.tom-baker",
                value: AgentItem(agentId: "tom-baker", name: "Tom Baker", role: "agent", presence: .available).json),
            SnapshotItem(key: "conv.bad", value: ["state": "queued"]),
        ])
        #expect(facts.conversations.keys.sorted() == ["c-1"])
        #expect(facts.transcripts["c-1"]?.map(\.number) == [1, 2])
        #expect(facts.agentNames == ["tom-baker": "Tom Baker"])
    }

    @Test("the router's explain history gives the transfers, from their fields, and the close")
    func history() throws {
        let result: JSON = [
            "history": [
                ["at": 10, "event": "assigned", "agentId": "a", "sentence": "Skills: ..."],
                [
                    "at": 20, "event": "transferred", "agentId": "a", "sentence": "Transferred to queue chat-en-cards.",
                    "fromAgentId": "a", "toQueue": "chat-en-cards",
                ],
                [
                    "at": 30, "event": "transferred", "agentId": "b", "sentence": "Moved along.", "fromAgentId": "b",
                    "toAgentId": "tom-baker",
                ],
                ["at": 40, "event": "closed", "agentId": "t", "sentence": "Closed by Tom Baker."],
            ]
        ]
        let steps = try #require(RouterHistoryStep.steps(fromExplainResult: result))
        #expect(
            steps == [
                RouterHistoryStep(
                    atMilliseconds: 20, kind: .transferred(toQueue: "chat-en-cards", toAgentId: nil, fromAgentId: "a")
                ),
                RouterHistoryStep(
                    atMilliseconds: 30, kind: .transferred(toQueue: nil, toAgentId: "tom-baker", fromAgentId: "b")),
                RouterHistoryStep(atMilliseconds: 40, kind: .closed(agentId: "t")),
            ])
        #expect(RouterHistoryStep.steps(fromExplainResult: ["conversation": [:]]) == nil)
        let both: JSON = [
            "history": [
                [
                    "at": 20, "event": "transferred", "sentence": "Transferred.", "toQueue": "q", "toAgentId": "a",
                ]
            ]
        ]
        #expect(RouterHistoryStep.steps(fromExplainResult: both) == nil, "a step with two targets is refused")
    }

    @Test("the epoch rises at every start, even when the clock goes back")
    func epochRises() throws {
        #expect(SummariserEpoch.next(previous: nil, nowMilliseconds: 1_000) == 1_000)
        #expect(SummariserEpoch.next(previous: 5_000, nowMilliseconds: 1_000) == 5_001)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-epoch-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = SummariserEpoch.start(in: directory, nowMilliseconds: 2_000_000)
        #expect(first.recordError == nil)
        let second = SummariserEpoch.start(in: directory, nowMilliseconds: 1_000_000)
        #expect(first.epoch == 2_000_000 && second.epoch == 2_000_001)
    }

    @Test("the backend is offline unless the topology asks for an OpenAI-compatible endpoint")
    func backendChoice() throws {
        var settings = Topology.AssistSettings()
        #expect(try AssistBackendChoice.backend(for: settings) == nil)
        settings.backend = "openai"
        settings.endpoint = "http://127.0.0.1:8000/v1"
        #expect(try AssistBackendChoice.backend(for: settings)?.name == "openai-compatible")
        settings.endpoint = "ftp://nowhere"
        #expect(throws: RuntimeError.self) { try AssistBackendChoice.backend(for: settings) }
    }
}
