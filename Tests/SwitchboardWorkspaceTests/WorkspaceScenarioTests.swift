import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

/// Seeded random days at the desk: thousands of mixed facts and commands, with the
/// workspace's invariants checked after every step. A failure names its seed and step.
@Suite("Workspace scenarios")
struct WorkspaceScenarioTests {
    static let seeds: [UInt64] = Array(1...16)
    static let stepsPerSeed = 1_200

    /// What a day must have gone through for its invariants to mean something.
    static let expectedEvents: Set<String> = [
        "session.opened", "session.focused", "session.browsed", "session.closed", "session.call-ended",
        "session.unread-changed", "tab.opened", "tab.closed", "pane.changed", "draft.saved", "draft.kept",
        "draft.restored", "reply.sent", "preferences.changed",
    ]
    static let expectedRefusals: Set<String> = ["focus-refused", "unknown-tab", "anchor-tab", "cannot-reopen"]

    @Test("invariants hold after every step of a random day", arguments: seeds)
    func randomDay(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var workspace = newWorkspace(role: "first-line")
        var clock = 0.0
        var eventTypes: Set<String> = []
        var refusals: Set<String> = []
        var leastRecentlyUsedClosures = 0
        for step in 0..<Self.stepsPerSeed {
            clock += Double(random.next() % 30)
            let now = at(clock)
            let before = workspace
            var events: [WorkspaceEvent] = []
            if Bool.random(using: &random) {
                events = workspace.apply(randomInput(workspace, &random), now: now)
            } else {
                do {
                    events = try workspace.handle(randomCommand(workspace, &random), now: now)
                } catch {
                    refusals.insert(error.code)
                    if workspace != before {
                        Issue.record("seed \(seed) step \(step): refused command (\(error.code)) changed the workspace")
                        return
                    }
                }
            }
            eventTypes.formUnion(events.map(\.type))
            leastRecentlyUsedClosures +=
                events.filter {
                    if case .tabClosed(_, _, .leastRecentlyUsed) = $0 { true } else { false }
                }.count
            let problems = Self.violations(of: workspace)
            if !problems.isEmpty {
                Issue.record("seed \(seed) step \(step): \(problems.joined(separator: "; "))")
                return
            }
            if step % 250 == 0 {
                let restored = try JSONDecoder().decode(Workspace.self, from: JSONEncoder().encode(workspace))
                if restored != workspace {
                    Issue.record("seed \(seed) step \(step): the workspace did not survive encoding")
                    return
                }
            }
        }
        #expect(Self.expectedEvents.subtracting(eventTypes).isEmpty, "seed \(seed) never saw these events")
        #expect(Self.expectedRefusals.subtracting(refusals).isEmpty, "seed \(seed) never saw these refusals")
        #expect(leastRecentlyUsedClosures > 0, "seed \(seed) never hit the tab limit")
    }

    /// Everything that must hold of any workspace, as sentences naming what broke.
    static func violations(of workspace: Workspace) -> [String] {
        var problems: [String] = []
        let ids = workspace.sessions.map(\.id)
        if Set(ids).count != ids.count { problems.append("duplicate sessions") }
        if ids.count > WorkspaceLimits.sessionsMax { problems.append("more than sessionsMax sessions") }
        if let active = workspace.activeSessionID, workspace.session(active) == nil {
            problems.append("active session \(active) is not open")
        }
        if let viewed = workspace.viewedSessionID, workspace.session(viewed) == nil {
            problems.append("viewed session \(viewed) is not open")
        }
        if workspace.activeSessionID != nil && workspace.viewedSessionID == nil {
            problems.append("a session has focus but nothing is on screen")
        }
        if workspace.sessions.contains(where: \.isLiveCall), workspace.activeSession?.isLiveCall != true {
            problems.append("a call is live but does not hold focus")
        }
        let limit = workspace.preferences.values.tabsRemembered
        for session in workspace.sessions {
            let tabIDs = session.tabs.map(\.id)
            if Set(tabIDs).count != tabIDs.count { problems.append("\(session.id) has duplicate tabs") }
            if session.tab(session.anchorTabID) == nil { problems.append("\(session.id) lost its anchor tab") }
            if session.activeTab == nil { problems.append("\(session.id) has no active tab") }
            if session.tabs.count > limit {
                problems.append("\(session.id) keeps \(session.tabs.count) > \(limit) tabs")
            }
            if session.unreadCount > WorkspaceLimits.unreadMax { problems.append("\(session.id) unread past bound") }
            if session.id == workspace.viewedSessionID && session.unreadCount > 0 {
                problems.append("\(session.id) is on screen with unread messages")
            }
            if session.pendingActions != Array(Set(session.pendingActions)).sorted() {
                problems.append("\(session.id) pending actions not unique and ordered")
            }
            if session.channel != .voice && session.isLiveCall { problems.append("\(session.id) live but not voice") }
        }
        let draftIDs = workspace.drafts.map(\.conversation)
        if Set(draftIDs).count != draftIDs.count { problems.append("duplicate drafts") }
        for draft in workspace.drafts where draft.channel != .email && workspace.session(draft.conversation) == nil {
            problems.append("a \(draft.channel) draft outlived its session \(draft.conversation)")
        }
        return problems
    }

