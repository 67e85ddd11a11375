internal import Foundation

/// Extractive, template-based summaries of a transcript: no model, no network, deterministic.
///
/// The customer's need comes from the detected intent (its catalogue phrase) and the customer's
/// own words; the steps taken are the agents' action sentences ("I've frozen your card")
/// rewritten in the third person, their requests ("Could you confirm the address?"), and the
/// platform's transfers and escalations; what is pending follows from who spoke last and how.
public struct ConversationSummariser: Sendable {
    /// Steps named in the one-sentence summary (the most recent); the case summary lists all.
    public static let sentenceStepsMax = 3
    /// Steps kept in the case summary (the most recent).
    public static let caseStepsMax = 12
    /// Longest quotation of the customer's words.
    static let quotationLengthMax = 140
    /// Below this intent confidence the need is told in the customer's words (a loan question
    /// is no card intent, whatever the closest one is).
    public static let needConfidenceMin = 0.2

    public let catalog: IntentCatalog

    public init(catalog: IntentCatalog) {
        self.catalog = catalog
    }

    /// Summarises `messages` (oldest first); `prediction` is the conversation's detected intent, if any.
    public func summarise(_ messages: [TranscriptMessage], prediction: IntentPrediction?) -> ConversationSummary {
        let customerMessages = messages.filter { $0.role == .customer }
        let customer = customerMessages.first?.author.nonEmpty ?? "The customer"
        let profile = prediction.flatMap { catalog.profile(for: $0.intent) }
        let issueWords = Self.customerWords(customerMessages, prediction: prediction)
        let intentUnsure = (prediction?.confidence ?? 0) < Self.needConfidenceMin && issueWords != nil
        let need =
            if let issueWords, intentUnsure {
                "help with \u{201C}\(issueWords)\u{201D}"
            } else {
                prediction.map { catalog.need(for: $0.intent) } ?? "help (the need is not clear yet)"
            }
        var agents: [String] = []
        var steps: [String] = []
        var transferTarget: String?
        var lastTransferIndex: Int?
        var lastEscalationIndex: Int?
        var lastCloseIndex: Int?

        for (index, message) in messages.enumerated() {
            let lowered = message.text.lowercased()
            switch message.role {
            case .agent:
                if !agents.contains(message.author) { agents.append(message.author) }
                for sentence in Self.sentences(of: message.text).map(Self.withoutLeadIn) {
                    if let step = Self.actionStep(sentence, agent: message.author) {
                        steps.append(step)
                    } else if let request = Self.requestStep(sentence, agent: message.author) {
                        steps.append(request)
                    }
                }
                if lowered.contains("escalat") { lastEscalationIndex = index }
            case .system:
                if lowered.contains("transfer") {
                    lastTransferIndex = index
                    transferTarget =
                        Self.nameAfter(" to ", in: message.text)
                        ?? LocalisedSummariser.transferTarget(message.text).map {
                            $0.isQueue ? "the \($0.name) queue" : $0.name
                        }
                    steps.append(Self.clause(message.text))
                } else if lowered.contains("escalat") {
                    lastEscalationIndex = index
                    steps.append(Self.clause(message.text))
                } else if lowered.contains("closed") || lowered.contains("resolved") {
                    lastCloseIndex = index
                    steps.append(Self.clause(message.text))
                }
            case .supervisor:
                steps.append("supervisor \(message.author) stepped in")
                if lowered.contains("escalat") { lastEscalationIndex = index }
            case .customer:
                break
            }
        }

        let lastSpoken = messages.lastIndex { $0.role == .customer || $0.role == .agent }
        let latestCustomer = customerMessages.last?.text ?? ""
        let customerConfirmed =
            Self.confirmsResolution(latestCustomer) && lastSpoken.map { messages[$0].role == .customer } == true
        let afterTransfer =
            lastTransferIndex.map { transfer in
                !messages[(transfer + 1)...].contains { $0.role == .agent }
            } ?? false
        let usualStep = (intentUnsure ? nil : profile?.nextAction) ?? "find out what the customer needs"
        let status: CaseSummary.Status
        let pending: String
        let nextAction: String
        if let close = lastCloseIndex, lastSpoken.map({ $0 < close }) ?? true {
            status = .resolved
            pending = "nothing, the conversation is closed"
            nextAction = "Review the summary and save the case with a disposition code."
        } else if customerConfirmed {
            status = .resolved
            pending = "only closing the conversation, since \(Self.firstName(customer)) confirmed the need is met"
            nextAction = "Confirm nothing else is needed, then close the conversation."
        } else if afterTransfer {
            status = .transferred
            let newAgent = transferTarget ?? "the new agent"
            pending = "\(newAgent) to pick up the conversation and \(usualStep)"
            nextAction = "\(newAgent) to read this summary, greet the customer and \(usualStep)."
        } else if let escalation = lastEscalationIndex, lastSpoken.map({ $0 <= escalation }) ?? true {
            status = .escalated
            pending = "a supervisor's decision"
            nextAction = "Supervisor to review the case and decide; then \(usualStep)."
        } else if let spoken = lastSpoken, messages[spoken].role == .agent {
            let agent = messages[spoken].author
            let agentSentences = Self.sentences(of: messages[spoken].text).map(Self.withoutLeadIn)
            if let promise = agentSentences.lazy.compactMap({ Self.promise($0, agent: agent) }).last {
                status = .waitingForAgent
                pending = promise
                nextAction = Self.sentenceCase(promise) + "."
            } else if let question = agentSentences.last(where: { $0.hasSuffix("?") }) {
                status = .waitingForCustomer
                pending = "the customer's answer to \u{201C}\(Self.quote(question))\u{201D}"
                nextAction = "Wait for the customer's answer, then \(usualStep)."
            } else {
                status = .waitingForCustomer
                pending = "the customer's reply to \(agent)'s last message"
                nextAction = "If the customer does not reply, check they have what they need, then \(usualStep)."
            }
        } else {
            status = .waitingForAgent
            let latestQuestion = Self.sentences(of: latestCustomer).last(where: { $0.hasSuffix("?") })
            if let latestQuestion, !agents.isEmpty {
                pending = "an answer to the customer's question \u{201C}\(Self.quote(latestQuestion))\u{201D}"
            } else if agents.isEmpty {
                pending = "a first reply from an agent"
            } else {
                pending = "a reply to the customer's latest message"
            }
            nextAction = Self.sentenceCase(usualStep) + "."
        }

        let issue =
            intentUnsure
            ? "Wants \(need)."
            : issueWords.map { "Wants \(need) (in their words: \u{201C}\($0)\u{201D})." } ?? "Wants \(need)."
        let caseSummary = CaseSummary(
            customer: customer, issue: issue, intent: prediction?.intent, skill: prediction?.skill,
            stepsTaken: Array(steps.suffix(Self.caseStepsMax)), status: status, nextAction: nextAction, agents: agents)
        let done: String
        if steps.isEmpty {
            done = agents.isEmpty ? "no agent has replied yet" : "nothing has been done yet"
        } else {
            let recent = Array(steps.suffix(Self.sentenceStepsMax))
            let earlier = steps.count - recent.count
            let listed = Self.list(recent)
            let stepWord = earlier == 1 ? "step" : "steps"
            done = earlier > 0 ? "after \(earlier) earlier \(stepWord), \(listed)" : "so far \(listed)"
        }
        let sentence = "\(customer) wants \(need); \(done); pending: \(pending)."
        return ConversationSummary(sentence: sentence, caseSummary: caseSummary)
    }

