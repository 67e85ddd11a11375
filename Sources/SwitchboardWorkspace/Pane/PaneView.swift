/// What the productivity pane of a session shows right now: the tools of the active tab that
/// the agent's preferences enable, each with its content.
public struct PaneView: Codable, Sendable, Equatable {
    /// The content of one tool.
    public enum Content: Codable, Sendable, Equatable {
        case summary(String?)
        case suggestedReplies([String])
        case articles([KnowledgeArticleRef])
        case relatedCases([RelatedCase])
        case history([HistoryEntry])
        case caseSummary(CaseSummary?)
    }

    /// One tool and its content.
    public struct Section: Codable, Sendable, Equatable {
        public var tool: PaneTool
        public var content: Content

        public init(tool: PaneTool, content: Content) {
            self.tool = tool
            self.content = content
        }
    }

    /// The tab the pane follows.
    public var tab: TabID
    public var tabKind: TabKind
    public var sections: [Section]

    public var tools: [PaneTool] { sections.map(\.tool) }

    /// The pane for `tab` given the session's assistance and the tools the agent enabled.
    public static func build(for tab: Tab, assistance: Assistance, enabledTools: [PaneTool]) -> PaneView {
        let enabled = Set(enabledTools)
        let sections = tab.kind.paneTools.filter(enabled.contains).map { tool -> Section in
            switch tool {
            case .conversationSummary:
                Section(tool: tool, content: .summary(assistance.summary))
            case .suggestedReplies:
                Section(tool: tool, content: .suggestedReplies(assistance.suggestedReplies))
            case .knowledge:
                Section(tool: tool, content: .articles(assistance.knowledge))
            case .relatedCases:
                Section(tool: tool, content: .relatedCases(assistance.relatedCases))
            case .customerHistory:
                Section(tool: tool, content: .history(assistance.customerHistory))
            case .caseSummary:
                Section(tool: tool, content: .caseSummary(assistance.caseSummary))
            case .relatedArticles:
                if case .knowledgeArticle(let article) = tab.content {
                    Section(tool: tool, content: .articles(assistance.articles(relatedTo: article.id)))
                } else {
                    Section(tool: tool, content: .articles([]))
                }
            }
        }
        return PaneView(tab: tab.id, tabKind: tab.kind, sections: sections)
    }
}
