public import SwitchboardBus
public import SwitchboardWorkspace

/// Reads the summariser's `assist.*` events and snapshot items (docs/PROTOCOL.md §6.4) as
/// pane updates. Lenient: a field it cannot read is left out, never a failure, because the
/// summariser is a separate process that may run another version. Texts and lists are cut
/// to the pane's bounds (`DeskLimits`): the summariser ranks best first.
public enum AssistanceTranslation {
    /// The updates carried by an event: its own fields for its type, else its `item`.
    public static func updates(type: String, data: JSON) -> [AssistanceUpdate] {
        let own: [AssistanceUpdate]
        switch type {
        case "assist.summary": own = summary(data["sentence"]).map { [$0] } ?? []
        case "assist.suggestions": own = suggestions(data["suggestions"]).map { [$0] } ?? []
        case "assist.knowledge": own = knowledge(data["articles"]).map { [$0] } ?? []
        case "assist.caseSummary": own = caseSummary(data["caseSummary"]).map { [$0] } ?? []
        default: own = []
        }
        if !own.isEmpty { return own }
        return data["item"].map(updates(item:)) ?? []
    }

    /// Everything an `assist.<conversationId>` item holds, one update per pane tool.
    public static func updates(item: JSON) -> [AssistanceUpdate] {
        var updates: [AssistanceUpdate] = []
        let sentence = item["summary"]?["sentence"] ?? item["summary"] ?? item["sentence"]
        if let update = summary(sentence) { updates.append(update) }
        if let update = suggestions(item["suggestions"]) { updates.append(update) }
        if let update = knowledge(item["articles"] ?? item["knowledge"]) { updates.append(update) }
        if let update = caseSummary(item["caseSummary"]) { updates.append(update) }
        return updates
    }

    static func summary(_ value: JSON?) -> AssistanceUpdate? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return .summary(text: bounded(text))
    }

    static func suggestions(_ value: JSON?) -> AssistanceUpdate? {
        guard let list = value?.arrayValue else { return nil }
        let texts = list.compactMap { $0["text"]?.stringValue ?? $0.stringValue }.filter { !$0.isEmpty }
        return .suggestedReplies(texts.prefix(DeskLimits.assistanceItemsMax).map(bounded))
    }

    static func knowledge(_ value: JSON?) -> AssistanceUpdate? {
        guard let list = value?.arrayValue else { return nil }
        let articles = list.compactMap { article -> KnowledgeArticleRef? in
            guard let id = article["id"]?.stringValue, !id.isEmpty else { return nil }
            return KnowledgeArticleRef(id: bounded(id), title: bounded(article["title"]?.stringValue ?? id))
        }
        return .knowledge(Array(articles.prefix(DeskLimits.assistanceItemsMax)))
    }

    static func caseSummary(_ value: JSON?) -> AssistanceUpdate? {
        guard let value, case .object = value, let issue = value["issue"]?.stringValue else { return nil }
        let steps: [String]
        if let list = value["stepsTaken"]?.arrayValue {
            steps = list.compactMap(\.stringValue)
        } else if let text = value["stepsTaken"]?.stringValue, !text.isEmpty {
            steps = [text]
        } else {
            steps = []
        }
        let next = value["nextAction"]?.stringValue ?? value["nextStep"]?.stringValue ?? ""
        return .caseSummary(
            CaseSummary(issue: bounded(issue), actionsTaken: steps.prefix(5).map(bounded), nextStep: bounded(next)))
    }

    /// Cuts `text` to `DeskLimits.assistanceTextBytesMax` bytes on a character boundary.
    static func bounded(_ text: String) -> String {
        guard text.utf8.count > DeskLimits.assistanceTextBytesMax else { return text }
        var kept = ""
        var bytes = 0
        for character in text {
            bytes += character.utf8.count
            if bytes > DeskLimits.assistanceTextBytesMax { break }
            kept.append(character)
        }
        return kept
    }
}
