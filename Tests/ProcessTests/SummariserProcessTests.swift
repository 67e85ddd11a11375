import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardServiceKit
import SwitchboardTools
import SwitchboardTopology
import Testing

/// The real binary: router, presence tracker and summariser as processes under `switchboard up`.
@Suite("Summariser as a process", .serialized)
struct SummariserProcessTests {
    static let opening = "I ordered a new card two weeks ago and it still hasn't arrived."

    @Test(
        "intent routes, assistance flows, a transfer's summary reaches the new agent, a restart rebuilds the same"
    )
    func assistanceEndToEnd() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk, .summariser])
        do {
            #expect(Set(system.pids.values).count == 4, "each service is its own process: \(system.pids)")
            // `switchboard tap assist.` attached from the start, as a person watching would.
            let tapArguments = ["tap", "--topology", system.topologyFile, "--service", "summariser", "assist."]
            let tap = try await ChildProcess(
                name: "tap", executable: SystemHarness.binary,
                arguments: tapArguments + ["--count", "4", "--seconds", "90", "--log-level", "error"])
            let tapLines = Locked<[String]>([])
            let tapReader = Task {
                for await line in tap.lines {
                    tapLines.withLock { $0.append(line) }
                }
            }
            // Live once its (empty) snapshot of the summariser is printed.
            #expect(await eventually { tapLines.value.contains { $0.contains("\"snapshot_end\"") } })

            // James (cards 3), Priya (cards 5) and Ahmed (no cards skill) serve chat-en-general.
            for agent in ["james-walker", "ahmed-hassan", "priya-raman"] {
                try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
            }
            #expect(
                await eventually {
                    ["james-walker", "ahmed-hassan", "priya-raman"].allSatisfy {
                        system.recorder.state(of: .router)["agent.\($0)"]?["presence"] == "available"
                    }
                })
            try await system.send(
                .router, "conversation.open",
                [
                    "conversationId": "c-1", "customerId": "dana-whitfield", "queue": "chat-en-general",
                    "text": .string(Self.opening),
                ])

            // The router required the product skill the opening text implies (chat-en-general has intentSkill).
            let queued = try #require(await firstEvent(system, type: "conversation.queued", conversation: "c-1"))
            let required = queued.data["item"]?["requiredSkills"]?.arrayValue?.compactMap { $0["skill"]?.stringValue }
            #expect(required?.contains("cards") == true, "required skills: \(String(describing: required))")
            #expect(queued.data["item"]?["intent"]?["skill"] == "cards")
            let offered = try #require(await firstEvent(system, type: "conversation.offered", conversation: "c-1"))
            let firstAgent = try #require(offered.data["agentId"]?.stringValue)
            #expect(["james-walker", "priya-raman"].contains(firstAgent), "a cards-skilled agent: \(firstAgent)")
            try await system.send(
                .router, "conversation.accept", ["conversationId": "c-1", "agentId": .string(firstAgent)])
            try await system.send(
                .router, "conversation.message",
                [
                    "conversationId": "c-1", "role": "agent", "author": "James Walker",
                    "text": "I've checked the order and it was sent to an old address.",
                ])

            // The summariser's assistance for c-1: intent, articles, suggestions and a summary.
            #expect(
                await eventually(within: 60) {
                    system.recorder.state(of: .summariser)["assist.c-1"]?["summary"]?.stringValue?.contains(
                        "James Walker") == true
                })
            let assistance = try #require(system.recorder.state(of: .summariser)["assist.c-1"])
            #expect(assistance["intent"]?["skill"] == "cards")
            #expect(assistance["knowledge"]?.arrayValue?.isEmpty == false)
            #expect(assistance["suggestions"]?.arrayValue?.isEmpty == false)
            let types = Set(system.recorder.all.filter { $0.service == .summariser }.map(\.type))
            #expect(
                types.isSuperset(of: ["assist.intent", "assist.knowledge", "assist.suggestions", "assist.summary"]))

            // Transfer to another agent: the summariser drafts the case summary for the new agent.
            let newAgent = firstAgent == "priya-raman" ? "james-walker" : "priya-raman"
            try await system.send(.desk, "desk.signIn", ["agentId": .string(newAgent)])
            try await system.send(
                .router, "conversation.transfer", ["conversationId": "c-1", "agentId": .string(newAgent)])
            #expect(
                await eventually(within: 60) {
                    system.recorder.events(ofType: "assist.caseSummary").contains {
                        $0.data["conversationId"] == "c-1" && $0.data["reason"] == "transfer"
                    }
                })
            let handedOver = try #require(system.recorder.state(of: .summariser)["assist.c-1"])
            #expect(handedOver["caseSummary"]?["status"] == "transferred")
            #expect(handedOver["caseSummary"]?["issue"]?.stringValue?.isEmpty == false)
            #expect(handedOver["summary"]?.stringValue?.contains("transferred to") == true)
            let caseEvents = system.recorder.events(ofType: "assist.caseSummary").filter {
                $0.data["conversationId"] == "c-1"
            }
            #expect(caseEvents.last?.data["reason"] == "transfer")
            // The conversation now goes to the new agent; through their desk they take it, and the
            // session's productivity pane holds the summary and the case summary.
            #expect(
                await eventually {
                    system.recorder.state(of: .router)["conv.c-1"]?["agentId"]?.stringValue == newAgent
                })
            if system.recorder.state(of: .router)["conv.c-1"]?["state"] == "offered" {
                try await system.send(
                    .desk, "desk.accept", ["agentId": .string(newAgent), "conversationId": "c-1"])
            }
            let handedOverSummary = try #require(handedOver["summary"])
            // The summary and the case summary reach the desk as two events: wait for both.
            #expect(
                await eventually(within: 60) {
                    let pane = Self.pane(of: "c-1", in: system.recorder.state(of: .desk)["desk.\(newAgent)"])
                    return pane?["summary"] == handedOverSummary
                        && pane?["caseSummary"]?["issue"] == handedOver["caseSummary"]?["issue"]
                }, "the desk item: \(system.recorder.state(of: .desk)["desk.\(newAgent)"]?.text ?? "none")")

            // What `switchboard tap assist.` printed.
            #expect(
                await eventually { tapLines.value.contains { $0.contains("\"topic\":\"assist.c-1.") } },
                "tap printed: \(tapLines.value.prefix(6))")
            _ = await tap.stop()
            tapReader.cancel()

            // Kill the summariser: `up` restarts it, and it rebuilds the same assistance from the router.
            let before = try #require(system.recorder.state(of: .summariser)["assist.c-1"])
            let oldEpoch = try #require(await snapshot(of: system, prefix: "assist.")).epoch
            let oldPid = system.pids[.summariser]
            system.kill(.summariser)
            var rebuilt: (epoch: UInt64, items: [String: JSON])?
            #expect(
                await eventually(within: 90) {
                    rebuilt = await snapshot(of: system, prefix: "assist.")
                    return (rebuilt?.epoch ?? 0) > oldEpoch && rebuilt?.items["assist.c-1"] == before
                })
            #expect(system.pids[.summariser] != oldPid)
            let after = rebuilt?.items["assist.c-1"]
            #expect(after == before, "rebuilt: \(String(describing: after?.text)) before: \(before.text)")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("a Spanish customer in an English queue gets Spanish replies and a Spanish summary from the process")
    func spanishCustomerInEnglishQueue() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .summariser])
        do {
            // The summariser assists from the first offer: Lucía (English, Spanish, security) is there.
            try await system.send(.presence, "presence.set", ["agentId": "lucia-fernandez", "status": "available"])
            #expect(
                await eventually {
                    system.recorder.state(of: .router)["agent.lucia-fernandez"]?["presence"] == "available"
                })
            let opening = "Hola, me han robado la cartera con la tarjeta dentro y quiero bloquearla."
            try await system.send(
                .router, "conversation.open",
                [
                    "conversationId": "c-es", "customerId": "lucia-gomez", "queue": "chat-en-general",
                    "text": .string(opening),
                ])
            // The router read the opening with the Spanish model: a stolen card is a security matter.
            let queued = try #require(await firstEvent(system, type: "conversation.queued", conversation: "c-es"))
            #expect(queued.data["item"]?["intent"]?["intent"] == "lost_or_stolen_card")
            let offered = try #require(await firstEvent(system, type: "conversation.offered", conversation: "c-es"))
            #expect(offered.data["agentId"] == "lucia-fernandez")
            #expect(
                await eventually(within: 60) {
                    system.recorder.state(of: .summariser)["assist.c-es"]?["language"] == "es"
                        && system.recorder.state(of: .summariser)["assist.c-es"]?["summary"] != nil
                })
            let assistance = try #require(system.recorder.state(of: .summariser)["assist.c-es"])
            let ids = assistance["suggestions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains { $0.hasPrefix("template:es:lost_or_stolen_card:") }, "suggestions: \(ids)")
            #expect(assistance["summary"]?.stringValue?.contains("quiere bloquear la tarjeta") == true)
            let summaryEvent = system.recorder.events(ofType: "assist.summary").last {
                $0.data["conversationId"]?.stringValue == "c-es"
            }
            #expect(summaryEvent?.data["language"] == "es")
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    @Test("what agents do with suggestions at the desk reorders the summariser's next suggestions for the intent")
    func deskFeedbackReordersSuggestions() async throws {
        let system = try await SystemHarness(services: [.router, .presence, .desk, .summariser])
        do {
            let agent = "priya-raman"
            try await system.send(.desk, "desk.signIn", ["agentId": .string(agent)])
            try await system.send(.presence, "presence.set", ["agentId": .string(agent), "status": "available"])
            #expect(
                await eventually {
                    system.recorder.state(of: .router)["agent.\(agent)"]?["presence"] == "available"
                })
            try await system.send(
                .router, "conversation.open",
                [
                    "conversationId": "c-1", "customerId": "dana-whitfield", "queue": "chat-en-general",
                    "text": .string(Self.opening),
                ])
            #expect(
                await eventually(within: 60) {
                    system.recorder.state(of: .router)["conv.c-1"]?["agentId"]?.stringValue == agent
                })
            if system.recorder.state(of: .router)["conv.c-1"]?["state"] == "offered" {
                try await system.send(.desk, "desk.accept", ["agentId": .string(agent), "conversationId": "c-1"])
            }
            func suggestions(_ conversation: String) -> [String] {
                system.recorder.state(of: .summariser)["assist.\(conversation)"]?["suggestions"]?.arrayValue?
                    .compactMap { $0["id"]?.stringValue } ?? []
            }
            #expect(await eventually(within: 60) { suggestions("c-1").count >= 2 })
            let offered = suggestions("c-1")
            let first = try #require(offered.first)
            let last = try #require(offered.last)
            #expect(
                await eventually(within: 60) {
                    Self.pane(of: "c-1", in: system.recorder.state(of: .desk)["desk.\(agent)"]) != nil
                })

            // Agents keep setting the first aside and sending the last.
            for _ in 0..<4 {
                try await system.send(
                    .desk, "desk.dismissSuggestion",
                    ["agentId": .string(agent), "conversationId": "c-1", "suggestionId": .string(first)])
                try await system.send(
                    .desk, "desk.useSuggestion",
                    [
                        "agentId": .string(agent), "conversationId": "c-1", "suggestionId": .string(last),
                        "edited": false,
                    ])
            }
            // A retried command (same id) is counted once.
            let retry = CommandClient.newID()
            for _ in 0..<2 {
                try await system.send(
                    .desk, "desk.useSuggestion",
                    [
                        "agentId": .string(agent), "conversationId": "c-1", "suggestionId": .string(last),
                        "edited": true,
                    ],
                    id: retry)
            }
            let intent = try #require(
                system.recorder.state(of: .summariser)["assist.c-1"]?["intent"]?["intent"]?.stringValue)
            #expect(
                await eventually {
                    let counts = system.recorder.state(of: .desk)["feedback.\(intent)"]?["suggestions"]?.arrayValue
                    let used = counts?.first { $0["suggestionId"]?.stringValue == last }
                    return used?["used"] == 5 && used?["edited"] == 1
                }, "the desk's feedback item: \(system.recorder.state(of: .desk)["feedback.\(intent)"]?.text ?? "none")"
            )
            #expect(system.recorder.events(ofType: "desk.suggestion.dismissed").count == 4)
            // In its own conversation a dismissed suggestion is offered no more.
            #expect(await eventually { !suggestions("c-1").contains(first) }, "c-1 offers \(suggestions("c-1"))")

            // The same words in a new conversation: what agents used comes first now. The summariser reads
            // the desk's events as they come, so a few conversations are opened at most until it has them.
            var reordered: [String] = []
            for attempt in 2...4 {
                let conversation = "c-\(attempt)"
                try await system.send(
                    .router, "conversation.open",
                    [
                        "conversationId": .string(conversation), "customerId": .string("cust-\(attempt)"),
                        "queue": "chat-en-general", "text": .string(Self.opening),
                    ])
                #expect(await eventually(within: 60) { !suggestions(conversation).isEmpty })
                reordered = suggestions(conversation)
                if reordered.first == last { break }
            }
            #expect(reordered.first == last, "before: \(offered), after: \(reordered)")
            #expect(reordered.first != first)

            // A consumer attaching late finds the counts in the desk's snapshot.
            let feedbackKey = "feedback.\(intent)"
            #expect(await eventually { await Self.deskSnapshot(system, prefix: "feedback.")?[feedbackKey] != nil })
        } catch {
            Issue.record("\(error)")
        }
        await system.stop()
        #expect(system.survivors.isEmpty, "processes left behind: \(system.survivors)")
    }

    /// Items of the desk's snapshot under `prefix` (nil when it does not answer within a few seconds).
    static func deskSnapshot(_ system: SystemHarness, prefix: String) async -> [String: JSON]? {
        guard let endpoints = system.topology.service(.desk) else { return nil }
        var options = Replica.Options()
        options.snapshotTimeoutSeconds = 2
        let replica = Replica(
            loop: system.loop, publish: endpoints.publish, state: endpoints.state, prefixes: [prefix],
            logger: SystemHarness.logger, options: options)
        let taken = Locked<[String: JSON]?>(nil)
        let run = Task {
            try? await replica.run { update in
                guard case .snapshot(let snapshot) = update, taken.value == nil else { return }
                var items: [String: JSON] = [:]
                for item in snapshot.items { items[item.key] = try? item.value() }
                taken.withLock { $0 = items }
            }
        }
        _ = await eventually(within: 5) { taken.value != nil }
        run.cancel()
        return taken.value
    }

    /// A snapshot of `prefix` straight from the summariser's state endpoint: its epoch and items
    /// (nil when it does not answer within a few seconds, e.g. while it restarts).
    func snapshot(of system: SystemHarness, prefix: String) async -> (epoch: UInt64, items: [String: JSON])? {
        guard let endpoints = system.topology.service(.summariser) else { return nil }
        var options = Replica.Options()
        options.snapshotTimeoutSeconds = 2
        let replica = Replica(
            loop: system.loop, publish: endpoints.publish, state: endpoints.state, prefixes: [prefix],
            logger: SystemHarness.logger, options: options)
        let taken = Locked<(epoch: UInt64, items: [String: JSON])?>(nil)
        let run = Task {
            try? await replica.run { update in
                guard case .snapshot(let snapshot) = update, taken.value == nil else { return }
                var items: [String: JSON] = [:]
                for item in snapshot.items { items[item.key] = try? item.value() }
                taken.withLock { $0 = (snapshot.epoch, items) }
            }
        }
        _ = await eventually(within: 5) { taken.value != nil }
        run.cancel()
        return taken.value
    }

    /// The assistance a desk item holds for a conversation's session (the workspace in its own form).
    static func pane(of conversation: String, in deskItem: JSON?) -> JSON? {
        let sessions = deskItem?["workspace"]?["sessions"]?.arrayValue ?? []
        return sessions.first { $0["item"]?["conversation"]?.stringValue == conversation }?["assistance"]
    }

    /// The first router event of `type` about `conversation`, waiting for it (bounded).
    func firstEvent(_ system: SystemHarness, type: String, conversation: String) async -> EventRecorder.Recorded? {
        _ = await eventually {
            system.recorder.events(ofType: type).contains { $0.data["conversationId"]?.stringValue == conversation }
        }
        return system.recorder.events(ofType: type).first { $0.data["conversationId"]?.stringValue == conversation }
    }
}