    // MARK: - Random moves

    private static let channels: [Channel] = [.voice, .chat, .chat, .messaging, .email, .email, .case]

    /// A small pool of conversations, so the same ones come back (reassigned, reopened).
    private func randomItem(_ random: inout SplitMix64) -> WorkItem {
        let number = Int(random.next() % 14)
        let channel = Self.channels[number % Self.channels.count]
        return item(
            "c-\(number)", channel, customer: "cust-\(number % 5)", queue: "q-\(number % 3)",
            transferredFrom: random.next() % 5 == 0 ? "a-3" : nil)
    }

    private func someSession(_ workspace: Workspace, _ random: inout SplitMix64) -> ConversationID {
        guard !workspace.sessions.isEmpty, random.next() % 10 != 0 else { return randomItem(&random).conversation }
        return workspace.sessions[Int(random.next() % UInt64(workspace.sessions.count))].id
    }

    private func someTab(_ workspace: Workspace, _ conversation: ConversationID, _ random: inout SplitMix64)
        -> TabID
    {
        guard let tabs = workspace.session(conversation)?.tabs, !tabs.isEmpty, random.next() % 10 != 0 else {
            return TabID("knowledge:kb-missing")
        }
        return tabs[Int(random.next() % UInt64(tabs.count))].id
    }

    private func randomContent(_ random: inout SplitMix64) -> TabContent {
        switch random.next() % 5 {
        case 0: .customer(id: CustomerID("cust-\(random.next() % 4)"))
        case 1: .caseRecord(reference: "CAS-\(random.next() % 4)")
        case 2: .form(name: "form-\(random.next() % 3)", title: "Form")
        case 3: .conversation
        default: .knowledgeArticle(KnowledgeArticleRef(id: "kb-\(random.next() % 9)", title: "Article"))
        }
    }

    private func randomInput(_ workspace: Workspace, _ random: inout SplitMix64) -> WorkspaceInput {
        let conversation = someSession(workspace, &random)
        switch random.next() % 8 {
        case 0, 1: return .workAssigned(randomItem(&random))
        case 2:
            let reasons: [WorkEndReason] = [.closed, .transferred, .abandoned, .requeued]
            return .workEnded(conversation: conversation, reason: reasons[Int(random.next() % 4)])
        case 3, 4:
            return .messageArrived(conversation: conversation, author: random.next() % 4 == 0 ? .supervisor : .customer)
        case 5: return .callEnded(conversation: conversation)
        case 6:
            let updates: [AssistanceUpdate] = [
                .summary(text: "Summary \(random.next() % 9)"), .suggestedReplies(["Yes", "No"]),
                .caseSummary(CaseSummary(issue: "i", actionsTaken: [], nextStep: "n")),
                .relatedArticles(RelatedArticles(articleID: "kb-\(random.next() % 9)", articles: [])),
            ]
            return .assistanceArrived(conversation: conversation, update: updates[Int(random.next() % 4)])
        default:
            return .roleDefaultsChanged(
                role: "first-line", defaults: PreferenceOverrides(tabsRemembered: Int(2 + random.next() % 6)))
        }
    }

    private func randomCommand(_ workspace: Workspace, _ random: inout SplitMix64) -> WorkspaceCommand {
        let conversation = someSession(workspace, &random)
        switch random.next() % 14 {
        case 0, 1: return .focusSession(conversation: conversation)
        case 2: return .browseSession(conversation: conversation)
        case 3: return .selectTab(conversation: conversation, tab: someTab(workspace, conversation, &random))
        case 4, 5: return .openTab(conversation: conversation, content: randomContent(&random))
        case 6: return .closeTab(conversation: conversation, tab: someTab(workspace, conversation, &random))
        case 7:
            return .rememberPlace(
                conversation: conversation, tab: someTab(workspace, conversation, &random),
                place: TabPlace(scrollOffset: Int(random.next() % 200) - 5))
        case 8: return .saveDraft(conversation: conversation, subject: nil, body: "draft \(random.next() % 100)")
        case 9:
            return random.next() % 2 == 0
                ? .discardDraft(conversation: conversation) : .closeSession(conversation: conversation)
        case 10: return .sendReply(conversation: conversation, text: random.next() % 6 == 0 ? " " : "Reply")
        case 11: return .reopenSession(randomItem(&random))
        case 12:
            let action = PendingAction.allCases[Int(random.next() % UInt64(PendingAction.allCases.count))]
            return .completeAction(conversation: conversation, action: action)
        default:
            return .setPreferences(PreferenceOverrides(tabsRemembered: Int(1 + random.next() % 7)))
        }
    }
}
