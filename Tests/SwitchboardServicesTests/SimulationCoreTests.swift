import SwitchboardBus
import SwitchboardRouting
import SwitchboardTools
import SwitchboardTopology
import Testing

@Suite("Simulation: customers and agents as state machines")
struct SimulationCoreTests {
    @Test("agents sign in at the desk, set Available and send a heartbeat every few seconds")
    func agentsSignInAndHeartbeat() {
        var bench = CoreBench()
        bench.start()
        bench.advance(to: 3.1)
        for agent in ["ann", "bob"] {
            let mine = bench.sent.filter { $0.agentID == agent }
            #expect(mine.first?.type == "desk.signIn", "\(agent) signs in at the desk first")
            #expect(mine.dropFirst().first?.type == "presence.set")
            #expect(mine.dropFirst().first?.data["status"] == "available")
        }
        bench.answerAll()
        bench.advance(to: 13.5)
        let beats = bench.commands("presence.heartbeat").filter { $0.agentID == "ann" }
        #expect(beats.count == 2, "two heartbeats in ten seconds at a 5 s interval: \(beats.count)")
    }

    @Test("a chat goes from open through offer, dialogue, close and wrap-up, each step after the router's word")
    func wholeConversation() throws {
        var bench = CoreBench()
        bench.start()
        let open = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let id = try #require(open.conversationID)
        #expect(open.data["queue"] == "chat-en")
        #expect(open.data["topic"]?.stringValue == "cards" || open.data["topic"]?.stringValue == "transfers")
        #expect(open.data["text"]?.stringValue?.isEmpty == false)
        bench.answer(open, .ok(["conversationId": .string(id)]))
        bench.observe(id, .queued, event: "conversation.queued")
        bench.observe(id, .offered, agent: "ann", event: "conversation.offered", rule: "skills", eventAgent: "ann")
        let accept = try bench.expectCommand(until: { $0.type == "desk.accept" }, within: 3)
        #expect(accept.conversationID == id && accept.agentID == "ann")
        bench.answer(accept)
        bench.observe(id, .assigned, agent: "ann", event: "conversation.assigned", rule: "skills", eventAgent: "ann")

        // Turns alternate, agent first, each sent once the previous one is in the transcript.
        var speakers: [String] = []
        var messages = 1
        while true {
            let next = try bench.expectCommand(
                until: {
                    ($0.type == "desk.reply" || $0.type == "conversation.message" || $0.type == "desk.close")
                        && $0.conversationID == id
                },
                within: 10)
            if next.type == "desk.close" {
                bench.answer(next)
                break
            }
            speakers.append(next.type == "desk.reply" ? "agent" : "customer")
            messages += 1
            bench.answer(next, .ok(["conversationId": .string(id), "number": .number(messages)]))
            bench.observe(id, .assigned, agent: "ann", messages: messages, event: "conversation.message")
            #expect(speakers.count < 20, "the dialogue ends")
            if speakers.count >= 20 { return }
        }
        #expect(speakers.first == "agent" && speakers.last == "agent", "agent opens and closes: \(speakers)")
        #expect(zip(speakers, speakers.dropFirst()).allSatisfy { $0 != $1 }, "turns alternate: \(speakers)")

        bench.observe(id, .closed, agent: "ann", messages: messages, event: "conversation.closed")
        bench.observe(id, .wrapUp, agent: "ann", messages: messages, event: "conversation.wrapUpStarted")
        let wrapUp = try bench.expectCommand(until: { $0.type == "desk.endWrapUp" }, within: 5)
        #expect(wrapUp.conversationID == id && wrapUp.data["disposition"]?.stringValue?.isEmpty == false)
        bench.answer(wrapUp)
        bench.observe(id, .closed, agent: "ann", messages: messages, event: "conversation.wrapUpEnded")
        #expect(bench.core.summary.offersAccepted == 1)
        #expect(bench.core.summary.closed == 1)
        #expect(bench.core.summary.wrapUpsEnded == 1)
    }

    @Test("a customer who waits past their patience abandons; one assigned in time does not")
    func patience() throws {
        var settings = CoreBench.quietSettings()
        settings.customers.patienceSeconds = [.chat: 5...5]
        var bench = CoreBench(settings: settings)
        bench.start()
        let first = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let second = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let firstID = try #require(first.conversationID)
        let secondID = try #require(second.conversationID)
        bench.observe(firstID, .queued, event: "conversation.queued")
        bench.observe(secondID, .assigned, agent: "bob", event: "conversation.assigned", rule: "skills")
        bench.advance(to: bench.now + 6)
        let abandons = bench.commands("conversation.abandon").compactMap(\.conversationID)
        #expect(abandons.contains(firstID))
        #expect(!abandons.contains(secondID))
    }

