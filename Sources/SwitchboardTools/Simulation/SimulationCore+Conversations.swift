import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology

// Customers and their conversations: arrival, patience, the dialogue's turns, and what the
// router's word about a conversation changes.
extension SimulationCore {
    // MARK: Arrival

    mutating func arrive(queue arrivalQueue: Int, at now: Double) {
        let number = nextConversationNumber
        nextConversationNumber += 1
        var random = SimulationRandom(seed: Self.derivedSeed(settings.seed, stream: 3, index: UInt64(number)))
        // A share of arrivals are earlier customers coming back (to where they were before).
        var returning: ReturningCustomer?
        if random.chance(settings.customers.returningShare), !returningPool.isEmpty {
            returning = returningPool.remove(at: random.index(below: returningPool.count))
        }
        let queueIndex = returning?.queue ?? arrivalQueue
        let queue = mix.queues[queueIndex]
        let customer: CustomerID
        if let returning {
            customer = returning.customer
        } else {
            customer = CustomerID("cust-\(runTag)-\(nextCustomerNumber)")
            nextCustomerNumber += 1
        }
        let sameTopic = returning != nil && random.chance(settings.customers.sameTopicShare)
        let language = queue.language?.rawValue ?? "english"
        let opening = utterances.opening(
            language: language, productSkills: queue.productSkills.map(\.rawValue),
            preferredSkill: sameTopic ? returning?.topic : nil, random: &random)
        let dialogue = Dialogue.make(
            channel: queue.channel, language: language,
            replies: language == "english" ? utterances.replies(for: opening.intent) : [], centreName: centreName,
            random: &random)
        let id = ConversationID("c-\(runTag)-\(number)")
        let patience = settings.customers.patienceSeconds[queue.channel].map { random.uniform($0) }
        conversations[id] = SimulatedConversation(
            id: id, number: number, customer: customer, queue: queueIndex, channel: queue.channel, language: language,
            topic: opening.skill, opening: opening, dialogue: dialogue, previousAgent: returning?.agent, random: random)
        if let patience { timers.schedule(.patience(id), at: now + patience) }
        emit(
            SimulationCommand(
                service: .router, type: "conversation.open",
                data: [
                    "conversationId": .string(id.rawValue), "customerId": .string(customer.rawValue),
                    "queue": .string(queue.id.rawValue), "channel": .string(queue.channel.rawValue),
                    "topic": .string(opening.skill), "text": .string(opening.text),
                ],
                lane: customerLane(id), purpose: .open(id)))
    }

    /// The customer gives up (patience ran out).
    mutating func runOutOfPatience(_ id: ConversationID, at now: Double) {
        guard let conversation = conversations[id], conversation.isWaiting, !conversation.abandonSent else { return }
        abandon(id)
    }

    /// The customer leaves because the run ends.
    mutating func leave(_ id: ConversationID, at now: Double) {
        guard let conversation = conversations[id], conversation.isWaiting, !conversation.abandonSent else { return }
        conversations[id]?.leavingAtEnd = true
        abandon(id)
    }

    private mutating func abandon(_ id: ConversationID) {
        conversations[id]?.abandonSent = true
        emit(
            SimulationCommand(
                service: .router, type: "conversation.abandon", data: ["conversationId": .string(id.rawValue)],
                lane: customerLane(id), purpose: .abandon(id)))
    }

    // MARK: What the router says

