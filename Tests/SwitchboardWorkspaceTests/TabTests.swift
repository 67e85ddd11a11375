import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Tabs")
struct TabTests {
    private func article(_ number: Int) -> TabContent {
        .knowledgeArticle(KnowledgeArticleRef(id: "kb-\(number)", title: "Article \(number)"))
    }

    @Test("tab limit closes the least recently used")
    func tabLimitClosesLeastRecentlyUsed() throws {
        var workspace = newWorkspace(agentOverrides: PreferenceOverrides(tabsRemembered: 4))
        workspace.assign(item("c-chat-1", .chat))
        // conversation, customer, kb-1, kb-2: at the limit of four.
        _ = try workspace.handle(.openTab(conversation: chat1, content: article(1)), now: at(1))
        _ = try workspace.handle(.openTab(conversation: chat1, content: article(2)), now: at(2))
        // Use the customer tab and kb-1 again, so kb-2 becomes the least recently used.
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("customer:cust-1")), now: at(3))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("knowledge:kb-1")), now: at(4))

        let events = try workspace.handle(.openTab(conversation: chat1, content: article(3)), now: at(5))
        #expect(events.contains(.tabOpened(conversation: chat1, tab: TabID("knowledge:kb-3"), kind: .knowledgeArticle)))
        #expect(
            events.contains(.tabClosed(conversation: chat1, tab: TabID("knowledge:kb-2"), reason: .leastRecentlyUsed)))
        let tabs = try #require(workspace.session(chat1)).tabs.map(\.id.rawValue)
        #expect(tabs == ["conversation", "customer:cust-1", "knowledge:kb-1", "knowledge:kb-3"])
    }

    @Test("the anchor tab is never closed for the limit, even when least recently used")
    func anchorSurvivesLimit() throws {
        var workspace = newWorkspace(agentOverrides: PreferenceOverrides(tabsRemembered: 2))
        workspace.assign(item("c-chat-1", .chat))
        for number in 1...5 {
            _ = try workspace.handle(.openTab(conversation: chat1, content: article(number)), now: at(Double(number)))
        }
        let session = try #require(workspace.session(chat1))
        #expect(session.tabs.map(\.id.rawValue) == ["conversation", "knowledge:kb-5"])
        #expect(session.activeTabID == TabID("knowledge:kb-5"))
    }

    @Test("the anchor tab cannot be closed by the agent; a case session is anchored on its case")
    func anchorCannotBeClosed() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-case-1", .case))
        #expect(throws: WorkspaceError.anchorTabCannotClose(conversation: chat1, tab: TabID("conversation"))) {
            try workspace.handle(.closeTab(conversation: chat1, tab: TabID("conversation")), now: at(1))
        }
        #expect(throws: WorkspaceError.anchorTabCannotClose(conversation: case1, tab: TabID("case:c-case-1"))) {
            try workspace.handle(.closeTab(conversation: case1, tab: TabID("case:c-case-1")), now: at(1))
        }
        #expect(throws: WorkspaceError.tabNotAvailable(conversation: case1, kind: .conversation, channel: .case)) {
            try workspace.handle(.openTab(conversation: case1, content: .conversation), now: at(1))
        }
    }

    @Test("switching tabs keeps each tab's place")
    func tabsKeepTheirPlace() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        let form = TabContent.form(name: "refund-request", title: "Refund request")
        _ = try workspace.handle(.openTab(conversation: chat1, content: form), now: at(1))
        let filled = TabPlace(
            scrollOffset: 2, cursorOffset: 11, fieldValues: ["amount": "42.00", "reason": "double charge"])
        _ = try workspace.handle(.rememberPlace(conversation: chat1, tab: form.id, place: filled), now: at(2))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("conversation")), now: at(3))
        let transcript = TabPlace(scrollOffset: 120)
        _ = try workspace.handle(
            .rememberPlace(conversation: chat1, tab: TabID("conversation"), place: transcript), now: at(4))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: form.id), now: at(5))

        let session = try #require(workspace.session(chat1))
        #expect(session.tab(form.id)?.place == filled)
        #expect(session.tab(TabID("conversation"))?.place == transcript)
    }

    @Test("opening an open tab selects it instead of duplicating it")
    func openingTwiceSelects() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        _ = try workspace.handle(.openTab(conversation: chat1, content: article(1)), now: at(1))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("conversation")), now: at(2))
        let again = try workspace.handle(.openTab(conversation: chat1, content: article(1)), now: at(3))
        #expect(again.first == .tabSelected(conversation: chat1, tab: TabID("knowledge:kb-1")))
        #expect(workspace.session(chat1)?.tabs.count == 3)
    }

    @Test("closing the active tab goes back to the tab used most recently")
    func closingActiveTab() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        _ = try workspace.handle(.openTab(conversation: chat1, content: article(1)), now: at(1))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("customer:cust-1")), now: at(2))
        _ = try workspace.handle(.selectTab(conversation: chat1, tab: TabID("knowledge:kb-1")), now: at(3))
        let events = try workspace.handle(.closeTab(conversation: chat1, tab: TabID("knowledge:kb-1")), now: at(4))
        #expect(
            events.prefix(2) == [
                .tabClosed(conversation: chat1, tab: TabID("knowledge:kb-1"), reason: .closedByAgent),
                .tabSelected(conversation: chat1, tab: TabID("customer:cust-1")),
            ])
    }

    @Test("lowering tabs remembered closes the least recently used tabs of every session")
    func loweringTheLimitTrims() throws {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        for number in 1...3 {
            _ = try workspace.handle(.openTab(conversation: chat1, content: article(number)), now: at(Double(number)))
        }
        let events = try workspace.handle(.setPreferences(PreferenceOverrides(tabsRemembered: 3)), now: at(10))
        let closed = events.compactMap { event -> String? in
            if case .tabClosed(_, let tab, .leastRecentlyUsed) = event { tab.rawValue } else { nil }
        }
        #expect(closed == ["customer:cust-1", "knowledge:kb-1"])
        #expect(
            workspace.session(chat1)?.tabs.map(\.id.rawValue) == ["conversation", "knowledge:kb-2", "knowledge:kb-3"])
    }

    @Test("a place that cannot be kept is refused with the reason")
    func invalidPlace() {
        var workspace = newWorkspace()
        workspace.assign(item("c-chat-1", .chat))
        #expect(
            throws: WorkspaceError.invalidPlace(
                conversation: chat1, tab: TabID("conversation"), problem: "scroll offset -1 is negative")
        ) {
            try workspace.handle(
                .rememberPlace(conversation: chat1, tab: TabID("conversation"), place: TabPlace(scrollOffset: -1)),
                now: at(1))
        }
    }
}
