import SwitchboardBus
import SwitchboardRouting
import SwitchboardTopology

// Agents: sign-in at the desk, presence and heartbeats, breaks, the end of the shift, and
// what they do with their conversations (answer offers, reply, close, wrap up). With
// `agentPath == .desk` they act through the desk as a person's UI would (docs/PROTOCOL.md
// §6.3); with `.router` straight on the router (for a system without a desk).
extension SimulationCore {
    // MARK: Shift

    mutating func signIn(_ id: AgentID, at now: Double) {
        guard var agent = agents[id], agent.phase == .signedOut else { return }
        guard phase == .running else {
            agents[id]?.phase = .signedOff
            return
        }
        agent.phase = .working
        summary.signIns += 1
        if settings.agentPath == .desk {
            emit(
                SimulationCommand(
                    service: .desk, type: "desk.signIn", data: ["agentId": .string(id.rawValue)], lane: agentLane(id),
                    purpose: .signIn(id)))
        }
        emit(setPresence(id, .available, reason: "signed in"))
        timers.schedule(.heartbeat(id), at: now + settings.agents.heartbeatSeconds)
        timers.schedule(.breakStart(id), at: now + agent.random.exponential(mean: settings.agents.breakEverySeconds))
        agents[id] = agent
    }

    mutating func heartbeat(_ id: AgentID, at now: Double) {
        guard let agent = agents[id], agent.isSignedIn else { return }
        emit(
            SimulationCommand(
                service: .presence, type: "presence.heartbeat", data: ["agentId": .string(id.rawValue)],
                lane: "heartbeat:\(id)", purpose: .heartbeat(id)))
        timers.schedule(.heartbeat(id), at: now + settings.agents.heartbeatSeconds)
    }

    mutating func startBreak(_ id: AgentID, at now: Double) {
        guard var agent = agents[id], agent.phase == .working, phase == .running else { return }
        agent.phase = .onBreak
        summary.breaks += 1
        emit(setPresence(id, .away, reason: "break"))
        timers.schedule(.breakEnd(id), at: now + agent.random.uniform(settings.agents.breakSeconds))
        agents[id] = agent
    }

    mutating func endBreak(_ id: AgentID, at now: Double) {
        guard var agent = agents[id], agent.phase == .onBreak, phase == .running else { return }
        agent.phase = .working
        emit(setPresence(id, .available, reason: "back from break"))
        timers.schedule(.breakStart(id), at: now + agent.random.exponential(mean: settings.agents.breakEverySeconds))
        agents[id] = agent
    }

    /// Away for good: no new work; they finish what they have and then sign out.
    mutating func endShift(_ id: AgentID, at now: Double) {
        guard let agent = agents[id], agent.phase == .working || agent.phase == .onBreak else { return }
        agents[id]?.phase = .endingShift
        emit(setPresence(id, .away, reason: "end of shift"))
        agentMayBeDone(id, at: now)
    }

    /// An agent ending their shift signs out once their last conversation has ended.
    mutating func agentMayBeDone(_ id: AgentID, at now: Double) {
        guard let agent = agents[id], agent.phase == .endingShift, agent.conversations.isEmpty else { return }
        agents[id]?.phase = .signedOff
        summary.signOuts += 1
        emit(setPresence(id, .offline, reason: "signed out"))
        if settings.agentPath == .desk {
            emit(
                SimulationCommand(
                    service: .desk, type: "desk.signOut", data: ["agentId": .string(id.rawValue)], lane: agentLane(id),
                    purpose: .signOut(id)))
        }
    }

    private func setPresence(_ id: AgentID, _ status: PresenceStatus, reason: String) -> SimulationCommand {
        SimulationCommand(
            service: .presence, type: "presence.set",
            data: ["agentId": .string(id.rawValue), "status": .string(status.rawValue), "reason": .string(reason)],
            lane: agentLane(id), purpose: .presence(id, status))
    }

    // MARK: Work

    mutating func answerOffer(_ id: ConversationID, agent: AgentID, at now: Double) {
        guard var conversation = conversations[id], conversation.state == .offered, conversation.agent == agent else {
            return
        }
        // Agents decline a few offers while the centre is open; at the end they take what they are given.
        let accept = phase != .running || !conversation.random.chance(settings.agents.declineShare)
        conversations[id] = conversation
        let verb = accept ? "accept" : "decline"
        switch settings.agentPath {
        case .desk:
            emit(
                SimulationCommand(
                    service: .desk, type: "desk.\(verb)",
                    data: ["agentId": .string(agent.rawValue), "conversationId": .string(id.rawValue)],
                    lane: agentLane(agent), purpose: .answerOffer(id, agent, accept: accept)))
        case .router:
            emit(
                SimulationCommand(
                    service: .router, type: "conversation.\(verb)",
                    data: ["conversationId": .string(id.rawValue), "agentId": .string(agent.rawValue)],
                    lane: agentLane(agent), purpose: .answerOffer(id, agent, accept: accept)))
        }
    }

    func agentReply(_ id: ConversationID, agent: AgentID, text: String, turn: Int) -> SimulationCommand {
        switch settings.agentPath {
        case .desk:
            SimulationCommand(
                service: .desk, type: "desk.reply",
                data: [
                    "agentId": .string(agent.rawValue), "conversationId": .string(id.rawValue), "text": .string(text),
                ],
                lane: agentLane(agent), purpose: .agentTurn(id, turn: turn))
        case .router:
            SimulationCommand(
                service: .router, type: "conversation.message",
                data: [
                    "conversationId": .string(id.rawValue), "role": "agent", "author": .string(agent.rawValue),
                    "text": .string(text),
                ],
                lane: agentLane(agent), purpose: .agentTurn(id, turn: turn))
        }
    }

    mutating func close(_ id: ConversationID, at now: Double) {
        guard let conversation = conversations[id], conversation.state == .assigned, let agent = conversation.agent,
            conversation.closeAttempts < Self.closeAttemptsMax
        else { return }
        if conversation.channel != .voice, agentOnCall(agent, besides: id) {
            timers.schedule(.close(id), at: now + Self.callWaitSeconds)
            return
        }
        switch settings.agentPath {
        case .desk:
            emit(
                SimulationCommand(
                    service: .desk, type: "desk.close",
                    data: ["agentId": .string(agent.rawValue), "conversationId": .string(id.rawValue)],
                    lane: agentLane(agent), purpose: .close(id)))
        case .router:
            emit(
                SimulationCommand(
                    service: .router, type: "conversation.close", data: ["conversationId": .string(id.rawValue)],
                    lane: agentLane(agent), purpose: .close(id)))
        }
    }

    mutating func endWrapUp(_ id: ConversationID, at now: Double) {
        guard var conversation = conversations[id], conversation.state == .wrapUp, let agent = conversation.agent else {
            return
        }
        let disposition = conversation.random.pick(ScriptedLines.dispositions) ?? "resolved"
        conversations[id] = conversation
        switch settings.agentPath {
        case .desk:
            emit(
                SimulationCommand(
                    service: .desk, type: "desk.endWrapUp",
                    data: [
                        "agentId": .string(agent.rawValue), "conversationId": .string(id.rawValue),
                        "disposition": .string(disposition),
                    ],
                    lane: agentLane(agent), purpose: .endWrapUp(id)))
        case .router:
            emit(
                SimulationCommand(
                    service: .router, type: "conversation.endWrapUp",
                    data: ["conversationId": .string(id.rawValue), "disposition": .string(disposition)],
                    lane: agentLane(agent), purpose: .endWrapUp(id)))
        }
    }

    func agentLane(_ id: AgentID) -> String { "agent:\(id)" }
}
