public import SwitchboardBus
public import SwitchboardWire
public import SwitchboardWorkspace

/// Reads the summariser's `assist.*` events and snapshot items (docs/PROTOCOL.md §6.4) as
/// pane updates, through the wire's `AssistItem` (every event carries the whole item). Texts
/// and lists are cut to the pane's bounds (`DeskLimits`): the summariser ranks best first.
public enum AssistanceTranslation {
    /// The updates an event calls for: its item's facet for its type (`assist.summary`,
    /// `assist.suggestions`, `assist.knowledge`, `assist.caseSummary`); nothing for the others
    /// (`assist.intent` has no pane tool, `assist.forgotten` carries no item).
    public static func updates(type: String, data: JSON) throws(WireError) -> [AssistanceUpdate] {
        let facets = ["assist.summary", "assist.suggestions", "assist.knowledge", "assist.caseSummary"]
        guard facets.contains(type), let value = data["item"], !value.isNull else { return [] }
        let item = try AssistItem(json: value)
        let update: AssistanceUpdate? =
            switch type {
            case "assist.summary": summary(item)
            case "assist.suggestions": suggestions(item)
            case "assist.knowledge": knowledge(item)
            default: caseSummary(item)
            }
        return update.map { [$0] } ?? []
    }

    /// Everything an `assist.<conversationId>` item holds, one update per pane tool.
    public static func updates(item value: JSON) throws(WireError) -> [AssistanceUpdate] {
        let item = try AssistItem(json: value)
        return [summary(item), suggestions(item), knowledge(item), caseSummary(item)].compactMap { $0 }
    }

    static func summary(_ item: AssistItem) -> AssistanceUpdate? {
        guard let text = item.summary, !text.isEmpty else { return nil }
        return .summary(text: bounded(text))
    }

    static func suggestions(_ item: AssistItem) -> AssistanceUpdate {
        let texts = item.suggestions.map(\.text).filter { !$0.isEmpty }
        return .suggestedReplies(texts.prefix(DeskLimits.assistanceItemsMax).map(bounded))
    }

    static func knowledge(_ item: AssistItem) -> AssistanceUpdate {
        let articles = item.knowledge.filter { !$0.id.isEmpty }.map { article in
            KnowledgeArticleRef(id: bounded(article.id), title: bounded(article.title))
        }
        return .knowledge(Array(articles.prefix(DeskLimits.assistanceItemsMax)))
    }

    static func caseSummary(_ item: AssistItem) -> AssistanceUpdate? {
        guard let summary = item.caseSummary else { return nil }
        return .caseSummary(
            SwitchboardWorkspace.CaseSummary(
                issue: bounded(summary.issue), actionsTaken: summary.stepsTaken.prefix(5).map(bounded),
                nextStep: bounded(summary.nextAction)))
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
