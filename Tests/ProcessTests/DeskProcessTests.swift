import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import Testing

/// The real binary: `switchboard up` with the router, the presence tracker and the desk.
@Suite("Desk as a process", .serialized)
struct DeskProcessTests {
    /// Priya Raman is a senior agent on the specialist profile (1 call, 2 chats, 2 emails; a
    /// live call blocks new chats and emails), so her chats come first and the call last.
    /// Mei Chen is on the email desk.
    static let priya = "priya-raman"
    static let mei = "mei-chen"

    @Test("a call and two chats: three sessions with the call focused; a draft survives SIGKILL byte for byte")
    func workspaceSurvivesKill() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk], heartbeatTimeoutSeconds: 600)
        do {
            try await signInAndMakeAvailable(system, [Self.priya, Self.mei])

            // Two chats, each offered and accepted through the desk; then a call.
            try await offerAndAccept(
                system, "c-chat-1", customer: "cust-101", queue: "chat-en-general", text: "my new card has not arrived")
            try await offerAndAccept(
                system, "c-chat-2", customer: "cust-102", queue: "chat-en-general", text: "how do I raise my card limit"
            )
            try await offerAndAccept(system, "c-call-1", customer: "cust-103", queue: "voice-en-general", text: nil)
            #expect(
                await eventually {
                    let summary = system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["summary"]
                    return summary?["sessions"]?.arrayValue?.count == 3 && summary?["activeSession"] == "c-call-1"
                        && summary?["liveCall"] == "c-call-1"
                }, "priya's desk: \(system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["summary"]?.text ?? "none")"
            )

            // The second chat opened behind the first: its customer's first words wait unread.
            let secondChat = system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["summary"]?["sessions"]?
                .arrayValue?
                .first { $0["conversationId"] == "c-chat-2" }
            #expect(secondChat?["unread"] == 1)
            #expect(secondChat?["pendingActions"]?.arrayValue?.contains("awaiting-reply") == true)

            // A customer writes in a chat while the call holds focus: unread there.
            try await system.send(
                .router, "conversation.message",
                [
                    "conversationId": "c-chat-1", "role": "customer", "author": "cust-101",
                    "text": "are you still there?",
                ])
            #expect(
                await eventually {
                    let sessions = system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["summary"]?["sessions"]?
                        .arrayValue
                    return sessions?.first { $0["conversationId"] == "c-chat-1" }?["unread"] == 1
                })
            // Focusing a chat is refused while the call is live; browsing it is allowed.
            do {
                try await system.send(
                    .desk, "desk.focus", ["agentId": .string(Self.priya), "conversationId": "c-chat-1"])
                Issue.record("a chat was focused during a live call")
            } catch let error as CommandError {
                #expect(error.failure?.code == .conflict)
                #expect(error.failure?.message.contains("c-call-1") == true)
            }
            try await system.send(.desk, "desk.browse", ["agentId": .string(Self.priya), "conversationId": "c-chat-1"])

            // The email goes to Mei (Priya's live call blocks email); she saves a draft.
            try await system.send(
                .router, "conversation.open",
                ["conversationId": "c-mail-1", "customerId": "cust-104", "queue": "email-en"])
            #expect(
                await eventually {
                    system.recorder.state(of: .desk)["desk.\(Self.mei)"]?["summary"]?["sessions"]?.arrayValue?
                        .contains { $0["conversationId"] == "c-mail-1" } == true
                })
            let subject = "Re: payment you did not make"
            let body =
                "Dear customer,\r\n\r\nwe have blocked card \u{2022}\u{2022}42 \u{1F4B3}; the cafe\u{301} charge of "
                + "12,50 \u{20AC} "
                + "is disputed.\n\t\"Ref\" \\ 7f/9c\nKind regards,\nMei"
            let saved = try await system.send(
                .desk, "desk.saveDraft",
                [
                    "agentId": .string(Self.mei), "conversationId": "c-mail-1", "subject": .string(subject),
                    "body": .string(body),
                ])
            #expect(saved["revision"] == 1)
            #expect(saved["bytes"]?.intValue == Int64(subject.utf8.count + body.utf8.count))
            let before = try await snapshot(system, prefix: "desk.")

            // SIGKILL; `up` restarts the desk, which reloads every desk and resyncs with the router.
            let oldPid = system.pids[.desk]
            system.kill(.desk)
            #expect(await eventually(within: 30) { system.pids[.desk] != nil && system.pids[.desk] != oldPid })
            let shown = try await system.send(.desk, "desk.show", ["agentId": .string(Self.mei)])
            let text = try #require(shown["text"]?.stringValue)
            #expect(text.contains("c-mail-1"))
            #expect(text.contains("\"\(subject)\""), "the draft is listed: \(text)")

            let after = try await snapshot(system, prefix: "desk.")
            let draftBefore = try #require(before["desk.\(Self.mei)"]?["workspace"]?["drafts"]?.arrayValue?.first)
            let draftAfter = try #require(after["desk.\(Self.mei)"]?["workspace"]?["drafts"]?.arrayValue?.first)
            #expect(Array(try #require(draftAfter["body"]?.stringValue).utf8) == Array(body.utf8))
            #expect(draftAfter["subject"]?.stringValue == subject)
            #expect(draftAfter == draftBefore)
            let priyaAfter = after["desk.\(Self.priya)"]?["summary"]
            #expect(
                priyaAfter?["sessions"]?.arrayValue?.map { $0["conversationId"]?.stringValue ?? "" } == [
                    "c-chat-1", "c-chat-2", "c-call-1",
                ])
            #expect(priyaAfter?["activeSession"] == "c-call-1")
            #expect(
                after["desk.\(Self.priya)"]?["workspace"] == before["desk.\(Self.priya)"]?["workspace"],
                "the workspace as it was")
            let shownPriya = try #require(
                try await system.send(.desk, "desk.show", ["agentId": .string(Self.priya)])["text"]?.stringValue)
            #expect(shownPriya.contains("Focus: voice c-call-1"))
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("forwarded commands: a retried reply reaches the router once, a refusal comes back as the router gave it")
    func forwardedCommands() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk], heartbeatTimeoutSeconds: 600)
        do {
            try await signInAndMakeAvailable(system, [Self.priya])
            try await offerAndAccept(
                system, "c-1", customer: "cust-1", queue: "chat-en-general", text: "my card was declined")

            let reply: JSON = [
                "agentId": .string(Self.priya), "conversationId": "c-1", "text": "Let me check that for you.",
            ]
            let first = try await system.send(.desk, "desk.reply", reply, id: "reply-1")
            let again = try await system.send(.desk, "desk.reply", reply, id: "reply-1")
            #expect(first == again)
            let transcript = try await system.send(.router, "conversation.transcript", ["conversationId": "c-1"])
            let agentMessages = transcript["messages"]?.arrayValue?.filter { $0["role"] == "agent" } ?? []
            #expect(agentMessages.count == 1, "applied once at the router: \(transcript.text)")
            #expect(agentMessages.first?["number"] == first["number"])

            // The router refuses to accept an offer Priya does not hold: its code and message come back.
            try await system.send(
                .router, "conversation.open",
                ["conversationId": "c-2", "customerId": "cust-2", "queue": "chat-en-general"])
            do {
                try await system.send(
                    .desk, "desk.accept", ["agentId": .string(Self.priya), "conversationId": "c-404"])
                Issue.record("an accept of an unknown conversation was acknowledged")
            } catch let error as CommandError {
                #expect(error.failure?.code == .notFound)
            }

            // Close through the desk: the session ends once the router closed the conversation,
            // which waits in wrap-up (30 s on this queue) until Priya ends it from her desk.
            try await system.send(.desk, "desk.close", ["agentId": .string(Self.priya), "conversationId": "c-1"])
            let summary = try await system.send(.desk, "desk.signIn", ["agentId": .string(Self.priya)])
            #expect(summary["sessions"]?.arrayValue?.contains { $0["conversationId"] == "c-1" } == false)
            #expect(await eventually { system.recorder.state(of: .router)["conv.c-1"]?["state"] == "wrapUp" })
            try await system.send(
                .desk, "desk.endWrapUp",
                ["agentId": .string(Self.priya), "conversationId": "c-1", "disposition": "resolved"])
            #expect(
                await eventually(within: 10) { system.recorder.state(of: .router)["conv.c-1"]?["state"] == "closed" },
                "c-1 at the router: \(system.recorder.state(of: .router)["conv.c-1"]?.text ?? "none")")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("a transfer from the desk with a note: the router moves it and says the note; others cannot transfer it")
    func transferWithNote() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk], heartbeatTimeoutSeconds: 600)
        do {
            try await signInAndMakeAvailable(system, [Self.priya])
            try await offerAndAccept(
                system, "c-1", customer: "cust-1", queue: "chat-en-general", text: "my card was declined")
            // Mei does not hold it: refused, nothing forwarded.
            do {
                try await system.send(
                    .desk, "desk.transfer",
                    ["agentId": .string(Self.mei), "conversationId": "c-1", "toQueue": "chat-en-cards"])
                Issue.record("an agent who does not hold c-1 transferred it")
            } catch let error as CommandError {
                #expect(error.failure != nil, "refused by the desk, not timed out: \(error)")
            }
            #expect(!system.recorder.all.contains { $0.type == "conversation.transferred" })
            let note = "Card blocked after three wrong PINs; identity checked."
            let result = try await system.send(
                .desk, "desk.transfer",
                [
                    "agentId": .string(Self.priya), "conversationId": "c-1", "toQueue": "chat-en-cards",
                    "note": .string(note),
                ])
            #expect(result["conversationId"] == "c-1")
            let transferred = await eventually {
                system.recorder.all.contains {
                    $0.type == "conversation.transferred" && $0.data["conversationId"] == "c-1"
                }
            }
            #expect(transferred)
            let event = try #require(system.recorder.all.first { $0.type == "conversation.transferred" })
            #expect(event.data["note"] == .string(note))
            #expect(event.data["fromAgentId"] == .string(Self.priya))
            #expect(event.data["toQueue"] == "chat-en-cards")
            let explained = try await system.send(.router, "conversation.explain", ["conversationId": "c-1"])
            let step = explained["history"]?.arrayValue?.last { $0["event"] == "transferred" }
            #expect(step?["note"] == .string(note), "\(explained.text)")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("the router killed and restarted: the desk catches up with it and forwarding goes on")
    func routerRestart() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk], heartbeatTimeoutSeconds: 600)
        do {
            try await signInAndMakeAvailable(system, [Self.priya])
            try await offerAndAccept(system, "c-1", customer: "cust-1", queue: "chat-en-general", text: "hello")

            let oldPid = system.pids[.router]
            system.kill(.router)
            #expect(await eventually(within: 30) { system.pids[.router] != nil && system.pids[.router] != oldPid })
            // Commands reach the new router (the clients retry with the same id until it is back).
            try await system.send(
                .router, "conversation.message",
                ["conversationId": "c-1", "role": "customer", "author": "cust-1", "text": "still there?"])
            try await offerAndAccept(system, "c-2", customer: "cust-2", queue: "chat-en-general", text: "hi")
            let reply = try await system.send(
                .desk, "desk.reply",
                ["agentId": .string(Self.priya), "conversationId": "c-1", "text": "Yes, one moment."])
            #expect(reply["number"] == 3)
            #expect(
                await eventually {
                    let summary = system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["summary"]
                    return summary?["sessions"]?.arrayValue?.map { $0["conversationId"]?.stringValue ?? "" } == [
                        "c-1", "c-2",
                    ]
                        && summary?["sessions"]?.arrayValue?.first?["pendingActions"]?.arrayValue?.isEmpty == true
                }, "priya's desk: \(system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["summary"]?.text ?? "none")"
            )
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    // MARK: Steps

    @Test("feedback and a corrected case summary are counted once per command id and survive SIGKILL")
    func feedbackSurvivesKill() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk], heartbeatTimeoutSeconds: 600)
        do {
            try await signInAndMakeAvailable(system, [Self.priya, Self.mei])
            try await offerAndAccept(
                system, "c-1", customer: "cust-1", queue: "chat-en-general", text: "my new card has not arrived")
            // No summariser here: the intent is the one the template's id names.
            let dismissed = try await system.send(
                .desk, "desk.dismissSuggestion",
                ["agentId": .string(Self.priya), "conversationId": "c-1", "suggestionId": "template:card_arrival:0"])
            #expect(dismissed["intent"] == "card_arrival")
            let useID = CommandClient.newID()
            let useData: JSON = [
                "agentId": .string(Self.priya), "conversationId": "c-1", "suggestionId": "template:card_arrival:2",
                "edited": true,
            ]
            try await system.send(.desk, "desk.useSuggestion", useData, id: useID)
            try await system.send(
                .desk, "desk.markArticleHelpful",
                ["agentId": .string(Self.priya), "conversationId": "c-1", "articleId": "kb-card-delivery"])
            let edited = try await system.send(
                .desk, "desk.editCaseSummary",
                [
                    "agentId": .string(Self.priya), "conversationId": "c-1", "issue": "The new card has not arrived.",
                    "nextStep": "Reorder it to the new address.", "actionsTaken": ["Checked the address."],
                ])
            #expect(edited["editedBy"] == .string(Self.priya))
            // Someone without the session is refused, and nothing is counted for them.
            do {
                try await system.send(
                    .desk, "desk.useSuggestion",
                    ["agentId": .string(Self.mei), "conversationId": "c-1", "suggestionId": "template:card_arrival:2"])
                Issue.record("an agent without the session gave feedback on it")
            } catch let error as CommandError {
                #expect(error.failure?.code == .notFound)
            }

            let oldPid = system.pids[.desk]
            system.kill(.desk)
            #expect(await eventually(within: 30) { system.pids[.desk] != nil && system.pids[.desk] != oldPid })
            // The same use again, by id: answered as before, not counted twice.
            try await system.send(.desk, "desk.useSuggestion", useData, id: useID)
            let after = try await snapshot(system, prefix: "feedback.")
            let item = try #require(after["feedback.card_arrival"], "feedback items: \(after.keys.sorted())")
            let suggestions = item["suggestions"]?.arrayValue ?? []
            #expect(
                suggestions.first { $0["suggestionId"] == "template:card_arrival:0" }?["dismissed"] == 1,
                "\(item.text)")
            let used = suggestions.first { $0["suggestionId"] == "template:card_arrival:2" }
            #expect(used?["used"] == 1 && used?["edited"] == 1, "\(item.text)")
            // An article names no intent, and without a summariser the conversation has none: unclassified.
            #expect(after["feedback.unclassified"]?["articles"]?.arrayValue?.first?["helpful"] == 1)
            let desk = try await snapshot(system, prefix: "desk.\(Self.priya)")
            let sessions = desk["desk.\(Self.priya)"]?["workspace"]?["sessions"]?.arrayValue ?? []
            let pane = sessions.first { $0["item"]?["conversation"] == "c-1" }?["assistance"]
            #expect(pane?["caseSummary"]?["issue"] == "The new card has not arrived.")
            #expect(pane?["caseSummary"]?["editedBy"] == .string(Self.priya))
            #expect(system.recorder.events(ofType: "desk.case-summary.edited").count == 1)
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    private func signInAndMakeAvailable(_ system: SystemHarness, _ agents: [String]) async throws {
        for agent in agents {
            let summary = try await system.send(.desk, "desk.signIn", ["agentId": .string(agent)])
            #expect(summary["agentId"]?.stringValue == agent)
            try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
        }
        #expect(
            await eventually {
                agents.allSatisfy { system.recorder.state(of: .router)["agent.\($0)"]?["presence"] == "available" }
            })
    }

    /// Opens a conversation for Priya's queues, waits for the offer on her desk, accepts it there.
    /// The customer's first words follow the open as a message: as an opening `text` they would
    /// go through intent detection, and a product skill Priya lacks would hold the conversation
    /// for the fallback ladder instead of offering it to her.
    private func offerAndAccept(
        _ system: SystemHarness, _ conversation: String, customer: String, queue: String, text: String?
    ) async throws {
        try await system.send(
            .router, "conversation.open",
            ["conversationId": .string(conversation), "customerId": .string(customer), "queue": .string(queue)])
        if let text {
            try await system.send(
                .router, "conversation.message",
                [
                    "conversationId": .string(conversation), "role": "customer", "author": .string(customer),
                    "text": .string(text),
                ])
        }
        let offered = await eventually {
            system.recorder.state(of: .desk)["desk.\(Self.priya)"]?["offers"]?.arrayValue?
                .contains { $0["conversationId"]?.stringValue == conversation } == true
        }
        let atRouter = system.recorder.state(of: .router)["conv.\(conversation)"]?.text ?? "none"
        #expect(offered, "no offer of \(conversation) on the desk: \(atRouter)")
        let accepted = try await system.send(
            .desk, "desk.accept", ["agentId": .string(Self.priya), "conversationId": .string(conversation)])
        #expect(accepted["conversationId"]?.stringValue == conversation)
    }

    /// A fresh snapshot of the desk's state, taken with a replica of its own.
    private func snapshot(_ system: SystemHarness, prefix: String) async throws -> [String: JSON] {
        guard let desk = system.topology.service(.desk) else { throw HarnessError("no desk in the topology") }
        let taken = Locked<[String: JSON]?>(nil)
        let replica = Replica(
            loop: system.loop, publish: desk.publish, state: desk.state, prefixes: [prefix],
            logger: SystemHarness.logger)
        let task = Task {
            try? await replica.run { update in
                guard case .snapshot(let snapshot) = update else { return }
                var items: [String: JSON] = [:]
                for item in snapshot.items { items[item.key] = try? item.value() }
                taken.withLock { $0 = $0 ?? items }
            }
        }
        let arrived = await eventually(within: 15) { taken.value != nil }
        task.cancel()
        guard arrived, let items = taken.value else { throw HarnessError("no desk snapshot within 15 s") }
        return items
    }
}
