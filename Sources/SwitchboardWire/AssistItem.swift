public import SwitchboardBus
public import SwitchboardRouting

/// The summariser's item of one conversation, `assist.<conversationId>` (docs/PROTOCOL.md
/// §6.4): the assistance an agent's pane shows.
public struct AssistItem: Sendable, Hashable {
    /// The intent read from all the customer's words so far.
    public struct Intent: Sendable, Hashable {
        public var intent: String
        /// Two decimals.
        public var confidence: Double
        /// The product skill it implies.
        public var skill: String

        public init(intent: String, confidence: Double, skill: String) {
            self.intent = intent
            self.confidence = confidence
            self.skill = skill
        }
    }

    /// A suggested reply.
    public struct Suggestion: Sendable, Hashable {
        public var id: String
        public var text: String
        /// `template`, `article` or `backend`.
        public var source: String
        public var reason: String

        public init(id: String, text: String, source: String, reason: String) {
            self.id = id
            self.text = text
            self.source = source
            self.reason = reason
        }
    }

    /// A knowledge article surfaced for the conversation.
    public struct Article: Sendable, Hashable {
        public var id: String
        public var title: String
        public var why: String
        /// `intent` or `text`.
        public var source: String

        public init(id: String, title: String, why: String, source: String) {
            self.id = id
            self.title = title
            self.why = why
            self.source = source
        }
    }

    /// The handover drafted at a transfer, an escalation or the close.
    public struct CaseSummary: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable, CaseIterable {
            case waitingForAgent = "waiting-for-agent"
            case waitingForCustomer = "waiting-for-customer"
            case transferred
            case escalated
            case resolved
        }

        public var customer: String
        public var issue: String
        public var intent: String?
        public var skill: String?
        public var stepsTaken: [String]
        public var status: Status
        public var nextAction: String
        public var agents: [String]

        public init(
            customer: String, issue: String, intent: String?, skill: String?, stepsTaken: [String], status: Status,
            nextAction: String, agents: [String]
        ) {
            self.customer = customer
            self.issue = issue
            self.intent = intent
            self.skill = skill
            self.stepsTaken = stepsTaken
            self.status = status
            self.nextAction = nextAction
            self.agents = agents
        }
    }

    /// Why the case summary was drafted.
    public enum CaseSummaryReason: String, Sendable, Hashable, CaseIterable {
        case transfer
        case escalation
        case close
    }

    public var conversationId: ConversationID
    public var intent: Intent?
    public var summary: String?
    /// The customer's language (BCP 47 primary tag, `es`): the summary's, the replies' and the
    /// articles'. Nil until the customer writes, unless the queue's language is known.
    public var language: String?
    public var suggestions: [Suggestion]
    public var knowledge: [Article]
    public var caseSummary: CaseSummary?
    public var caseSummaryReason: CaseSummaryReason?
    /// `offline` or `openai-compatible`.
    public var backend: String

    public init(
        conversationId: ConversationID, intent: Intent? = nil, summary: String? = nil, suggestions: [Suggestion] = [],
        knowledge: [Article] = [], caseSummary: CaseSummary? = nil, caseSummaryReason: CaseSummaryReason? = nil,
        backend: String = "offline", language: String? = nil
    ) {
        self.conversationId = conversationId
        self.intent = intent
        self.summary = summary
        self.suggestions = suggestions
        self.knowledge = knowledge
        self.caseSummary = caseSummary
        self.caseSummaryReason = caseSummaryReason
        self.backend = backend
        self.language = language
    }

    /// The item's key, `assist.<conversationId>`.
    public var key: String { "assist.\(conversationId)" }

    static let itemName = "assist item"

    public var json: JSON {
        var object = JSONObject()
        object["conversationId"] = .string(conversationId.rawValue)
        object["intent"] = intent.map(\.json) ?? .null
        object["summary"] = .optional(summary)
        object["language"] = .optional(language)
        object["suggestions"] = .array(suggestions.map(\.json))
        object["knowledge"] = .array(knowledge.map(\.json))
        object["caseSummary"] = caseSummary.map(\.json) ?? .null
        object["caseSummaryReason"] = .optional(caseSummaryReason?.rawValue)
        object["backend"] = .string(backend)
        return .object(object)
    }

    public init(json: JSON) throws(WireError) {
        let fields = try WireFields(json, item: Self.itemName)
        self.init(
            conversationId: try fields.identifier("conversationId"),
            intent: try fields.optionalFields("intent").map { intent throws(WireError) in
                Intent(
                    intent: try intent.string("intent"), confidence: try intent.double("confidence"),
                    skill: try intent.string("skill"))
            },
            summary: try fields.optionalString("summary"),
            suggestions: try fields.elements("suggestions") { value, path throws(WireError) in
                let suggestion = try WireFields(value, item: Self.itemName, path: path)
                return Suggestion(
                    id: try suggestion.string("id"), text: try suggestion.string("text"),
                    source: try suggestion.string("source"), reason: try suggestion.string("reason"))
            },
            knowledge: try fields.elements("knowledge") { value, path throws(WireError) in
                let article = try WireFields(value, item: Self.itemName, path: path)
                return Article(
                    id: try article.string("id"), title: try article.string("title"), why: try article.string("why"),
                    source: try article.string("source"))
            },
            caseSummary: try fields.optionalFields("caseSummary").map { summary throws(WireError) in
                CaseSummary(
                    customer: try summary.string("customer"), issue: try summary.string("issue"),
                    intent: try summary.optionalString("intent"), skill: try summary.optionalString("skill"),
                    stepsTaken: try summary.strings("stepsTaken"), status: try summary.oneOf("status"),
                    nextAction: try summary.string("nextAction"), agents: try summary.strings("agents"))
            },
            caseSummaryReason: try fields.optionalOneOf("caseSummaryReason"), backend: try fields.string("backend"),
            language: try fields.optionalString("language"))
    }
}

extension AssistItem.Intent {
    public var json: JSON { ["intent": .string(intent), "confidence": .double(confidence), "skill": .string(skill)] }
}

extension AssistItem.Suggestion {
    public var json: JSON {
        ["id": .string(id), "text": .string(text), "source": .string(source), "reason": .string(reason)]
    }
}

extension AssistItem.Article {
    public var json: JSON {
        ["id": .string(id), "title": .string(title), "why": .string(why), "source": .string(source)]
    }
}

extension AssistItem.CaseSummary {
    public var json: JSON {
        [
            "customer": .string(customer), "issue": .string(issue), "intent": .optional(intent),
            "skill": .optional(skill), "stepsTaken": .array(stepsTaken.map(JSON.string)),
            "status": .string(status.rawValue), "nextAction": .string(nextAction),
            "agents": .array(agents.map(JSON.string)),
        ]
    }
}