    mutating func apply(_ observation: ConversationObservation, at now: Double) {
        let id = observation.conversation
        guard var conversation = conversations[id], !conversation.ended else { return }
        var observation = observation
        if observation.event == "conversation.closed", mix.queues[conversation.queue].hasWrapUp {
            // Wrap-up follows at once (`conversation.wrapUpStarted`): the agent keeps it until then.
            observation.state = .wrapUp
            observation.agent = observation.agent ?? conversation.agent
        }
        count(observation, conversation: &conversation)
        let previousAgent = conversation.agent
        conversation.messagesSeen = max(conversation.messagesSeen, observation.messageCount)
        conversation.state = observation.state
        let holdsAgent = observation.state == .offered || observation.state == .assigned || observation.state == .wrapUp
        conversation.agent = holdsAgent ? observation.agent : nil
        if observation.state == .wrapUp || observation.state == .closed, !conversation.counted.offeredToReturningPool,
            let owner = conversation.agent ?? previousAgent
        {
            conversation.counted.offeredToReturningPool = true
            returningPool.append(
                ReturningCustomer(
                    customer: conversation.customer, queue: conversation.queue, topic: conversation.topic, agent: owner)
            )
            if returningPool.count > Self.returningPoolMax { returningPool.removeFirst() }
        }
        if observation.state == .closed || observation.state == .abandoned { conversation.ended = true }
        conversations[id] = conversation

        if let previousAgent, previousAgent != conversation.agent {
            agents[previousAgent]?.conversations.remove(id)
            agentMayBeDone(previousAgent, at: now)
        }
        if let agent = conversation.agent { agents[agent]?.conversations.insert(id) }

        switch observation.state {
        case .queued:
            if phase != .running { leave(id, at: now) }
        case .offered:
            if let agent = observation.agent, conversation.answering != agent, agents[agent] != nil {
                conversations[id]?.answering = agent
                let delay = conversations[id]?.random.uniform(settings.agents.answerOfferSeconds) ?? 1
                timers.schedule(.answerOffer(id, agent), at: now + delay)
            }
        case .assigned:
            progress(id, at: now)
        case .wrapUp:
            if !conversation.wrapUpScheduled, conversation.agent != nil {
                conversations[id]?.wrapUpScheduled = true
                let delay = conversations[id]?.random.uniform(settings.agents.wrapUpSeconds) ?? 1
                timers.schedule(.endWrapUp(id), at: now + delay)
            }
        case .closed, .abandoned:
            forgetLater(id)
        }
    }

    /// Counts what an event says (snapshot items count nothing: they repeat state).
    private mutating func count(_ observation: ConversationObservation, conversation: inout SimulatedConversation) {
        let queue = mix.queues[conversation.queue].id.rawValue
        switch observation.event {
        case "conversation.offered":
            summary.offered += 1
        case "conversation.assigned":
            summary.assigned += 1
            summary.byQueue[queue, default: .init()].assigned += 1
            if let rule = observation.rule {
                summary.assignedByRule[rule, default: 0] += 1
                if rule == "sticky" { summary.stickyHits += 1 }
            }
            if let waited = observation.waitedSeconds {
                summary.waitSecondsTotal += waited
                summary.waitSecondsMax = max(summary.waitSecondsMax, waited)
            }
            if let previous = conversation.previousAgent, observation.agent == previous,
                !conversation.counted.reachedPreviousAgent
            {
                conversation.counted.reachedPreviousAgent = true
                summary.returningToPreviousAgent += 1
            }
        case "conversation.declined": summary.offersDeclined += 1
        case "conversation.offerExpired": summary.offersExpired += 1
        case "conversation.closed": summary.closed += 1
        default: break
        }
    }

    // MARK: The dialogue

    /// Moves an assigned conversation on: the next turn of its dialogue, or the agent's close.
    mutating func progress(_ id: ConversationID, at now: Double) {
        guard var conversation = conversations[id], conversation.state == .assigned, let agent = conversation.agent,
            agents[agent] != nil, !conversation.closeScheduled
        else { return }
        if conversation.dialogue.turns.isEmpty {
            // A call carries no chat and a case is worked in its tabs: it lasts a while, then
            // the agent ends it.
            let range = conversation.channel == .voice ? settings.agents.callSeconds : settings.agents.caseSeconds
            let seconds = phase == .running ? conversation.random.uniform(range) : 1
            scheduleClose(&conversation, at: now + seconds)
            conversations[id] = conversation
            return
        }
        let turnsDone = max(0, conversation.messagesSeen - 1)
        if let inProgress = conversation.turnInProgress {
            guard turnsDone > inProgress else { return }
            conversation.turnInProgress = nil
        }
        if phase != .running || turnsDone >= conversation.dialogue.turns.count {
            scheduleClose(&conversation, at: now + conversation.random.uniform(0.5...1.5))
        } else {
            let turn = conversation.dialogue.turns[turnsDone]
            let delay = conversation.random.uniform(
                turn.speaker == .agent ? settings.agents.replySeconds : settings.customers.replySeconds)
            conversation.turnInProgress = turnsDone
            timers.schedule(.turn(id, turnsDone), at: now + delay)
        }
        conversations[id] = conversation
    }

    private mutating func scheduleClose(_ conversation: inout SimulatedConversation, at time: Double) {
        conversation.closeScheduled = true
        timers.schedule(.close(conversation.id), at: time)
    }

