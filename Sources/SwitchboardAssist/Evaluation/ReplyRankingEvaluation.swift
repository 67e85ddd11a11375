internal import Foundation

/// How well the suggested replies are ranked: how often the first suggestion is the reply a
/// reference agent gave, before and after the ranking learns from what agents did with
/// suggestions (``ReplyFeedback``, per intent).
///
/// The reference set is small and written here: customers' words for eight intents, three each,
/// and the reply the reference agents chose for each intent (one of the intent's templates, not
/// always the one ranked first without feedback). Feedback is learned leave-one-out: a case is
/// scored with the feedback of every other case, where the reference agent used the suggestion
/// that matches their reply and dismissed the first one when it did not; so a case never learns
/// from itself.
public enum ReplyRankingEvaluation {
    /// One customer turn of the reference set.
    public struct Case: Sendable, Hashable {
        public var intent: String
        public var customerText: String

        public init(intent: String, customerText: String) {
            self.intent = intent
            self.customerText = customerText
        }
    }

    /// The figures: shares of cases whose first suggestion matches the reference reply.
    public struct Report: Sendable, Hashable, Codable {
        public var cases: Int
        public var top1Before: Double
        public var top1After: Double
    }

    /// A suggestion matches a reply when the reply holds at least this share of its terms (the
    /// measure the summariser uses to tell that an agent sent a suggestion).
    public static let matchShareMin = ConversationAssist.sentOverlapMin

    /// What the reference agents sent, per intent: the reply each of them chose for it.
    public static let referenceReplies: [String: String] = [
        "card_arrival": """
        Could you confirm the delivery address on your profile so I can make sure the card was sent to the \
        right place?
        """,
        "declined_card_payment": """
        Please check in the app that the card isn't frozen and that online or contactless payments are \
        switched on under Cards > Security.
        """,
        "transaction_charged_twice": """
        If both payments have completed, I can raise a dispute with the merchant for the duplicate charge.
        """,
        "request_refund": """
        Refunds are issued by the merchant, so the first step is to ask them for one. Once they send it, it \
        usually reaches your account in 5 to 10 working days.
        """,
        "cancel_transfer": """
        If it has already completed, I can ask the receiving bank to return it, but that depends on the \
        recipient's agreement.
        """,
        "activate_my_card": """
        After activation, make one chip-and-PIN payment or cash withdrawal to turn on contactless.
        """,
        "pending_card_payment": """
        If the merchant never collects it, the reserved amount is released back to your balance within 7 \
        days.
        """,
        "apple_pay_or_google_pay": """
        If the card won't add, check that your phone has a screen lock set and that the app is up to date.
        """,
    ]

    /// The customers' words, with the intent a person labelled each with.
    public static let referenceCases: [Case] = [
        Case(intent: "card_arrival", customerText: "My new card still hasn't arrived, it's been over a week."),
        Case(intent: "card_arrival", customerText: "I ordered a card ages ago and nothing has come in the post."),
        Case(intent: "card_arrival", customerText: "Where is my card? It was supposed to be here by now."),
        Case(intent: "declined_card_payment", customerText: "My card payment was declined at the supermarket today."),
        Case(intent: "declined_card_payment", customerText: "Why was my card declined when I tried to pay online?"),
        Case(
            intent: "declined_card_payment",
            customerText: "The shop said my card payment got declined, but I have money."),
        Case(intent: "transaction_charged_twice", customerText: "I was charged twice for the same purchase."),
        Case(
            intent: "transaction_charged_twice",
            customerText: "There are two identical payments on my account for one coffee."),
        Case(intent: "transaction_charged_twice", customerText: "The same transaction shows up twice on my statement."),
        Case(intent: "request_refund", customerText: "I want a refund for an item I returned."),
        Case(intent: "request_refund", customerText: "How do I get my money back from a merchant?"),
        Case(intent: "request_refund", customerText: "Can I get a refund for something I bought with my card?"),
        Case(intent: "cancel_transfer", customerText: "I need to cancel a transfer I just sent."),
        Case(intent: "cancel_transfer", customerText: "Can I stop a payment I sent to the wrong person?"),
        Case(intent: "cancel_transfer", customerText: "Please cancel my bank transfer, I made a mistake."),
        Case(intent: "activate_my_card", customerText: "How do I activate my new card?"),
        Case(intent: "activate_my_card", customerText: "I received my card, how can I start using it?"),
        Case(intent: "activate_my_card", customerText: "My card came in the post, what do I do to activate it?"),
        Case(intent: "pending_card_payment", customerText: "Why is my card payment still pending?"),
        Case(intent: "pending_card_payment", customerText: "A payment from yesterday is still showing as pending."),
        Case(intent: "pending_card_payment", customerText: "How long does a pending card payment take to go through?"),
        Case(intent: "apple_pay_or_google_pay", customerText: "I can't add my card to Apple Pay."),
        Case(intent: "apple_pay_or_google_pay", customerText: "Google Pay won't accept my card, what's wrong?"),
        Case(
            intent: "apple_pay_or_google_pay",
            customerText: "Does my card work with Apple Pay? It keeps failing to add."),
    ]