    // MARK: - Reading the transcript

    /// The customer's plainest statement of the need: the first message of four words or more.
    static func customerWords(_ messages: [TranscriptMessage], prediction: IntentPrediction?) -> String? {
        let statement = messages.first { $0.text.split(separator: " ").count >= 4 } ?? messages.first
        return statement.map { quote($0.text) }
    }

    /// An agent sentence that reports something done, in the third person ("Priya has frozen the
    /// customer's card"), or nil.
    static func actionStep(_ sentence: String, agent: String) -> String? {
        let lowered = sentence.lowercased()
        for opener in ["i've ", "i have ", "we've ", "we have "] where lowered.hasPrefix(opener) {
            let rest = String(sentence.dropFirst(opener.count))
            guard let verb = rest.split(separator: " ").first, isParticiple(verb.lowercased()) else { return nil }
            return "\(agent) has \(thirdPerson(rest))"
        }
        for opener in ["i just ", "i "] where lowered.hasPrefix(opener) {
            let rest = String(sentence.dropFirst(opener.count))
            guard let verb = rest.split(separator: " ").first, isPastTense(verb.lowercased()) else { continue }
            return "\(agent) \(thirdPerson(rest))"
        }
        if lowered.hasPrefix("i can see ") {
            return "\(agent) found \(thirdPerson(String(sentence.dropFirst("i can see ".count))))"
        }
        if lowered.hasPrefix("your ") && (lowered.contains(" has been ") || lowered.contains(" have been ")) {
            return thirdPerson(sentence)
        }
        return nil
    }

    /// An agent's request to the customer as a step ("Priya asked the customer to confirm their
    /// address"), or nil when the sentence is not a question or request.
    static func requestStep(_ sentence: String, agent: String) -> String? {
        let lowered = sentence.lowercased()
        for opener in ["could you please ", "can you please ", "could you ", "can you ", "would you ", "please "]
        where lowered.hasPrefix(opener) {
            var rest = String(sentence.dropFirst(opener.count))
            if rest.hasSuffix("?") || rest.hasSuffix(".") || rest.hasSuffix("!") { rest.removeLast() }
            return "\(agent) asked the customer to \(thirdPerson(rest, subject: "they"))"
        }
        if sentence.hasSuffix("?") {
            return "\(agent) asked \u{201C}\(quote(sentence))\u{201D}"
        }
        return nil
    }