    @Test("a refused abandon (assigned meanwhile) leaves the customer in the conversation")
    func abandonRace() throws {
        var settings = CoreBench.quietSettings()
        settings.customers.patienceSeconds = [.chat: 2...2]
        var bench = CoreBench(settings: settings)
        bench.start()
        let open = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let id = try #require(open.conversationID)
        bench.observe(id, .queued, event: "conversation.queued")
        let abandon = try bench.expectCommand(until: { $0.type == "conversation.abandon" }, within: 3, answering: false)
        bench.observe(id, .assigned, agent: "ann", event: "conversation.assigned", rule: "skills")
        bench.answer(abandon, .rejected(code: "conflict", message: "assigned"))
        #expect(bench.core.summary.abandoned == 0)
        let reply = bench.advance(until: { $0.type == "desk.reply" && $0.conversationID == id }, within: 5)
        #expect(reply != nil, "the agent goes on with the conversation")
    }

    @Test("returning customers come back under their own id, and reaching the same agent is counted")
    func returningCustomers() throws {
        var settings = CoreBench.quietSettings()
        settings.customers.returningShare = 1
        var bench = CoreBench(settings: settings)
        bench.start()
        let first = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let firstID = try #require(first.conversationID)
        bench.answer(first)
        bench.observe(firstID, .assigned, agent: "ann", event: "conversation.assigned", rule: "skills")
        bench.observe(firstID, .closed, agent: "ann", event: "conversation.closed")
        bench.observe(firstID, .closed, agent: "ann", event: "conversation.wrapUpEnded")
        let second = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        #expect(second.data["customerId"] == first.data["customerId"], "the same customer comes back")
        let secondID = try #require(second.conversationID)
        bench.answer(second)
        bench.observe(secondID, .assigned, agent: "ann", event: "conversation.assigned", rule: "sticky")
        #expect(bench.core.summary.returningCustomers == 1)
        #expect(bench.core.summary.returningToPreviousAgent == 1)
        #expect(bench.core.summary.stickyHits == 1)
    }

    @Test("an agent takes a break: Away with a reason, then Available again")
    func breaks() throws {
        var settings = CoreBench.quietSettings()
        settings.agents.breakEverySeconds = 5
        settings.agents.breakSeconds = 2...2
        var bench = CoreBench(settings: settings, agents: ["ann"])
        bench.start()
        let away = try bench.expectCommand(
            until: { $0.type == "presence.set" && $0.data["status"] == "away" }, within: 120)
        #expect(away.data["reason"] == "break")
        let back = try bench.expectCommand(
            until: { $0.type == "presence.set" && $0.data["status"] == "available" }, within: 3)
        #expect(back.data["reason"] == "back from break")
        #expect(bench.core.summary.breaks >= 1)
    }

