internal import Foundation

/// Summaries in Spanish, French and German: at most three sentences (the customer's need, what
/// has been done, what is pending), in the conversation's language, extracted and templated like
/// the English ``ConversationSummariser`` (no model, no network, deterministic).
///
/// The need is the catalogue's phrase of the detected intent in that language (the customer's own
/// words when the intent is unsure); the steps are the agents' first-person reports ("He bloqueado
/// su tarjeta" → "Lucía ha bloqueado su tarjeta"), their questions, and the platform's transfers,
/// escalations and close; what is pending follows from who spoke last and how, as in English.
public struct LocalisedSummariser: Sendable {
    /// Below this confidence the need is told in the customer's words rather than the intent's phrase.
    public static let intentConfidenceMin = 0.5

    public let catalog: IntentCatalog
    let phrases: SummaryPhrasebook

    /// A summariser for `language`; callers check ``supports(_:)`` first (a language without a
    /// phrasebook is summarised in English by ``ConversationSummariser``).
    public init(catalog: IntentCatalog, language: String) {
        self.catalog = catalog
        self.phrases = SummaryPhrasebook.forLanguage(language) ?? .spanish
    }

    /// Whether `language` has a phrasebook.
    public static func supports(_ language: String) -> Bool { SummaryPhrasebook.forLanguage(language) != nil }

    /// Summarises `messages` (oldest first); `prediction` is the conversation's detected intent, if any.
    public func summarise(_ messages: [TranscriptMessage], prediction: IntentPrediction?) -> ConversationSummary {
        let customerMessages = messages.filter { $0.role == .customer }
        let customer = customerMessages.first?.author.trimmingCharacters(in: .whitespaces) ?? ""
        let customerName = customer.isEmpty ? phrases.theCustomer : customer
        let profile = prediction.flatMap { catalog.profile(for: $0.intent) }
        var agents: [String] = []
        var steps: [String] = []
        var transferTarget: String?
        var lastTransferIndex: Int?
        var lastEscalationIndex: Int?
        var lastCloseIndex: Int?
        for (index, message) in messages.enumerated() {
            let lowered = message.text.lowercased()
            let escalation = phrases.escalationMarkers.contains { lowered.contains($0) } || lowered.contains("escalat")
            switch message.role {
            case .agent:
                if !agents.contains(message.author) { agents.append(message.author) }
                for sentence in ConversationSummariser.sentences(of: message.text).map(withoutLeadIn) {
                    if let step = actionStep(sentence, agent: message.author) {
                        steps.append(step)
                    } else if sentence.hasSuffix("?") {
                        steps.append(
                            fill(phrases.askedStep, ["agent": message.author, "question": question(sentence)]))
                    }
                }
                if escalation { lastEscalationIndex = index }
            case .system:
                if lowered.contains("transfer") {
                    lastTransferIndex = index
                    transferTarget = Self.transferTarget(message.text).map(localisedTarget)
                    steps.append(fill(phrases.transferredStep, ["target": transferTarget ?? "?"]))
                } else if escalation {
                    lastEscalationIndex = index
                    steps.append(phrases.escalatedStep)
                } else if lowered.contains("closed") || lowered.contains("resolved") {
                    lastCloseIndex = index
                    steps.append(phrases.closedStep)
                }
            case .supervisor:
                steps.append(fill(phrases.supervisorStep, ["agent": message.author]))
                if escalation { lastEscalationIndex = index }
            case .customer:
                break
            }
        }

        let lastSpoken = messages.lastIndex { $0.role == .customer || $0.role == .agent }
        let latestCustomer = customerMessages.last?.text.lowercased() ?? ""
        let customerConfirmed =
            phrases.confirmations.contains { latestCustomer.contains($0) }
            && lastSpoken.map { messages[$0].role == .customer } == true
        let afterTransfer =
            lastTransferIndex.map { transfer in !messages[(transfer + 1)...].contains { $0.role == .agent } } ?? false
        let words = customerWords(customerMessages)
        let intentSure = (prediction?.confidence ?? 0) >= Self.intentConfidenceMin || words == nil
        let usualStep = (intentSure ? profile?.nextAction : nil) ?? phrases.findOutNeed
        let status: CaseSummary.Status
        let pending: String
        if let close = lastCloseIndex, lastSpoken.map({ $0 < close }) ?? true {
            status = .resolved
            pending = phrases.pendingClosed
        } else if customerConfirmed {
            status = .resolved
            pending = phrases.pendingConfirmed
        } else if afterTransfer {
            status = .transferred
            pending = fill(phrases.pendingTransferred, ["target": transferTarget ?? "?", "next": usualStep])
        } else if let escalation = lastEscalationIndex, lastSpoken.map({ $0 <= escalation }) ?? true {
            status = .escalated
            pending = phrases.pendingEscalation
        } else if let spoken = lastSpoken, messages[spoken].role == .agent {
            let agent = messages[spoken].author
            let sentences = ConversationSummariser.sentences(of: messages[spoken].text).map(withoutLeadIn)
            if let promise = sentences.lazy.compactMap({ self.promise($0, agent: agent) }).last {
                status = .waitingForAgent
                pending = promise
            } else if let asked = sentences.last(where: { $0.hasSuffix("?") }) {
                status = .waitingForCustomer
                pending = fill(phrases.pendingAnswer, ["question": question(asked)])
            } else {
                status = .waitingForCustomer
                pending = fill(phrases.pendingReply, ["agent": agent])
            }
        } else {
            status = .waitingForAgent
            pending = agents.isEmpty ? phrases.pendingFirstReply : fill(phrases.pendingAgent, ["next": usualStep])
        }

        let need: String
        if let profile, intentSure {
            need = fill(phrases.wants, ["customer": customerName, "need": profile.need])
        } else {
            need = fill(phrases.asksInTheirWords, ["customer": customerName, "words": words ?? ""])
        }
        let done: String
        if steps.isEmpty {
            done = agents.isEmpty ? phrases.noAgentYet : phrases.nothingDoneYet
        } else {
            let recent = steps.suffix(ConversationSummariser.sentenceStepsMax)
            done = fill(phrases.done, ["steps": list(Array(recent))])
        }
        let pendingSentence = fill(phrases.pending, ["pending": pending])
        let caseSummary = CaseSummary(
            customer: customerName, issue: need, intent: prediction?.intent, skill: prediction?.skill,
            stepsTaken: Array(steps.suffix(ConversationSummariser.caseStepsMax)), status: status,
            nextAction: ConversationSummariser.sentenceCase(pending) + ".", agents: agents)
        return ConversationSummary(
            sentence: [need, done, pendingSentence].joined(separator: " "), caseSummary: caseSummary)
    }

