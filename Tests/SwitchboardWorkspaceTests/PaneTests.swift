import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Productivity pane")
struct PaneTests {
    @Test("pane follows the active tab")
    func paneFollowsActiveTab() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat, customer: "cust-1"))
        #expect(workspace.pane(of: chat1)?.tools == [.conversationSummary, .suggestedReplies, .knowledge])

        let toCustomer = try workspace.handle(
            .selectTab(conversation: chat1, tab: TabID("customer:cust-1")), now: at(1))
        #expect(
            toCustomer.contains(
                .paneChanged(
                    conversation: chat1, tab: TabID("customer:cust-1"), tools: [.relatedCases, .customerHistory])))
        #expect(workspace.pane(of: chat1)?.tools == [.relatedCases, .customerHistory])

        _ = try workspace.handle(.openTab(conversation: chat1, content: .caseRecord(reference: "CAS-1042")), now: at(2))
        #expect(workspace.pane(of: chat1)?.tools == [.caseSummary, .relatedCases])

        let article = KnowledgeArticleRef(id: "kb-7", title: "Card blocked abroad")
        _ = try workspace.handle(.openTab(conversation: chat1, content: .knowledgeArticle(article)), now: at(3))
        #expect(workspace.pane(of: chat1)?.tools == [.relatedArticles])

        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("conversation")), now: at(4))
        #expect(workspace.pane(of: chat1)?.tools == [.conversationSummary, .suggestedReplies, .knowledge])
    }

    @Test("assistance fills the pane, and says whether the tool is on screen")
    func assistanceFillsPane() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        let summary = workspace.apply(
            .assistanceArrived(
                conversation: chat1, update: .summary(text: "Card declined in Lisbon; identity verified.")),
            now: at(1))
        #expect(summary == [.paneUpdated(conversation: chat1, tool: .conversationSummary, shown: true)])
        let history = workspace.apply(
            .assistanceArrived(
                conversation: chat1,
                update: .customerHistory([HistoryEntry(at: at(-86_400), channel: .email,
                    summary: "Asked about fees")])),
            now: at(2))
        #expect(history == [.paneUpdated(conversation: chat1, tool: .customerHistory, shown: false)])

        let pane = try #require(workspace.pane(of: chat1))
        #expect(
            pane.sections.first
                == PaneView.Section(
                    tool: .conversationSummary, content: .summary("Card declined in Lisbon; identity verified.")))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("customer:cust-1")), now: at(3))
        #expect(
            workspace.pane(of: chat1)?.sections.last?.content
                == .history([HistoryEntry(at: at(-86_400), channel: .email, summary: "Asked about fees")]))
    }

    @Test("related articles show beside the article they relate to")
    func relatedArticlesPerArticle() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        let seven = KnowledgeArticleRef(id: "kb-7", title: "Card blocked abroad")
        let eight = KnowledgeArticleRef(id: "kb-8", title: "Travel notices")
        _ = try workspace.handle(.openTab(conversation: chat1, content: .knowledgeArticle(seven)), now: at(1))
        let related = RelatedArticles(articleID: "kb-7", articles: [eight])
        #expect(
            workspace.apply(.assistanceArrived(conversation: chat1, update: .relatedArticles(related)), now: at(2))
                == [.paneUpdated(conversation: chat1, tool: .relatedArticles, shown: true)])
        #expect(
            workspace.pane(of: chat1)?.sections == [
                PaneView.Section(tool: .relatedArticles, content: .articles([eight]))
            ])

        _ = try workspace.handle(.openTab(conversation: chat1, content: .knowledgeArticle(eight)), now: at(3))
        #expect(
            workspace.pane(of: chat1)?.sections == [PaneView.Section(tool: .relatedArticles, content: .articles([]))])
    }

    @Test("tools the agent switched off stay out of the pane")
    func disabledToolsHidden() throws {
        var workspace = newWorkspace(
            agentOverrides: PreferenceOverrides(paneTools: [.conversationSummary, .relatedCases]))
        workspace.assign(item("c-chat-1", .chat))
        #expect(workspace.pane(of: chat1)?.tools == [.conversationSummary])
        let enableReplies = try workspace.handle(
            .setPreferences(PreferenceOverrides(paneTools: [.conversationSummary, .suggestedReplies])), now: at(1))
        #expect(
            enableReplies.contains(
                .paneChanged(
                    conversation: chat1, tab: TabID("conversation"), tools: [.conversationSummary, .suggestedReplies])))
    }

    @Test("a case summary asks the agent to review it")
    func caseSummaryPending() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-case-1", .case))
        let summary = CaseSummary(
            issue: "Duplicate charge on card", actionsTaken: ["Verified identity", "Found two charges"],
            nextStep: "Refund the second charge")
        let events = workspace.apply(.assistanceArrived(conversation: case1, update: .caseSummary(summary)), now: at(1))
        #expect(events.contains(.pendingActionsChanged(conversation: case1, actions: [.newWork, .reviewCaseSummary])))
        #expect(workspace.pane(of: case1)?.sections.first?.content == .caseSummary(summary))
        _ = try workspace.handle(.completeAction(conversation: case1, action: .reviewCaseSummary), now: at(2))
        #expect(workspace.session(case1)?.pendingActions == [.newWork])
    }

    @Test("assistance is bounded: lists keep the best items, long texts are cut")
    func assistanceBounded() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        let replies = (1...50).map { "Reply \($0)" }
        _ = workspace.apply(.assistanceArrived(conversation: chat1, update: .suggestedReplies(replies)), now: at(1))
        let long = String(repeating: "\u{00E9}", count: WorkspaceLimits.assistanceTextBytesMax)
        _ = workspace.apply(.assistanceArrived(conversation: chat1, update: .summary(text: long)), now: at(1))
        let assistance = try #require(workspace.session(chat1)).assistance
        #expect(assistance.suggestedReplies == Array(replies.prefix(WorkspaceLimits.assistanceItemsMax)))
        #expect((assistance.summary?.utf8.count ?? 0) <= WorkspaceLimits.assistanceTextBytesMax)
        #expect(assistance.summary?.count == WorkspaceLimits.assistanceTextBytesMax / 2)
    }
}
