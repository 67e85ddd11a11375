internal import Foundation

/// The assistance state of one conversation, fed one message at a time.
///
/// A value type: the summariser keeps one per active conversation, applies each new transcript
/// message and each agent's feedback, and publishes what the returned ``AssistUpdate`` says changed.
/// Applying the same messages and feedback in the same order always gives the same state, so a
/// restarted summariser rebuilds it from the router's transcript
/// (``rebuild(conversationId:messages:assistant:feedback:)``).
public struct ConversationAssist: Sendable, Hashable, Codable {
    /// Messages kept; past it the oldest are dropped (the customer's opening words are kept apart).
    public static let messagesMax = 500
    /// Characters of customer text the intent is detected from (the need is stated early).
    public static let customerTextMax = 1_000

    public let conversationId: String
    /// The transcript so far (at most ``messagesMax``, the most recent).
    public private(set) var messages: [TranscriptMessage] = []
    /// Messages dropped from the front to respect ``messagesMax``.
    public private(set) var droppedMessageCount = 0
    /// The customer's words so far, joined, up to ``customerTextMax`` characters: what the intent is read from.
    public private(set) var customerText = ""
    /// The author of the customer's first message.
    public private(set) var customerName: String?
    /// The customer's latest message: what suggested replies answer.
    public private(set) var latestCustomerText = ""
    public private(set) var intent: IntentPrediction?
    /// The language of the customer's words (BCP 47 primary tag); nil before they write, unless
    /// the queue's language is known. Replies, articles and summaries are in this language.
    public private(set) var language: String?
    /// The queue's language: decides only while the customer's words are too few or ambiguous.
    public private(set) var languageHint: String?
    public private(set) var knowledge: [SurfacedArticle] = []
    public private(set) var suggestions: [SuggestedReply] = []
    public private(set) var summary: ConversationSummary?
    /// Suggestions rejected or already used in this conversation: never offered again here.
    public private(set) var excludedSuggestionIds: Set<String> = []
    /// How many customer turns each suggestion has been offered for and not used: each one
    /// lowers it, so that a later turn brings new content rather than the same three replies.
    public private(set) var offeredTurns: [String: Int] = [:]

    /// Each turn a suggestion was offered and not used multiplies its score by this.
    public static let repeatedOfferFactor = 0.6
    /// The latest turn's own intent chooses the reply templates when at least this confident.
    public static let turnIntentConfidenceMin = IntentPrediction.confidenceThreshold
    /// An agent message sharing at least this share of a suggestion's terms counts as sending it.
    public static let sentOverlapMin = 0.6

    public init(conversationId: String) {
        self.conversationId = conversationId
    }

    /// The state after applying every message of `messages` in order.
    public static func rebuild(
        conversationId: String, messages: [TranscriptMessage], assistant: Assistant, feedback: ReplyFeedback
    ) -> ConversationAssist {
        var state = ConversationAssist(conversationId: conversationId)
        for message in messages { _ = state.apply(message, assistant: assistant, feedback: feedback) }
        return state
    }

    /// Sets the queue's language (``languageHint``); the language is read again from the
    /// customer's words with it.
    public mutating func setLanguageHint(_ hint: String?, assistant: Assistant) {
        languageHint = hint
        language = customerText.isEmpty ? hint : assistant.detectLanguage(customerText, hint: hint).language
    }

    /// The assistant answering in the conversation's language.
    func localAssistant(_ assistant: Assistant) -> Assistant {
        assistant.assistant(for: language ?? languageHint ?? assistant.language)
    }