    // MARK: - Reading the transcript

    /// The customer's first sentence of four words or more, without its final stop (so that the
    /// summary keeps to three sentences).
    func customerWords(_ messages: [TranscriptMessage]) -> String? {
        let statement = messages.first { $0.text.split(separator: " ").count >= 4 } ?? messages.first
        guard let statement else { return nil }
        let first = ConversationSummariser.sentences(of: statement.text).first ?? statement.text
        return ConversationSummariser.quote(Self.withoutStop(first))
    }

    /// A question quoted inside a summary sentence: folded, bounded, its inverted mark kept.
    func question(_ sentence: String) -> String { ConversationSummariser.quote(sentence) }

    /// An agent's first-person report as a step ("He bloqueado su tarjeta" → "Lucía ha bloqueado
    /// su tarjeta"), or nil.
    func actionStep(_ sentence: String, agent: String) -> String? {
        rewrite(sentence, openers: phrases.actionOpeners, agent: agent)
    }

    /// An agent's promise as a pending item ("Voy a pedir una tarjeta nueva" → "Lucía va a pedir
    /// una tarjeta nueva"), or nil.
    func promise(_ sentence: String, agent: String) -> String? {
        rewrite(sentence, openers: phrases.promiseOpeners, agent: agent)
    }

    private func rewrite(_ sentence: String, openers: [(String, String)], agent: String) -> String? {
        let lowered = sentence.lowercased()
        for (opener, replacement) in openers where lowered.hasPrefix(opener) {
            let rest = String(sentence.dropFirst(opener.count))
            guard !rest.isEmpty, !sentence.hasSuffix("?") else { return nil }
            return "\(agent) \(replacement)\(thirdPerson(Self.withoutStop(rest)))"
        }
        return nil
    }

