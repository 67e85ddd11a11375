public import Foundation

#if canImport(FoundationNetworking)
    public import FoundationNetworking
#endif

/// A backend that asks an OpenAI-compatible chat-completions endpoint (a local llama.cpp or vLLM
/// server, or a hosted one) to rewrite the summary sentence and the suggested replies.
///
/// Off by default: the summariser uses it only when the topology names an endpoint. The case
/// summary stays the offline one (its fields are extracted, not generated). Requests and
/// responses are built and parsed by pure functions, so they are tested without a network.
public struct OpenAICompatibleBackend: AssistBackend {
    /// Where and how to call the endpoint.
    public struct Configuration: Sendable, Hashable, Codable {
        /// The API base, such as `http://127.0.0.1:8080/v1`; `/chat/completions` is appended.
        public var baseURL: URL
        public var model: String
        /// Seconds before a request is abandoned (the offline result stays).
        public var timeoutSeconds: Double
        /// Upper bound of generated tokens per request.
        public var maxTokens: Int

        public init(baseURL: URL, model: String, timeoutSeconds: Double = 10, maxTokens: Int = 300) {
            self.baseURL = baseURL
            self.model = model
            self.timeoutSeconds = timeoutSeconds
            self.maxTokens = maxTokens
        }
    }

    /// Largest response body read, in bytes.
    public static let responseBytesMax = 1 << 20
    /// Transcript messages sent (the most recent).
    public static let messagesSentMax = 40

    public let configuration: Configuration
    private let apiKey: String?

    /// A backend for `configuration`; `apiKey` (from the environment, never from the topology) is
    /// sent as a bearer token when given.
    public init(configuration: Configuration, apiKey: String? = nil) {
        self.configuration = configuration
        self.apiKey = apiKey
    }

    public var name: String { "openai-compatible" }

    public func summarise(_ request: SummaryRequest) async throws(AssistError) -> ConversationSummary {
        let prompt = """
            Summarise this customer-service conversation in one sentence for the agent who takes it over: \
            who the customer is, what they want, what has been done, and what is pending. Reply with the \
            sentence only.
            """
        let content = try await complete(
            system: prompt, transcript: request.messages, hint: request.offlineDraft.sentence)
        let sentence = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !sentence.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .backendFailed(reason: "the endpoint returned an empty summary")
        }
        return ConversationSummary(sentence: sentence, caseSummary: request.offlineDraft.caseSummary)
    }

    public func suggestReplies(_ request: ReplyRequest) async throws(AssistError) -> [SuggestedReply] {
        let prompt = """
            You help a bank's customer-service agent. Write up to three short replies the agent could send \
            next, one per line, with no numbering. Use only facts from the conversation and these notes.
            """
        let notes = request.offlineSuggestions.map(\.text).joined(separator: "\n")
        let content = try await complete(system: prompt, transcript: request.messages, hint: notes)
        return Self.replies(from: content)
    }

    // MARK: - Pure parts

    /// The HTTP request for a chat completion.
    public func makeRequest(system: String, transcript: [TranscriptMessage], hint: String) throws(AssistError)
        -> URLRequest
    {
        var request = URLRequest(url: configuration.baseURL.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.timeoutInterval = configuration.timeoutSeconds
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        let lines = transcript.suffix(Self.messagesSentMax).map { "\($0.role.rawValue) \($0.author): \($0.text)" }
        let body = ChatRequest(
            model: configuration.model,
            messages: [
                .init(role: "system", content: system),
                .init(role: "user", content: lines.joined(separator: "\n") + "\n\nNotes:\n" + hint),
            ],
            maxTokens: configuration.maxTokens, temperature: 0.2)
        do {
            request.httpBody = try JSONEncoder().encode(body)
        } catch {
            throw .backendFailed(reason: "cannot encode the request: \(error)")
        }
        return request
    }

    /// The first choice's text of a chat-completion response body.
    public static func content(ofResponse data: Data) throws(AssistError) -> String {
        guard data.count <= responseBytesMax else {
            throw .backendFailed(reason: "the response is larger than \(responseBytesMax) bytes")
        }
        guard let response = try? JSONDecoder().decode(ChatResponse.self, from: data),
            let content = response.choices.first?.message.content
        else {
            throw .backendFailed(reason: "the response is not a chat completion with a message")
        }
        return content
    }

    /// Replies from a completion: one per non-empty line, list markers removed, at most three.
    public static func replies(from content: String) -> [SuggestedReply] {
        let lines = content.split(whereSeparator: \.isNewline)
            .map { line -> String in
                var text = line.trimmingCharacters(in: .whitespaces)
                while let first = text.first, "-*0123456789.) ".contains(first) { text.removeFirst() }
                return text
            }
            .filter { !$0.isEmpty }
            .prefix(ReplySuggester.suggestionsMax)
        return lines.enumerated().map { position, text in
            var hash = StableHash()
            hash.combine(text)
            return SuggestedReply(
                id: "backend:\(String(hash.value, radix: 16))", text: text, source: .backend,
                score: 1 - 0.1 * Double(position), reason: "Written by the configured language-model endpoint.")
        }
    }

    private func complete(system: String, transcript: [TranscriptMessage], hint: String) async throws(AssistError)
        -> String
    {
        let request = try makeRequest(system: system, transcript: transcript, hint: hint)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw .backendFailed(reason: "\(configuration.baseURL): \(error.localizedDescription)")
        }
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw .backendFailed(reason: "\(configuration.baseURL) answered HTTP \(http.statusCode)")
        }
        return try Self.content(ofResponse: data)
    }

    private struct ChatRequest: Encodable {
        struct Message: Codable {
            var role: String
            var content: String
        }
        var model: String
        var messages: [Message]
        var maxTokens: Int
        var temperature: Double

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
        }
    }

    private struct ChatResponse: Decodable {
        struct Choice: Decodable { var message: ChatRequest.Message }
        var choices: [Choice]
    }
}