    mutating func sendTurn(_ id: ConversationID, turn: Int, at now: Double) {
        guard let conversation = conversations[id], conversation.state == .assigned, let agent = conversation.agent,
            conversation.turnInProgress == turn, turn < conversation.dialogue.turns.count
        else { return }
        let line = conversation.dialogue.turns[turn]
        switch line.speaker {
        case .customer:
            emit(
                SimulationCommand(
                    service: .router, type: "conversation.message",
                    data: [
                        "conversationId": .string(id.rawValue), "role": "customer",
                        "author": .string(conversation.customer.rawValue), "text": .string(line.text),
                    ],
                    lane: customerLane(id), purpose: .customerTurn(id, turn: turn)))
        case .agent:
            // A live call holds the agent's focus: the chat waits until it ends.
            if agentOnCall(agent, besides: id) {
                timers.schedule(.turn(id, turn), at: now + Self.callWaitSeconds)
                return
            }
            emit(agentReply(id, agent: agent, text: line.text, turn: turn))
        }
    }

    // MARK: Outcomes of commands

    mutating func react(to purpose: SimulationCommand.Purpose, result: SimulationCommandResult, at now: Double) {
        let ok: Bool
        if case .ok = result { ok = true } else { ok = false }
        switch purpose {
        case .open(let id):
            guard let conversation = conversations[id] else { return }
            if ok {
                let queue = mix.queues[conversation.queue].id.rawValue
                summary.opened += 1
                summary.byQueue[queue, default: .init()].opened += 1
                summary.openedByLanguage[conversation.language, default: 0] += 1
                if conversation.opening.scripted { summary.scriptedOpenings += 1 } else { summary.datasetOpenings += 1 }
                if conversation.isReturning { summary.returningCustomers += 1 }
            } else {
                summary.openFailed += 1
                conversations[id]?.ended = true
                forgetLater(id)
            }
        case .customerTurn(let id, let turn), .agentTurn(let id, let turn):
            if ok {
                if case .customerTurn = purpose { summary.customerMessages += 1 } else { summary.agentMessages += 1 }
                // The reply's number says the message is in the transcript (its event may come later).
                var number = turn + 2
                if case .ok(let reply) = result, let replied = reply["number"]?.intValue { number = Int(replied) }
                let seen = conversations[id]?.messagesSeen ?? 0
                conversations[id]?.messagesSeen = max(seen, number)
            } else if conversations[id]?.turnInProgress == turn {
                conversations[id]?.turnInProgress = nil
                conversations[id]?.turnFailures += 1
                if (conversations[id]?.turnFailures ?? 0) >= 3, var conversation = conversations[id] {
                    // The dialogue cannot go on: the agent ends the conversation.
                    scheduleClose(&conversation, at: now + 1)
                    conversations[id] = conversation
                    return
                }
            }
            progress(id, at: now)
        case .abandon(let id):
            guard let conversation = conversations[id] else { return }
            if ok {
                let queue = mix.queues[conversation.queue].id.rawValue
                summary.byQueue[queue, default: .init()].abandoned += 1
                if conversation.leavingAtEnd { summary.leftAtEnd += 1 } else { summary.abandoned += 1 }
            } else {
                // Assigned just before the customer gave up: they stay.
                conversations[id]?.abandonSent = false
            }
        case .answerOffer(let id, let agent, let accept):
            if ok {
                if accept { summary.offersAccepted += 1 }
            } else if var conversation = conversations[id], conversation.state == .offered, conversation.agent == agent,
                conversation.answerAttempts < Self.answerAttemptsMax
            {
                // The desk may not have seen the offer yet: answer again in a moment.
                conversation.answerAttempts += 1
                conversations[id] = conversation
                timers.schedule(.answerOffer(id, agent), at: now + 1)
            }
        case .close(let id):
            guard !ok, var conversation = conversations[id], conversation.state == .assigned else { return }
            conversation.closeAttempts += 1
            if conversation.closeAttempts < Self.closeAttemptsMax {
                timers.schedule(.close(id), at: now + 2)
            }
            conversations[id] = conversation
        case .endWrapUp:
            if ok { summary.wrapUpsEnded += 1 }
        case .heartbeat:
            if ok { summary.heartbeats += 1 }
        case .signIn, .presence, .signOut:
            break
        }
    }

    func customerLane(_ id: ConversationID) -> String { "customer:\(id)" }

    /// True while `agent` has a call in progress other than `conversation`.
    func agentOnCall(_ agent: AgentID, besides conversation: ConversationID) -> Bool {
        agents[agent]?.conversations.contains { other in
            other != conversation && conversations[other]?.channel == .voice && conversations[other]?.state == .assigned
        } ?? false
    }

    /// Keeps an ended conversation a while (a command's reply may still come), then forgets it.
    mutating func forgetLater(_ id: ConversationID) {
        endedOrder.append(id)
        if endedOrder.count > Self.endedKeptMax {
            let forgotten = endedOrder.removeFirst()
            conversations[forgotten] = nil
        }
    }
}