    /// Scores `cases` (the reference set by default) with `assistant`'s intent model, catalogue and
    /// knowledge base.
    public static func run(
        assistant: Assistant, cases: [Case] = referenceCases, replies: [String: String] = referenceReplies
    ) -> Report {
        let offered = cases.map { offer($0, assistant: assistant, feedback: ReplyFeedback()) }
        var before = 0
        var after = 0
        for (index, turn) in cases.enumerated() {
            guard let reply = replies[turn.intent] else { continue }
            if let first = offered[index].suggestions.first, matches(first.text, reply: reply) { before += 1 }
            var learned: [String: [String: ReplyFeedback.Tally]] = [:]
            for (other, otherTurn) in cases.enumerated() where other != index {
                guard let otherReply = replies[otherTurn.intent] else { continue }
                let (intent, suggestions) = offered[other]
                for (position, suggestion) in suggestions.enumerated() {
                    if matches(suggestion.text, reply: otherReply) {
                        learned[intent, default: [:]][suggestion.id, default: .init()].accepted += 1
                    } else if position == 0 {
                        learned[intent, default: [:]][suggestion.id, default: .init()].rejected += 1
                    }
                }
            }
            var feedback = ReplyFeedback()
            for (intent, tallies) in learned { feedback.setTallies(tallies, forIntent: intent) }
            if let first = offer(turn, assistant: assistant, feedback: feedback).suggestions.first,
                matches(first.text, reply: reply)
            {
                after += 1
            }
        }
        let count = max(1, cases.count)
        return Report(
            cases: cases.count, top1Before: rounded(Double(before) / Double(count)),
            top1After: rounded(Double(after) / Double(count)))
    }

    /// The suggestions offered for a case's words, and the intent they were offered for.
    static func offer(
        _ turn: Case, assistant: Assistant, feedback: ReplyFeedback
    ) -> (intent: String, suggestions: [SuggestedReply]) {
        let prediction = assistant.detectIntent(turn.customerText)
        let articles = assistant.surfaceArticles(text: turn.customerText, prediction: prediction)
        let suggester = ReplySuggester(catalog: assistant.catalog, knowledgeBase: assistant.knowledgeBase)
        let suggestions = suggester.suggest(
            customerText: turn.customerText, customerFirstName: nil, prediction: prediction, articles: articles,
            feedback: feedback, excluded: [])
        return (prediction.intent, suggestions)
    }

    /// Whether `reply` holds at least ``matchShareMin`` of `suggestion`'s terms.
    static func matches(_ suggestion: String, reply: String) -> Bool {
        let terms = Set(BM25Index.terms(of: suggestion))
        guard !terms.isEmpty else { return false }
        let shared = Double(terms.intersection(BM25Index.terms(of: reply)).count) / Double(terms.count)
        return shared >= matchShareMin
    }

    private static func rounded(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }
}