    /// Second-person words in the third person. German's formal "Ihre" is told from "ihre" (her,
    /// their) by its capital, so only capitalised words are rewritten there.
    func thirdPerson(_ text: String) -> String {
        let original = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var words: [String] = []
        for (index, word) in original.enumerated() {
            let bare = word.trimmingCharacters(in: .punctuationCharacters)
            let trailing = String(word.reversed().prefix { $0.isPunctuation }.reversed())
            let capitalOnly = phrases.language == "de"
            if let verb = phrases.firstPersonVerbs[bare.lowercased()] {
                words.append(verb + trailing)
            } else if let replacement = phrases.thirdPerson[bare.lowercased()],
                !capitalOnly || bare.first?.isUppercase == true
            {
                words.append(replacement + trailing)
            } else if phrases.language == "fr", bare.lowercased() == "votre" {
                let next = index + 1 < original.count ? original[index + 1] : ""
                words.append(Self.frenchPossessive(before: next) + trailing)
            } else {
                words.append(word)
            }
        }
        return words.joined(separator: " ")
    }

    /// "votre carte" → "sa carte", "votre compte" → "son compte": the feminine nouns of a bank's
    /// conversations that start with a consonant take "sa", every other noun "son".
    static func frenchPossessive(before nextWord: String) -> String {
        let next = nextWord.lowercased().trimmingCharacters(in: .punctuationCharacters)
        let feminine: Set<String> = [
            "carte", "demande", "commande", "réclamation", "transaction", "banque", "nouvelle", "plainte", "situation",
            "vérification", "pièce", "facture", "contestation", "livraison", "limite",
        ]
        return feminine.contains(next) ? "sa" : "son"
    }

    /// A sentence after a short greeting ("Hola Ana, he bloqueado…" → "he bloqueado…").
    func withoutLeadIn(_ sentence: String) -> String {
        guard let comma = sentence.firstIndex(of: ",") else { return sentence }
        let leadIn = sentence[..<comma]
        let rest = sentence[sentence.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        guard leadIn.split(separator: " ").count <= 3, let first = rest.split(separator: " ").first else {
            return sentence
        }
        return phrases.openers.contains(first.lowercased()) ? rest : sentence
    }

    /// The target of a platform transfer line ("Transferred to the loans queue by Priya." →
    /// queue `loans`; "… from Priya to Marco Rossi (cards team)." → `Marco Rossi`).
    static func transferTarget(_ text: String) -> (name: String, isQueue: Bool)? {
        let lowered = text.lowercased()
        guard let to = lowered.range(of: " to ", options: .backwards) ?? lowered.range(of: "transferred to ") else {
            return nil
        }
        let start = text.index(text.startIndex, offsetBy: lowered.distance(from: lowered.startIndex, to: to.upperBound))
        var rest = String(text[start...])
        for marker in [" by ", ", noting", " ("] {
            if let range = rest.range(of: marker) { rest = String(rest[..<range.lowerBound]) }
        }
        rest = withoutStop(rest.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("the "), rest.hasSuffix(" queue") {
            return (String(rest.dropFirst(4).dropLast(6)), true)
        }
        return rest.isEmpty ? nil : (rest, false)
    }

    private func localisedTarget(_ target: (name: String, isQueue: Bool)) -> String {
        target.isQueue ? fill(phrases.queueName, ["target": target.name]) : target.name
    }

    private func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " \(phrases.and) " + (items.last ?? "")
        }
    }

    private func fill(_ template: String, _ values: [String: String]) -> String {
        var result = template
        for (key, value) in values { result = result.replacingOccurrences(of: "{\(key)}", with: value) }
        return result
    }

    static func withoutStop(_ text: String) -> String {
        var result = text
        while let last = result.last, ".!".contains(last) { result.removeLast() }
        return result
    }
}
