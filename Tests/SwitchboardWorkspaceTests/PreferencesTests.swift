import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardWorkspace

@Suite("Personalisation")
struct PreferencesTests {
    /// Supervisors' defaults: first-line agents keep few tabs and no knowledge tool; escalation
    /// specialists keep many tabs and are not interrupted by new sessions.
    static let roles = RolePreferences(defaultsByRole: [
        RoleName("first-line"): PreferenceOverrides(
            tabsRemembered: 4, paneTools: [.conversationSummary, .suggestedReplies],
            notifications: NotificationOverrides(newSession: .toastAndSound)),
        RoleName("escalation"): PreferenceOverrides(
            tabsRemembered: 12, notifications: NotificationOverrides(newSession: .badge)),
    ])

    @Test("role defaults overridden per agent")
    func roleDefaultsOverriddenPerAgent() {
        let agent = PreferenceOverrides(
            tabsRemembered: 8, notifications: NotificationOverrides(idleSessionMessage: .off))
        let resolved = Self.roles.resolve(role: RoleName("first-line"), agent: agent)

        // The agent's own choice wins where they made one...
        #expect(resolved.values.tabsRemembered == 8)
        #expect(resolved.source(of: .tabsRemembered) == .agent)
        #expect(resolved.values.notifications.idleSessionMessage == .off)
        #expect(resolved.source(of: .notifyIdleSessionMessage) == .agent)
        // ...the role default holds where they did not...
        #expect(resolved.values.paneTools == [.conversationSummary, .suggestedReplies])
        #expect(resolved.source(of: .paneTools) == .role(name: "first-line"))
        #expect(resolved.values.notifications.newSession == .toastAndSound)
        #expect(resolved.source(of: .notifyNewSession) == .role(name: "first-line"))
        // ...and the system default fills what neither set.
        #expect(
            resolved.values.notifications.supervisorMessage
                == WorkspacePreferences.system.notifications.supervisorMessage)
        #expect(resolved.source(of: .notifySupervisorMessage) == .system)
    }

    @Test("the same agent choices under another role resolve against that role")
    func resolutionDependsOnRole() {
        let agent = PreferenceOverrides(paneTools: [.knowledge])
        let escalation = Self.roles.resolve(role: RoleName("escalation"), agent: agent)
        #expect(escalation.values.tabsRemembered == 12)
        #expect(escalation.values.paneTools == [.knowledge])
        #expect(escalation.values.notifications.newSession == .badge)
        let unknownRole = Self.roles.resolve(role: RoleName("trainee"), agent: PreferenceOverrides())
        #expect(unknownRole.values == WorkspacePreferences.system)
    }

    @Test("a workspace applies its role's defaults, the agent's overrides, and later role changes")
    func workspaceFollowsRoleChanges() throws {
        var workspace = newWorkspace(role: "first-line", roleDefaults: Self.roles.defaults(for: "first-line"))
        #expect(workspace.preferences.values.tabsRemembered == 4)
        workspace.assign(item("c-chat-1", .chat))
        workspace.assign(item("c-chat-2", .chat))
        let quiet = try workspace.handle(
            .setPreferences(PreferenceOverrides(notifications: NotificationOverrides(newSession: .badge))), now: at(1))
        #expect(quiet.first.map { if case .preferencesChanged = $0 { true } else { false } } == true)
        #expect(
            !workspace.assign(item("c-chat-3", .chat), at: at(2)).contains {
                if case .notificationRaised = $0 { true } else { false }
            })

        let promoted = workspace.apply(
            .roleDefaultsChanged(role: "escalation", defaults: Self.roles.defaults(for: "escalation")), now: at(3))
        #expect(workspace.role == "escalation")
        #expect(workspace.preferences.values.tabsRemembered == 12)
        #expect(workspace.preferences.values.paneTools == PaneTool.allCases)
        #expect(
            promoted.contains(
                .paneChanged(
                    conversation: chat1, tab: TabID("conversation"),
                    tools: [.conversationSummary, .suggestedReplies, .knowledge])))
        // The agent's own notification choice survives the change of role.
        #expect(workspace.preferences.values.notifications.newSession == .badge)
    }

    @Test("notification preferences decide whether an idle-session message interrupts the agent")
    func notificationPreferences() {
        var loud = newWorkspace()
        var quiet = newWorkspace(
            agentOverrides: PreferenceOverrides(notifications: NotificationOverrides(idleSessionMessage: .badge)))
        for index in [0, 1] {
            var workspace = index == 0 ? loud : quiet
            workspace.assign(item("c-chat-1", .chat))
            workspace.assign(item("c-chat-2", .chat))
            if index == 0 { loud = workspace } else { quiet = workspace }
        }
        #expect(
            loud.customerWrites(chat2).contains(
                .notificationRaised(conversation: chat2, trigger: .idleSessionMessage, style: .toast)))
        #expect(
            quiet.customerWrites(chat2) == [
                .pendingActionsChanged(conversation: chat2, actions: [.newWork, .awaitingReply]),
                .unreadChanged(conversation: chat2, unread: 1),
            ])
        #expect(
            loud.apply(.messageArrived(conversation: chat2, author: .supervisor), now: start).contains(
                .notificationRaised(conversation: chat2, trigger: .supervisorMessage, style: .toast)))
    }

    @Test("invalid settings are refused with the scope, the key and what is allowed")
    func validation() {
        var workspace = newWorkspace()
        let bad = PreferenceOverrides(tabsRemembered: 1, paneTools: [.knowledge, .knowledge])
        #expect(throws: WorkspaceError.self) {
            try workspace.handle(.setPreferences(bad), now: start)
        }
        let errors = bad.validate(scope: "agent a-7")
        #expect(errors.map(\.key) == [.tabsRemembered, .paneTools])
        #expect(errors[0].description.contains("agent a-7: tabs-remembered = 1 must be between 2 and 20"))

        let roles = RolePreferences(defaultsByRole: ["night-shift": PreferenceOverrides(tabsRemembered: 99)])
        #expect(roles.validate().map(\.scope) == ["role night-shift"])
        #expect(workspace.agentOverrides == PreferenceOverrides())
    }
}