    /// An agent's promise ("I'll check when it was sent") as a pending item ("Priya to check when
    /// it was sent"), or nil.
    static func promise(_ sentence: String, agent: String) -> String? {
        let lowered = sentence.lowercased()
        for opener in ["i'll ", "i will ", "let me ", "we'll ", "we will "] where lowered.hasPrefix(opener) {
            var rest = String(sentence.dropFirst(opener.count))
            if rest.hasSuffix(".") || rest.hasSuffix("!") { rest.removeLast() }
            return "\(agent) to \(thirdPerson(rest))"
        }
        return nil
    }

    /// A sentence without a short lead-in before a comma ("Hello Dana, I'll order…" → "I'll order…"),
    /// so that the action or promise after it is recognised; longer openings are kept.
    static func withoutLeadIn(_ sentence: String) -> String {
        guard let comma = sentence.firstIndex(of: ",") else { return sentence }
        let leadIn = sentence[..<comma]
        let rest = sentence[sentence.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        guard leadIn.split(separator: " ").count <= 3, let first = rest.split(separator: " ").first else {
            return sentence
        }
        let openers: Set<String> = [
            "i", "i've", "i'll", "we", "we've", "we'll", "could", "can", "would", "please", "let", "your",
        ]
        return openers.contains(first.lowercased()) ? String(rest) : sentence
    }

    static func isParticiple(_ word: String) -> Bool {
        word.hasSuffix("ed") || irregularParticiples.contains(word)
            || ["just", "now", "already", "also"].contains(word)
    }

    static func isPastTense(_ word: String) -> Bool {
        (word.hasSuffix("ed") && word != "need") || irregularPast.contains(word)
    }

    static let irregularParticiples: Set<String> = [
        "sent", "frozen", "made", "taken", "given", "put", "set", "done", "seen", "found", "raised", "paid", "spoken",
        "written", "told", "shown", "begun", "reset", "cancelled", "held", "kept", "left", "brought",
    ]
    static let irregularPast: Set<String> = [
        "sent", "froze", "made", "took", "gave", "put", "set", "did", "saw", "found", "paid", "spoke", "wrote", "told",
        "showed", "began", "reset", "held", "kept", "brought",
    ]

    /// Rewrites second-person words for a third-person summary ("your card" → "the customer's card").
    static func thirdPerson(_ text: String, subject: String = "the customer") -> String {
        var words: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let bare = word.trimmingCharacters(in: .punctuationCharacters).lowercased()
            let trailing = String(word.reversed().prefix { $0.isPunctuation }.reversed())
            switch bare {
            case "your": words.append(subject == "they" ? "their" + trailing : "the customer's" + trailing)
            case "yours": words.append("theirs" + trailing)
            case "you": words.append((words.isEmpty ? subject : "them") + trailing)
            case "yourself": words.append("themselves" + trailing)
            default: words.append(String(word))
            }
        }
        var result = words.joined(separator: " ")
        while let last = result.last, ".!?".contains(last) { result.removeLast() }
        return result
    }

    static func confirmsResolution(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let phrases = [
            "that's all", "that is all", "all sorted", "that worked", "it worked", "problem solved", "all good now",
            "that fixed it", "that's fixed", "it's working now", "works now", "got it now", "resolved, thank",
        ]
        return phrases.contains { lowered.contains($0) }
    }

    /// The capitalised word(s) after `marker` ("... from Priya to Marco Rossi." → "Marco Rossi").
    static func nameAfter(_ marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker, options: .backwards) else { return nil }
        let words = text[range.upperBound...].split(separator: " ")
            .prefix { $0.first?.isUppercase == true }
            .map { $0.trimmingCharacters(in: .punctuationCharacters) }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    static func sentences(of text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            let atEnd = index == characters.count - 1
            if atEnd || (".!?".contains(character) && characters[index + 1] == " ") || character.isNewline {
                let sentence = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !sentence.isEmpty { result.append(sentence) }
                current = ""
            }
        }
        return result
    }

    /// A message as a clause inside the summary sentence: no final stop, first letter lower-cased
    /// unless it starts a name.
    static func clause(_ text: String) -> String {
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = result.last, ".!".contains(last) { result.removeLast() }
        if let first = result.first, first.isUppercase, result.dropFirst().first?.isLowercase == true,
            let firstWord = result.split(separator: " ").first, commonOpeners.contains(firstWord.lowercased())
        {
            result = first.lowercased() + result.dropFirst()
        }
        return result
    }

    static let commonOpeners: Set<String> = [
        "conversation", "transferred", "escalated", "closed", "the", "case", "chat",
    ]

    static func quote(_ text: String) -> String {
        let folded = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard folded.count > quotationLengthMax else { return folded }
        return String(folded.prefix(quotationLengthMax - 1)).trimmingCharacters(in: .whitespaces) + "\u{2026}"
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    static func sentenceCase(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    static func firstName(_ name: String) -> String {
        name.split(separator: " ").first.map(String.init) ?? name
    }
}

extension String {
    fileprivate var nonEmpty: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
