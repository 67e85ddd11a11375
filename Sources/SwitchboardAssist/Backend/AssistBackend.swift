/// What a backend is asked to summarise: the transcript and the offline draft, which a remote
/// backend may improve and must fall back to.
public struct SummaryRequest: Sendable, Hashable {
    public var conversationId: String
    public var messages: [TranscriptMessage]
    public var intent: IntentPrediction?
    public var offlineDraft: ConversationSummary

    public init(
        conversationId: String, messages: [TranscriptMessage], intent: IntentPrediction?,
        offlineDraft: ConversationSummary
    ) {
        self.conversationId = conversationId
        self.messages = messages
        self.intent = intent
        self.offlineDraft = offlineDraft
    }
}

/// What a backend is asked to suggest replies for.
public struct ReplyRequest: Sendable, Hashable {
    public var conversationId: String
    public var messages: [TranscriptMessage]
    public var intent: IntentPrediction?
    public var articles: [SurfacedArticle]
    public var offlineSuggestions: [SuggestedReply]

    public init(
        conversationId: String, messages: [TranscriptMessage], intent: IntentPrediction?,
        articles: [SurfacedArticle], offlineSuggestions: [SuggestedReply]
    ) {
        self.conversationId = conversationId
        self.messages = messages
        self.intent = intent
        self.articles = articles
        self.offlineSuggestions = offlineSuggestions
    }
}

/// Where summaries and suggested replies come from. The offline backend (the default, and what
/// tests use) returns the library's own drafts; a remote one (an OpenAI-compatible endpoint named
/// in the topology) may replace them. Callers keep the offline result when a backend throws.
public protocol AssistBackend: Sendable {
    /// A short name for logs and events (`offline`, `openai-compatible`).
    var name: String { get }
    func summarise(_ request: SummaryRequest) async throws(AssistError) -> ConversationSummary
    func suggestReplies(_ request: ReplyRequest) async throws(AssistError) -> [SuggestedReply]
}

/// The default backend: the library's extractive summaries and ranked suggestions, unchanged.
public struct OfflineBackend: AssistBackend {
    public init() {}

    public var name: String { "offline" }

    public func summarise(_ request: SummaryRequest) async throws(AssistError) -> ConversationSummary {
        request.offlineDraft
    }

    public func suggestReplies(_ request: ReplyRequest) async throws(AssistError) -> [SuggestedReply] {
        request.offlineSuggestions
    }
}
