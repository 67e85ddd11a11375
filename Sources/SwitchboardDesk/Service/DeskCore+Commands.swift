import Foundation
import Logging
import SwitchboardBus
import SwitchboardRouting
import SwitchboardStore
import SwitchboardTopology
import SwitchboardWire
import SwitchboardWorkspace

/// The desk's commands (docs/PROTOCOL.md §6.3): one agent's run in order, different agents'
/// side by side; those that act on the router's conversations are forwarded to it first and
/// applied to the desk once it agreed.
extension DeskCore {
    nonisolated func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        var outcomes = [CommandOutcome?](repeating: nil, count: commands.count)
        // One agent's commands run in order; different agents' run side by side.
        var groups: [AgentID: [(index: Int, request: DeskRequest, command: CommandRequest)]] = [:]
        var groupOrder: [AgentID] = []
        for (index, command) in commands.enumerated() {
            do throws(CommandFailure) {
                let (agent, request) = try DeskRequest.parse(command)
                if groups[agent] == nil { groupOrder.append(agent) }
                groups[agent, default: []].append((index, request, command))
            } catch {
                outcomes[index] = .failed(error)
            }
        }
        await withTaskGroup(of: [(Int, CommandOutcome)].self) { group in
            for agent in groupOrder {
                let work = groups[agent] ?? []
                group.addTask {
                    var done: [(Int, CommandOutcome)] = []
                    for entry in work {
                        done.append(
                            (entry.index, await self.perform(entry.request, for: agent, commandID: entry.command.id)))
                    }
                    return done
                }
            }
            for await done in group {
                for (index, outcome) in done { outcomes[index] = outcome }
            }
        }
        return outcomes.map {
            $0 ?? .failed(CommandFailure(code: .internal, message: "the desk lost track of this command; retry it"))
        }
    }

    private func perform(_ request: DeskRequest, for agent: AgentID, commandID: String) async -> CommandOutcome {
        let now = Date()
        switch request {
        case .signIn:
            return await signIn(agent, commandID: commandID, now: now)
        case .show(let width):
            return await show(agent, width: width, now: now)
        default:
            break
        }
        guard let desk = agents[agent] else {
            return .failed(
                CommandFailure(
                    code: .conflict, message: "\(agent) is not signed in at the desk; send desk.signIn first"))
        }
        switch request {
        case .signIn, .show:
            // Answered before the sign-in check above; kept for the switch to be whole.
            return .failed(CommandFailure(code: .internal, message: "the desk misrouted \(commandID); retry it"))

        case .signOut:
            let outcome = await desk.perform(commandID: commandID, now: now) { record in
                (record.signOut(), ["agentId": .string(agent.rawValue)])
            }
            if case .ok = outcome {
                agents[agent] = nil
                logger.info("agent signed out of the desk", metadata: ["agent": "\(agent)"])
            }
            return outcome

        case .accept(let conversation):
            if case .failed(let failure) = await forward(
                "conversation.accept",
                ["conversationId": .string(conversation.rawValue), "agentId": .string(agent.rawValue)],
                deskCommandID: commandID)
            {
                return .failed(failure)
            }
            // Open the session now, so that the answer means "it is on the desk"; the router's
            // `conversation.assigned`, when it arrives, then changes nothing.
            let offered = await desk.record.offer(conversation)?.item
            let item = offered ?? mirror.conversation(conversation)?.workItem
            let transcript = mirror.transcript(of: conversation)
            let cached = cachedAssistance(for: [conversation])[conversation] ?? []
            return await desk.perform(commandID: commandID, now: now) { record in
                guard let item else { return ([], Self.conversationResult(conversation)) }
                var events = record.apply(.assigned(item, at: now, transcript: transcript), now: now)
                if events.contains(where: { if case .workspace(.sessionOpened) = $0 { true } else { false } }) {
                    for update in cached { events += record.apply(.assistance(conversation, update), now: now) }
                }
                return (events, Self.conversationResult(conversation))
            }

        case .decline(let conversation):
            if case .failed(let failure) = await forward(
                "conversation.decline",
                ["conversationId": .string(conversation.rawValue), "agentId": .string(agent.rawValue)],
                deskCommandID: commandID)
            {
                return .failed(failure)
            }
            return await desk.perform(commandID: commandID, now: now) { record in
                (
                    record.apply(.offerEnded(conversation, reason: .declined), now: now),
                    Self.conversationResult(conversation)
                )
            }

        case .transfer(let conversation, let target, let note):
            // Only the agent who holds it hands it on; the router takes it off their desk
            // (`conversation.transferred` names them) and decides it again.
            guard mirror.conversation(conversation)?.agent == agent else {
                return .failed(
                    CommandFailure(
                        code: .conflict,
                        message: "\(agent) does not hold \(conversation); only the agent it is assigned to transfers it"
                    ))
            }
            var data = JSONObject([("conversationId", .string(conversation.rawValue))])
            switch target {
            case .queue(let queue): data["queue"] = .string(queue.rawValue)
            case .agent(let other): data["agentId"] = .string(other.rawValue)
            }
            if let note { data["note"] = .string(note) }
            if case .failed(let failure) = await forward(
                "conversation.transfer", .object(data), deskCommandID: commandID)
            {
                return .failed(failure)
            }
            return await desk.perform(commandID: commandID, now: now) { _ in
                ([], Self.conversationResult(conversation))
            }

        case .reply(let conversation, let text):
            var trial = await desk.record
            do throws(WorkspaceError) {
                _ = try trial.handle(.sendReply(conversation: conversation, text: text), now: now)
            } catch {
                return .failed(error.commandFailure)
            }
            let sent = await forward(
                "conversation.message",
                [
                    "conversationId": .string(conversation.rawValue), "role": "agent",
                    "author": .string(agent.rawValue),
                    "text": .string(text),
                ], deskCommandID: commandID)
            let number: Int
            switch sent {
            case .failed(let failure): return .failed(failure)
            case .ok(let result): number = Int(result["number"]?.intValue ?? 0)
            }
            return await desk.perform(commandID: commandID, now: now) { record in
                // The reply went out; if the session closed meanwhile there is nothing more to show.
                let events = (try? record.handle(.sendReply(conversation: conversation, text: text), now: now)) ?? []
                record.noteOwnMessage(number, in: conversation)
                return (events, ["conversationId": .string(conversation.rawValue), "number": .number(number)])
            }

        case .close(let conversation):
            let hasSession = await desk.record.workspace.session(conversation) != nil
            let known = mirror.conversation(conversation)
            guard hasSession || known?.agent == agent else {
                return .failed(
                    CommandFailure(
                        code: .notFound, message: "\(agent) has no session and no work for \(conversation) to close"))
            }
            if case .failed(let failure) = await forward(
                "conversation.close", ["conversationId": .string(conversation.rawValue)], deskCommandID: commandID)
            {
                return .failed(failure)
            }
            return await desk.perform(commandID: commandID, now: now) { record in
                (record.apply(.conversationClosed(conversation), now: now), Self.conversationResult(conversation))
            }

        case .endWrapUp(let conversation, let disposition):
            var data: JSON = ["conversationId": .string(conversation.rawValue)]
            if let disposition, case .object(var object) = data {
                object["disposition"] = .string(disposition)
                data = .object(object)
            }
            if case .failed(let failure) = await forward("conversation.endWrapUp", data, deskCommandID: commandID) {
                return .failed(failure)
            }
            return await desk.perform(commandID: commandID, now: now) { record in
                (record.apply(.wrapUpEnded(conversation), now: now), Self.conversationResult(conversation))
            }

        case .closeSession(let conversation):
            var trial = await desk.record
            let trialEvents: [DeskEvent]
            do throws(WorkspaceError) {
                trialEvents = try trial.handle(.closeSession(conversation: conversation), now: now)
            } catch {
                return .failed(error.commandFailure)
            }
            let endsConversation = trialEvents.contains {
                if case .workspace(.sessionClosed(_, _, true)) = $0 { true } else { false }
            }
            let known = mirror.conversation(conversation)
            let session = await desk.record.workspace.session(conversation)
            if endsConversation && known?.state == .assigned && known?.agent == agent {
                if case .failed(let failure) = await forward(
                    "conversation.close", ["conversationId": .string(conversation.rawValue)], deskCommandID: commandID)
                {
                    return .failed(failure)
                }
            } else if known == nil, let session, session.channel == .voice, session.pendingActions.contains(.wrapUp) {
                // Closing the session of a call that ended is the end of its wrap-up. A router that
                // already ended it (the wrap-up timed out) refuses with `conflict` or `not_found`:
                // nothing is lost then.
                if case .failed(let failure) = await forward(
                    "conversation.endWrapUp", ["conversationId": .string(conversation.rawValue)],
                    deskCommandID: commandID),
                    failure.code != .conflict && failure.code != .notFound
                {
                    return .failed(failure)
                }
            }
            return await desk.perform(commandID: commandID, now: now) { record in
                // The router's close may have closed the session meanwhile: then nothing is left to do.
                let events = (try? record.handle(.closeSession(conversation: conversation), now: now)) ?? []
                return (events, Self.conversationResult(conversation))
            }

        case .reopen(let conversation):
            guard let known = mirror.conversation(conversation), known.agent == agent, known.state == .assigned else {
                return .failed(
                    CommandFailure(
                        code: .notFound,
                        message:
                            "\(conversation) is not assigned to \(agent) at the router; only your own open items reopen"
                    ))
            }
            let cached = cachedAssistance(for: [conversation])[conversation] ?? []
            return await desk.performWorkspaceChange(commandID: commandID, now: now) { record throws(WorkspaceError) in
                var events = try record.reopen(known.workItem, lastMessage: known.messageCount, now: now)
                if events.contains(where: { if case .workspace(.sessionOpened) = $0 { true } else { false } }) {
                    for update in cached { events += record.apply(.assistance(conversation, update), now: now) }
                }
                return (events, Self.conversationResult(conversation))
            }

        case .openTab(let conversation, let tab):
            return await desk.performWorkspaceChange(commandID: commandID, now: now) { record throws(WorkspaceError) in
                let content = try Self.content(tab, in: conversation, of: record)
                let events = try record.handle(.openTab(conversation: conversation, content: content), now: now)
                return (
                    events, ["conversationId": .string(conversation.rawValue), "tabId": .string(content.id.rawValue)]
                )
            }

        case .workspace(let command):
            return await desk.performWorkspaceChange(commandID: commandID, now: now) { record throws(WorkspaceError) in
                let events = try record.handle(command, now: now)
                return (events, Self.result(of: command, in: record))
            }

        case .setPreferences(let patch):
            return await desk.performWorkspaceChange(commandID: commandID, now: now) { record throws(WorkspaceError) in
                let overrides = patch.applied(to: record.workspace.agentOverrides)
                let events = try record.handle(.setPreferences(overrides), now: now)
                return (events, DeskCoding.busJSONOrNull(record.workspace.preferences.values))
            }

        case .useSuggestion(let conversation, let suggestionId, let edited):
            return await recordFeedback(
                .used(suggestionId: suggestionId, edited: edited), in: conversation, by: desk, commandID: commandID,
                now: now)
        case .dismissSuggestion(let conversation, let suggestionId):
            return await recordFeedback(
                .dismissed(suggestionId: suggestionId), in: conversation, by: desk, commandID: commandID, now: now)
        case .markArticleHelpful(let conversation, let articleId):
            return await recordFeedback(
                .helpful(articleId: articleId), in: conversation, by: desk, commandID: commandID, now: now)
        case .editCaseSummary(let conversation, let summary):
            return await editCaseSummary(summary, of: conversation, by: desk, commandID: commandID, now: now)
        }
    }

    private func signIn(_ agent: AgentID, commandID: String, now: Date) async -> CommandOutcome {
        guard let role = contactCentre.roleName(of: agent) ?? mirror.agents[agent]?.role else {
            return .failed(
                CommandFailure(
                    code: .notFound,
                    message: "\(agent) is neither in the contact-centre file nor among the router's agents; "
                        + "add them to the file (or with agent.add) first"))
        }
        let defaults = contactCentre.rolePreferences.defaults(for: role)
        let desk: DeskAgent
        if let signedIn = agents[agent] {
            desk = signedIn
        } else {
            let stored: DeskTable.Row?
            do {
                stored = try await store.read { db in try DeskTable.row(of: agent, in: db) }
            } catch {
                return .failed(
                    CommandFailure(code: .unavailable, message: "the desk cannot read its database: \(error)"))
            }
            let record: DeskRecord
            if let stored {
                do {
                    record = try DeskCoding.decodeFromStorage(stored.record)
                } catch {
                    return .failed(
                        CommandFailure(
                            code: .internal,
                            message: "the stored desk of \(agent) cannot be read (\(error)); restore the desk's "
                                + "database or delete the agent's row in desk_agents"))
                }
            } else {
                record = DeskRecord(
                    agent: agent, role: role, roleDefaults: defaults,
                    agentOverrides: contactCentre.agentPreferences[agent] ?? PreferenceOverrides())
            }
            desk = DeskAgent(record: record, name: displayName(agent), committer: committer, logger: logger)
            agents[agent] = desk
        }
        let mirror: RouterMirror? = mirrorLive ? self.mirror : nil
        let cached = cachedAssistance()
        let outcome = await desk.perform(commandID: commandID, now: now) { record in
            var events = record.signIn(now: now)
            events += record.apply(.roleDefaults(role, defaults), now: now)
            if let mirror {
                let resynced = record.resync(with: mirror, now: now)
                events += resynced
                for event in resynced {
                    guard case .workspace(.sessionOpened(let conversation, _, _, _, _)) = event else { continue }
                    for update in cached[conversation] ?? [] {
                        events += record.apply(.assistance(conversation, update), now: now)
                    }
                }
            }
            var result = DeskWireItem.summary(record.workspace).json.objectValue ?? JSONObject()
            result["agentId"] = .string(agent.rawValue)
            result["role"] = .string(role.rawValue)
            result["offers"] = .array(record.offers.map { DeskWireItem.offer($0).json })
            return (events, .object(result))
        }
        if case .failed = outcome {
            if await !desk.record.signedIn { agents[agent] = nil }
        } else {
            logger.info("agent signed in at the desk", metadata: ["agent": "\(agent)"])
        }
        return outcome
    }

    private func show(_ agent: AgentID, width: Int?, now: Date) async -> CommandOutcome {
        var record = await agents[agent]?.record
        if record == nil {
            do {
                if let stored = try await store.read({ db in try DeskTable.row(of: agent, in: db) }) {
                    record = try DeskCoding.decodeFromStorage(stored.record)
                }
            } catch {
                return .failed(
                    CommandFailure(code: .unavailable, message: "the desk cannot read the desk of \(agent): \(error)"))
            }
        }
        guard let record else {
            return .failed(CommandFailure(code: .notFound, message: "\(agent) has never signed in at the desk"))
        }
        let transcript = record.workspace.viewedSessionID.map { mirror.transcript(of: $0) } ?? []
        var facts = mirror.agents[agent]
        if facts != nil, let name = displayName(agent) { facts?.name = name }
        let text = DeskShowRenderer(width: width ?? 100).render(
            record, agentFacts: facts, transcript: transcript, now: now)
        return .ok(["agentId": .string(agent.rawValue), "text": .string(text)])
    }

    /// Forwards a command to the router with an id derived from the desk command's, and
    /// passes its refusal on as it came (code and message).
    private func forward(_ type: String, _ data: JSON, deskCommandID: String) async -> CommandOutcome {
        guard let router else {
            return .failed(
                CommandFailure(
                    code: .unavailable, message: "the topology names no router command endpoint for the desk"))
        }
        logger.debug("forwarding to the router", metadata: ["type": "\(type)", "deskCommand": "\(deskCommandID)"])
        do {
            return .ok(
                try await router.send(
                    type, data: data, id: DeskCommandID.forRouter(deskCommandID),
                    deadlineSeconds: DeskLimits.routerDeadlineSeconds))
        } catch {
            if let failure = error.failure { return .failed(failure) }
            logger.warning(
                "the router did not answer a forwarded command", metadata: ["type": "\(type)", "error": "\(error)"])
            return .failed(
                CommandFailure(
                    code: .unavailable,
                    message: "the router did not answer \(type) within \(Int(DeskLimits.routerDeadlineSeconds)) s; "
                        + "retry with the same id (it is applied once)"))
        }
    }

    // MARK: Helpers

    static func conversationResult(_ conversation: ConversationID) -> JSON {
        ["conversationId": .string(conversation.rawValue)]
    }

    /// The tab content a `desk.openTab` names, with defaults from the session.
    static func content(
        _ tab: DeskRequest.TabRequest, in conversation: ConversationID, of record: DeskRecord
    ) throws(WorkspaceError) -> TabContent {
        guard let session = record.workspace.session(conversation) else {
            throw .unknownSession(conversation: conversation)
        }
        switch tab {
        case .customer(let customer):
            return .customer(id: customer ?? session.item.customer)
        case .caseRecord(let reference):
            return .caseRecord(reference: reference)
        case .knowledgeArticle(let id, let title):
            let surfaced = session.assistance.knowledge.first { $0.id == id }?.title
            return .knowledgeArticle(KnowledgeArticleRef(id: id, title: title ?? surfaced ?? id))
        case .form(let name, let title):
            return .form(name: name, title: title)
        }
    }

    /// What a workspace command answers.
    static func result(of command: WorkspaceCommand, in record: DeskRecord) -> JSON {
        switch command {
        case .focusSession(let conversation), .browseSession(let conversation), .discardDraft(let conversation):
            return ["conversationId": .string(conversation.rawValue)]
        case .selectTab(let conversation, let tab), .closeTab(let conversation, let tab),
            .rememberPlace(let conversation, let tab, _):
            return ["conversationId": .string(conversation.rawValue), "tabId": .string(tab.rawValue)]
        case .openTab(let conversation, let content):
            return ["conversationId": .string(conversation.rawValue), "tabId": .string(content.id.rawValue)]
        case .saveDraft(let conversation, _, _):
            let draft = record.workspace.draft(for: conversation)
            return [
                "conversationId": .string(conversation.rawValue), "revision": .number(draft?.revision ?? 0),
                "bytes": .number(draft?.byteCount ?? 0),
            ]
        case .completeAction(let conversation, _):
            let actions = record.workspace.session(conversation)?.pendingActions ?? []
            return [
                "conversationId": .string(conversation.rawValue),
                "pendingActions": .array(actions.map { .string($0.rawValue) }),
            ]
        case .sendReply(let conversation, _), .closeSession(let conversation):
            return ["conversationId": .string(conversation.rawValue)]
        case .reopenSession(let item):
            return ["conversationId": .string(item.conversation.rawValue)]
        case .setPreferences:
            return DeskCoding.busJSONOrNull(record.workspace.preferences.values)
        }
    }
}