    /// Adds one message and recomputes what it affects: a customer message updates the intent,
    /// knowledge and suggested replies; every message updates the summaries.
    public mutating func apply(
        _ message: TranscriptMessage, assistant: Assistant, feedback: ReplyFeedback
    ) -> AssistUpdate {
        messages.append(message)
        if messages.count > Self.messagesMax {
            let excess = messages.count - Self.messagesMax
            messages.removeFirst(excess)
            droppedMessageCount += excess
        }
        var update = AssistUpdate()
        if message.role == .customer {
            if customerName == nil, !message.author.isEmpty { customerName = message.author }
            latestCustomerText = message.text
            if customerText.count < Self.customerTextMax {
                let joined = customerText.isEmpty ? message.text : customerText + " " + message.text
                customerText = String(joined.prefix(Self.customerTextMax))
            }
            let detected = assistant.detectLanguage(customerText, hint: languageHint).language
            if detected != language {
                language = detected
                update.language = detected
            }
            let assistant = localAssistant(assistant)
            let prediction = assistant.detectIntent(customerText)
            if prediction != intent {
                intent = prediction
                update.intent = prediction
            }
            let articles = assistant.surfaceArticles(text: customerText, prediction: prediction)
            if articles != knowledge {
                knowledge = articles
                update.knowledge = articles
            }
            refreshSuggestions(assistant: assistant, feedback: feedback, into: &update, newTurn: true)
        }
        if message.role == .agent { excludeSuggestionsSent(in: message.text) }
        if message.role == .system || message.role == .supervisor {
            let lowered = message.text.lowercased()
            update.handoff = lowered.contains("transfer") || lowered.contains("escalat")
        }
        refreshSummary(assistant: assistant, into: &update)
        return update
    }

    /// Records what the agent did with suggestion `suggestionId`: the global `feedback` learns it,
    /// and this conversation never offers the suggestion again (rejected, or already sent).
    public mutating func applyFeedback(
        _ action: ReplyFeedbackAction, suggestionId: String, assistant: Assistant, feedback: inout ReplyFeedback
    ) -> AssistUpdate {
        feedback.record(action, suggestionId: suggestionId)
        excludedSuggestionIds.insert(suggestionId)
        var update = AssistUpdate()
        if intent != nil { refreshSuggestions(assistant: localAssistant(assistant), feedback: feedback, into: &update) }
        return update
    }

    private mutating func refreshSuggestions(
        assistant: Assistant, feedback: ReplyFeedback, into update: inout AssistUpdate, newTurn: Bool = false
    ) {
        guard let intent else { return }
        if newTurn {
            for suggestion in suggestions where !excludedSuggestionIds.contains(suggestion.id) {
                offeredTurns[suggestion.id, default: 0] += 1
            }
        }
        // Replies answer the latest turn: when that turn alone has a clear intent ("How long will the
        // new one take?" in a late-card conversation), its templates fit better than the conversation's.
        let turn = assistant.detectIntent(latestCustomerText)
        let replyIntent = turn.confidence >= Self.turnIntentConfidenceMin ? turn : intent
        let suggester = ReplySuggester(
            catalog: assistant.catalog, knowledgeBase: assistant.knowledgeBase, language: assistant.language)
        let fresh = suggester.suggest(
            customerText: latestCustomerText, customerFirstName: customerFirstName, prediction: replyIntent,
            articles: knowledge, feedback: feedback, excluded: excludedSuggestionIds,
            repeatPenalty: offeredTurns.mapValues { pow(Self.repeatedOfferFactor, Double($0)) })
        if fresh != suggestions {
            suggestions = fresh
            update.suggestions = fresh
        }
    }

    private mutating func refreshSummary(assistant: Assistant, into update: inout AssistUpdate) {
        let local = localAssistant(assistant)
        let fresh =
            if LocalisedSummariser.supports(local.language) {
                LocalisedSummariser(catalog: local.catalog, language: local.language).summarise(
                    messages, prediction: intent)
            } else {
                ConversationSummariser(catalog: local.catalog).summarise(messages, prediction: intent)
            }
        if fresh.sentence != summary?.sentence { update.summary = fresh.sentence }
        if fresh.caseSummary != summary?.caseSummary { update.caseSummary = fresh.caseSummary }
        summary = fresh
    }

    /// Suggestions the agent evidently sent (typed or pasted rather than accepted) are used up.
    private mutating func excludeSuggestionsSent(in text: String) {
        let sentTerms = Set(BM25Index.terms(of: text))
        guard !sentTerms.isEmpty else { return }
        for suggestion in suggestions {
            let terms = Set(BM25Index.terms(of: suggestion.text))
            guard !terms.isEmpty else { continue }
            let shared = Double(terms.intersection(sentTerms).count) / Double(terms.count)
            if shared >= Self.sentOverlapMin { excludedSuggestionIds.insert(suggestion.id) }
        }
    }

    /// The customer's first name, from the author of their first message.
    public var customerFirstName: String? {
        guard let first = customerName?.split(separator: " ").first else { return nil }
        return String(first)
    }
}
