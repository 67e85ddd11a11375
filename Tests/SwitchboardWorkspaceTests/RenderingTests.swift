import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Text rendering")
struct RenderingTests {
    /// A believable mid-shift desk: a live call, two chats (one with unread messages), an email
    /// draft kept from an earlier session, and a case waiting.
    static func midShift() throws -> Workspace {
        var workspace = Workspace(
            agent: "priya", role: "first-line",
            roleDefaults: PreferenceOverrides(tabsRemembered: 5))
        workspace.assign(item("c-1042", .chat, customer: "cust-ana", queue: "cards", topic: "card declined abroad"))
        workspace.assign(item("c-1043", .chat, customer: "cust-ben", queue: "loans"))
        workspace.assign(item("c-2001", .email, customer: "cust-chen", queue: "billing"), at: at(10))
        _ = try workspace.handle(
            .saveDraft(conversation: "c-2001", subject: "Re: duplicate charge", body: "Dear Mr Chen,\n\nThank you"),
            now: at(20))
        _ = try workspace.handle(.closeSession(conversation: "c-2001"), now: at(30))
        workspace.assign(item("c-3001", .case, customer: "cust-dee", queue: "disputes"), at: at(40))
        _ = workspace.apply(
            .assistanceArrived(
                conversation: "c-1042", update: .summary(text: "Card declined in Lisbon; identity verified.")),
            now: at(50))
        _ = workspace.apply(
            .assistanceArrived(
                conversation: "c-1042",
                update: .suggestedReplies(["I can see the block; I will lift it now.", "Are you still abroad?"])),
            now: at(50))
        _ = workspace.apply(
            .assistanceArrived(
                conversation: "c-1042",
                update: .knowledge([KnowledgeArticleRef(id: "kb-12", title: "Travelling abroad with your card")])),
            now: at(50))
        workspace.customerWrites("c-1043", at: at(60))
        workspace.customerWrites("c-1043", at: at(61))
        workspace.assign(item("c-4001", .voice, customer: "cust-eve", queue: "cards"), at: at(100))
        _ = try workspace.handle(.browseSession(conversation: "c-1042"), now: at(120))
        return workspace
    }

    @Test("the rendering marks focus, shows unread counts, tabs and the pane of the session on screen")
    func rendersWorkspace() throws {
        let text = WorkspaceRenderer().render(try Self.midShift(), now: at(352))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        #expect(lines[0] == "Desk of priya (role first-line) - 4 sessions, 2 unread")
        #expect(lines[1] == "Focus: voice c-4001 (live call 4m12s, other sessions browse-only); browsing c-1042")
        // The session list runs from its heading to the first blank line, one line per session.
        let listStart = try #require(lines.firstIndex { $0.hasPrefix("SESSIONS") })
        let sessionLines = lines[(listStart + 2)...].prefix { !$0.isEmpty }
        #expect(sessionLines.count == 4)
        let sessionLine = { (id: String) in sessionLines.first { $0.contains(" \(id) ") } }
        #expect(sessionLine("c-4001")?.hasPrefix("  > voice") == true)
        #expect(sessionLine("c-4001")?.hasSuffix("live 4m12s") == true)
        #expect(sessionLine("c-1042")?.hasPrefix("  * chat") == true)
        #expect(sessionLine("c-1043")?.hasPrefix("    chat") == true)
        #expect(sessionLine("c-1043")?.hasSuffix("2 unread, new, awaiting reply") == true)
        #expect(sessionLine("c-3001")?.hasSuffix("new") == true)
        #expect(text.contains("SESSION c-1042 - chat, customer cust-ana, queue cards"))
        #expect(text.contains("topic: card declined abroad; browse-only while call c-4001 is live"))
        #expect(text.contains("TABS (2 of 5 remembered)"))
        #expect(text.contains("  [Conversation] | Customer cust-ana\n"))
        #expect(text.contains("PRODUCTIVITY PANE (follows the Conversation tab)"))
        #expect(text.contains("    Card declined in Lisbon; identity verified."))
        #expect(text.contains("    1. I can see the block; I will lift it now."))
        #expect(text.contains("    kb-12    Travelling abroad with your card"))
        #expect(text.contains("\"Re: duplicate charge\""))
        #expect(text.contains("session closed"))
        #expect(text.contains("tabs remembered: 5 (role first-line)"))
    }

    @Test("every line fits the width and stored newlines do not break lines")
    func fitsWidth() throws {
        var workspace = try Self.midShift()
        _ = workspace.apply(
            .assistanceArrived(
                conversation: "c-1042",
                update: .summary(text: String(repeating: "long words ", count: 40) + "\nsecond line")),
            now: at(130))
        for width in [40, 72, 100] {
            let text = WorkspaceRenderer(width: width).render(workspace, now: at(352))
            let lines = text.split(separator: "\n")
            #expect(lines.allSatisfy { $0.count <= width }, "width \(width)")
            #expect(!text.contains("\nsecond line"))
        }
    }

    @Test("an empty desk says so")
    func emptyDesk() {
        let text = WorkspaceRenderer().render(newWorkspace(), now: start)
        #expect(text.contains("(no open sessions)"))
        #expect(text.contains("Focus: none"))
    }
}