    @Test("at the end waiting customers leave, agents finish their conversations, then sign out")
    func endOfRun() throws {
        var settings = CoreBench.quietSettings()
        settings.durationSeconds = 20
        var bench = CoreBench(settings: settings)
        bench.start()
        let waiting = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 10)
        let busy = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 10)
        let waitingID = try #require(waiting.conversationID)
        let busyID = try #require(busy.conversationID)
        bench.observe(waitingID, .queued, event: "conversation.queued")
        bench.observe(busyID, .assigned, agent: "ann", event: "conversation.assigned", rule: "skills")
        let start = bench.sent.count
        bench.advance(to: 20.1)
        let after = Array(bench.sent[start...])
        #expect(after.contains { $0.type == "conversation.abandon" && $0.conversationID == waitingID })
        #expect(
            after.contains { $0.type == "presence.set" && $0.agentID == "ann" && $0.data["reason"] == "end of shift" })
        // Bob has no work: he signs out now; Ann only after her conversation ends.
        #expect(after.contains { $0.type == "desk.signOut" && $0.agentID == "bob" })
        #expect(!after.contains { $0.type == "desk.signOut" && $0.agentID == "ann" })
        let close = try bench.expectCommand(
            until: { $0.type == "desk.close" && $0.conversationID == busyID }, within: 3)
        bench.answer(close)
        bench.observe(busyID, .closed, agent: "ann", event: "conversation.closed")
        bench.observe(busyID, .wrapUp, agent: "ann", event: "conversation.wrapUpStarted")
        let wrapUp = try bench.expectCommand(until: { $0.type == "desk.endWrapUp" }, within: 5)
        bench.answer(wrapUp)
        bench.observe(busyID, .closed, agent: "ann", event: "conversation.wrapUpEnded")
        #expect(bench.commands("desk.signOut").contains { $0.agentID == "ann" })
        #expect(bench.commands("presence.set").contains { $0.agentID == "ann" && $0.data["status"] == "offline" })
        bench.answerAll()
        let left = Set(bench.commands("conversation.abandon").compactMap(\.conversationID))
        #expect(left.contains(waitingID))
        for id in left.sorted() { bench.observe(id, .abandoned, event: "conversation.abandoned") }
        #expect(bench.core.phase == .finished)
        // Some ran out of patience before the end; the others left when it came.
        #expect(bench.core.summary.leftAtEnd + bench.core.summary.abandoned == left.count)
        #expect(bench.core.summary.leftAtEnd >= 1)
        #expect(bench.core.summary.signOuts == 2)
        #expect(bench.core.summary.unfinished == 0)
    }

    @Test("an agent on a live call gets back to their chat only when the call has ended")
    func callHoldsFocus() throws {
        var bench = CoreBench(queues: [CoreBench.chat, CoreBench.voice])
        bench.start()
        var chat: String?
        var call: String?
        while chat == nil || call == nil {
            let open = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 60)
            if open.data["channel"] == "chat", chat == nil { chat = open.conversationID }
            if open.data["channel"] == "voice", call == nil { call = open.conversationID }
        }
        let chatID = try #require(chat)
        let callID = try #require(call)
        bench.observe(callID, .assigned, agent: "ann", event: "conversation.assigned", rule: "skills")
        bench.observe(chatID, .assigned, agent: "ann", event: "conversation.assigned", rule: "skills")
        let start = bench.sent.count
        bench.advance(to: bench.now + 5)
        #expect(
            !bench.sent[start...].contains { $0.type == "desk.reply" && $0.conversationID == chatID },
            "no reply in the chat while the call is live")
        bench.observe(callID, .closed, agent: "ann", event: "conversation.closed")
        let reply = bench.advance(until: { $0.type == "desk.reply" && $0.conversationID == chatID }, within: 5)
        #expect(reply != nil, "the chat goes on once the call is over")
    }

    @Test("agents straight on the router accept and reply with the router's commands")
    func routerPath() throws {
        var settings = CoreBench.quietSettings()
        settings.agentPath = .router
        var bench = CoreBench(settings: settings)
        bench.start()
        #expect(bench.commands("desk.signIn").isEmpty)
        let open = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let id = try #require(open.conversationID)
        bench.observe(id, .offered, agent: "bob", event: "conversation.offered", rule: "skills")
        let accept = try bench.expectCommand(until: { $0.type == "conversation.accept" }, within: 3)
        #expect(accept.service == .router && accept.agentID == "bob")
        bench.observe(id, .assigned, agent: "bob", event: "conversation.assigned", rule: "skills")
        let reply = try bench.expectCommand(
            until: { $0.conversationID == id && $0.type == "conversation.message" }, within: 5)
        #expect(reply.data["role"] == "agent" && reply.data["author"] == "bob")
    }

    @Test("a refused accept is tried again while the offer stands")
    func acceptRetried() throws {
        var bench = CoreBench()
        bench.start()
        let open = try bench.expectCommand(until: { $0.type == "conversation.open" }, within: 30)
        let id = try #require(open.conversationID)
        bench.observe(id, .offered, agent: "ann", event: "conversation.offered", rule: "skills")
        let first = try bench.expectCommand(until: { $0.type == "desk.accept" }, within: 3, answering: false)
        bench.answer(first, .rejected(code: "not_found", message: "no offer on the desk yet"))
        let second = bench.advance(until: { $0.type == "desk.accept" }, within: 2)
        #expect(second?.conversationID == id)
    }

    @Test("the same seed makes the same choices whatever the timing of the answers", arguments: [UInt64(3), 99])
    func deterministic(seed: UInt64) {
        func run(answerDelay: Double) -> [String] {
            var settings = CoreBench.quietSettings()
            settings.seed = seed
            settings.durationSeconds = 30
            settings.agents.declineShare = 0.3
            var bench = CoreBench(settings: settings, queues: [CoreBench.chat, CoreBench.voice])
            bench.start()
            var numbered = 0
            while bench.now < 40 {
                bench.advance(to: bench.now + answerDelay)
                for command in bench.sent[numbered...] where command.type == "conversation.open" {
                    if let id = command.conversationID {
                        bench.observe(id, .offered, agent: "ann", event: "conversation.offered", rule: "skills")
                    }
                }
                numbered = bench.sent.count
            }
            bench.advance(to: 50)
            return bench.sent.filter { ["conversation.open", "desk.accept", "desk.decline"].contains($0.type) }
                .map {
                    "\($0.type) \($0.data["conversationId"]?.stringValue ?? "") \($0.data["text"]?.stringValue ?? "")"
                }
                .sorted()
        }
        let fast = run(answerDelay: 0.05)
        let slow = run(answerDelay: 0.35)
        #expect(fast == slow, "seed \(seed): the choices differ with the timing")
        #expect(fast.contains { $0.hasPrefix("desk.decline") }, "seed \(seed): some offers are declined")
    }
}
