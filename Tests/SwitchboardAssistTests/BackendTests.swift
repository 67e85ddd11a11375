import Foundation
import Testing

@testable import SwitchboardAssist

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("Assistance backends (no network)")
struct BackendTests {
    @Test("the offline backend returns the library's own drafts")
    func offline() async throws {
        let assistant = try Fixtures.loadAssistant()
        let state = ConversationAssist.rebuild(
            conversationId: "c-1",
            messages: [Fixtures.message(.customer, "Ivy", "My top up failed twice today", at: 0)],
            assistant: assistant, feedback: ReplyFeedback())
        let backend: any AssistBackend = OfflineBackend()
        let draft = try #require(state.summary)
        let summary = try await backend.summarise(
            SummaryRequest(conversationId: "c-1", messages: state.messages, intent: state.intent, offlineDraft: draft))
        #expect(summary == draft)
        let replies = try await backend.suggestReplies(
            ReplyRequest(
                conversationId: "c-1", messages: state.messages, intent: state.intent, articles: state.knowledge,
                offlineSuggestions: state.suggestions))
        #expect(replies == state.suggestions)
    }

    @Test("the HTTP backend builds a chat-completion request with the transcript and bearer key")
    func requestShape() throws {
        let backend = OpenAICompatibleBackend(
            configuration: .init(baseURL: try #require(URL(string: "http://127.0.0.1:9/v1")), model: "small"),
            apiKey: "secret")
        let request = try backend.makeRequest(
            system: "Summarise.", transcript: [Fixtures.message(.customer, "Ivy", "Where is my card?", at: 0)],
            hint: "draft")
        #expect(request.url?.absoluteString == "http://127.0.0.1:9/v1/chat/completions")
        #expect(request.httpMethod == "POST")
        #expect(request.value(forHTTPHeaderField: "Authorization") == "Bearer secret")
        let body = try #require(request.httpBody)
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(json["model"] as? String == "small")
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages.first?["role"] == "system")
        #expect(messages.last?["content"]?.contains("customer Ivy: Where is my card?") == true)
    }

    @Test("a chat-completion response is read; anything else is an error")
    func responseParsing() throws {
        let good = Data(
            #"{"choices":[{"message":{"role":"assistant","content":"1. First reply\n- Second reply\n\nThird"}}]}"#.utf8)
        let content = try OpenAICompatibleBackend.content(ofResponse: good)
        let replies = OpenAICompatibleBackend.replies(from: content)
        #expect(replies.map(\.text) == ["First reply", "Second reply", "Third"])
        #expect(replies.allSatisfy { $0.source == .backend && $0.id.hasPrefix("backend:") })
        #expect(throws: AssistError.self) { try OpenAICompatibleBackend.content(ofResponse: Data("{}".utf8)) }
    }
}
