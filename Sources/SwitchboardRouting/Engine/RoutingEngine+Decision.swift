// The decision itself: for one waiting conversation (DESIGN §3 rules 1-5), and for an
// agent who freed capacity or came back.
extension RoutingEngine {
    /// How a conversation entering `decide` is announced to observers.
    enum Announcement {
        /// Already announced and unchanged (a ladder step came due).
        case none
        /// Just opened.
        case queued
        /// Waiting again after an agent declined, missed, left or transferred it.
        case requeued(RequeueReason, previousAgent: AgentID?)
        /// Its hold for the sticky owner ended.
        case holdReleased
    }

    enum OwnerCheck {
        case eligible
        /// On break or at capacity: worth holding for.
        case busy(String)
        /// Not skilled enough for the current ladder step (or gone): not worth holding for.
        case unsuitable(String)
    }

    // MARK: One waiting conversation

    /// Decides a waiting conversation that is in no line and not held: sticky owner, hold
    /// for owner, skilled agents step by step, else its ladder line.
    mutating func decide(_ slot: Int32, announce: Announcement) {
        let record = conversations[Int(slot)]
        let bucket = buckets[Int(record.bucket)]
        let step = currentStep(slot)
        raiseRarityAlerts(slot)
        var stickyNote: StickyNote?
        if let (owner, ownerRecord) = stickyOwner(for: slot), !record.excluded.contains(owner) {
            let needs = requirementSets[Int(bucket.stepRequirements[step])]
            switch ownerCheck(owner, channel: record.channel, needs: needs) {
            case .eligible:
                announceWaiting(slot, announce)
                stopWaiting(slot)
                assign(slot, to: owner, reason: stickyReason(slot, owner: owner, record: ownerRecord, heldMs: nil))
                return
            case .busy(let why):
                if let holdSeconds = queues[Int(record.queue)].configuration.holdForOwnerSeconds, !record.holdExpired,
                    agents[Int(owner)].presence.status != .offline
                {
                    let until = record.waitingSince + RoutingInstant.milliseconds(fromSeconds: holdSeconds)
                    if until > nowMs {
                        placeHold(slot, owner: owner, until: until)
                        announceWaiting(slot, announce)
                        return
                    }
                }
                stickyNote = note(owner, why)
            case .unsuitable(let why):
                stickyNote = note(owner, why)
            }
        }
        for candidateStep in 0...step {
            if let (agent, eligible) = bestAgent(
                index: bucket.stepIndexes[candidateStep], excluding: record.excluded)
            {
                announceWaiting(slot, announce)
                stopWaiting(slot)
                let reason = rankedReason(
                    slot, agent: agent, step: candidateStep, eligible: eligible, stickyNote: stickyNote)
                assign(slot, to: agent, reason: reason)
                return
            }
        }
        placeInLine(slot, step: step)
        announceWaiting(slot, announce)
    }

    mutating func announceWaiting(_ slot: Int32, _ announce: Announcement) {
        switch announce {
        case .none:
            if conversations[Int(slot)].isHeld { emit(.queued(queuedFacts(slot))) }
        case .queued, .holdReleased:
            emit(.queued(queuedFacts(slot)))
        case .requeued(let reason, let previousAgent):
            emit(
                .requeued(
                    RequeuedConversation(waiting: queuedFacts(slot), previousAgent: previousAgent, reason: reason)))
        }
    }

    func queuedFacts(_ slot: Int32) -> QueuedConversation {
        let record = conversations[Int(slot)]
        let bucket = buckets[Int(record.bucket)]
        return QueuedConversation(
            conversation: record.id, customer: record.customer, queue: queues[Int(record.queue)].configuration.id,
            channel: record.channel, priority: record.priority,
            requiredSkills: requirementSets[Int(bucket.stepRequirements[0])].map {
                SkillRequirement(skillDefinitions[Int($0.skill)].id, minimumLevel: Int($0.level))
            },
            topic: record.topic, arrivalSequence: record.arrivalSequence, waitingSince: instant(record.waitingSince),
            aheadOfNewWork: record.aheadOfNewWork,
            heldFor: record.isHeld ? agents[Int(record.heldFor)].profile.id : nil,
            holdUntil: record.isHeld ? instant(record.holdUntil) : nil)
    }

    /// Rule 1's agent-side conditions for the owner: presence, capacity, exclusions, skills.
    func ownerCheck(_ owner: Int32, channel: Channel, needs: [SkillNeed]) -> OwnerCheck {
        let agent = agents[Int(owner)]
        if agent.isRemoved { return .unsuitable("was removed") }
        if !agent.satisfies(needs) { return .unsuitable("lacks the skills this step needs") }
        if agent.awayReason != nil { return .busy("was set Away after missed offers") }
        switch agent.presence.status {
        case .offline: return .busy("was Offline")
        case .away: return .busy("was Away")
        case .doNotDisturb: return .busy("was on Do not disturb")
        case .available: break
        }
        let load = agent.load[channel]
        let cap = agent.capacity[channel]
        if load >= cap { return .busy("was at \(channel.workNoun(plural: false)) capacity (\(load) of \(cap))") }
        if agent.blockedMask & channel.bit != 0 {
            let blocking = agent.exclusionMasks.first { agent.live[$0.channel] > 0 && $0.blocks & channel.bit != 0 }
            return .busy("was on a live \(blocking?.channel.workNoun(plural: false) ?? "exclusive conversation")")
        }
        return .eligible
    }

    func note(_ owner: Int32, _ why: String) -> StickyNote {
        StickyNote(owner: agents[Int(owner)].profile.id, ownerName: agents[Int(owner)].profile.name, why: why)
    }

    // MARK: An agent with room

    /// Gives an agent who freed capacity or came back what they should take: conversations
    /// of their customers first (held ones before others), then the oldest waiting
    /// conversation of the highest priority they may take across their queues; repeated
    /// while they have room.
    mutating func fillAgent(_ slot: Int32) {
        var rounds = 0
        // Bounded: each round assigns one conversation and capacity is finite.
        while rounds < 1024, agents[Int(slot)].isAvailable {
            rounds += 1
            if let (conversation, owner) = bestOwnedConversation(of: slot) {
                let heldMs =
                    conversations[Int(conversation)].isHeld ? nowMs - conversations[Int(conversation)].heldSinceMs : nil
                stopWaiting(conversation)
                assign(
                    conversation, to: slot,
                    reason: stickyReason(conversation, owner: slot, record: owner, heldMs: heldMs))
                continue
            }
            guard let (conversation, step) = oldestTakeableConversation(for: slot) else { return }
            stopWaiting(conversation)
            let waited = nowMs - conversations[Int(conversation)].waitingSince
            var reason = rankedReason(conversation, agent: slot, step: step, eligible: 1, stickyNote: nil)
            reason.selection = .oldestForFreedAgent(
                waitedSeconds: seconds(waited), priority: conversations[Int(conversation)].priority,
                queuesServed: agents[Int(slot)].servedQueues.count)
            if let owner = stickyOwner(for: conversation), owner.agent != slot {
                let needs = requirementSets[
                    Int(buckets[Int(conversations[Int(conversation)].bucket)].stepRequirements[step])]
                if case .busy(let why) = ownerCheck(
                    owner.agent, channel: conversations[Int(conversation)].channel, needs: needs)
                {
                    reason.stickyNote = note(owner.agent, why)
                } else if case .unsuitable(let why) = ownerCheck(
                    owner.agent, channel: conversations[Int(conversation)].channel, needs: needs)
                {
                    reason.stickyNote = note(owner.agent, why)
                }
            }
            assign(conversation, to: slot, reason: reason)
        }
    }

    /// The waiting conversation of one of the agent's customers for which rule 1 holds:
    /// held ones first, then by priority and age.
    func bestOwnedConversation(of slot: Int32) -> (Int32, OwnerRecord)? {
        let agent = agents[Int(slot)]
        guard !agent.waitingOwned.isEmpty else { return nil }
        var best: (slot: Int32, order: (Int, Int, UInt64), owner: OwnerRecord)?
        for conversation in agent.waitingOwned {
            let record = conversations[Int(conversation)]
            guard record.isWaiting, agent.canTake(record.channel), !record.excluded.contains(slot),
                let owner = stickyOwner(for: conversation), owner.agent == slot
            else { continue }
            let step = currentStep(conversation)
            let needs = requirementSets[Int(buckets[Int(record.bucket)].stepRequirements[step])]
            guard agent.satisfies(needs) else { continue }
            let order = (record.isHeld ? 0 : 1, -record.priority, record.lineKey)
            if best == nil || order < best!.order { best = (conversation, order, owner.record) }
        }
        return best.map { ($0.slot, $0.owner) }
    }

    /// The oldest waiting conversation of the highest priority the agent may take now, and
    /// the ladder step at which they qualify for it.
    func oldestTakeableConversation(for slot: Int32) -> (Int32, Int)? {
        let agent = agents[Int(slot)]
        var best: (slot: Int32, priority: Int, key: UInt64, step: Int)?
        for queue in agent.servedQueues {
            let runtime = queues[Int(queue)]
            guard runtime.waiting > runtime.held, agent.canTake(runtime.configuration.channel) else { continue }
            for bucketID in runtime.buckets {
                let bucket = buckets[Int(bucketID)]
                guard bucket.count > 0 else { continue }
                if let best, bucket.priority < best.priority { continue }
                var qualifyingStep = -1
                for step in 0..<bucket.stepRequirements.count
                where agent.satisfies(requirementSets[Int(bucket.stepRequirements[step])]) {
                    qualifyingStep = step
                    break
                }
                guard qualifyingStep >= 0 else { continue }
                for step in qualifyingStep..<bucket.lines.count where !bucket.lines[step].isEmpty {
                    let entry = bucket.lines[step].first(limit: Self.lineScanLimit) {
                        !conversations[Int($0.slot)].excluded.contains(slot)
                    }
                    guard let entry else { continue }
                    if let best,
                        bucket.priority < best.priority || (bucket.priority == best.priority && entry.key >= best.key)
                    {
                        continue
                    }
                    best = (entry.slot, bucket.priority, entry.key, qualifyingStep)
                }
            }
        }
        return best.map { ($0.slot, $0.step) }
    }

    // MARK: Assignment

    /// Offers or assigns a conversation that has just stopped waiting.
    mutating func assign(_ slot: Int32, to agentSlot: Int32, reason: DecisionReason, direct: Bool = false) {
        let index = Int(slot)
        let agentIndex = Int(agentSlot)
        let record = conversations[index]
        let queue = Int(record.queue)
        let configuration = queues[queue].configuration
        let decision = RoutingDecision(
            conversation: record.id, customer: record.customer, queue: configuration.id, channel: record.channel,
            agent: agents[agentIndex].profile.id, reason: reason, presenceStamp: agents[agentIndex].presence.stamp,
            decidedAt: now)
        agents[agentIndex].load[record.channel] += 1
        agents[agentIndex].live[record.channel] += 1
        agents[agentIndex].work.append(slot)
        agents[agentIndex].idleSince = nowMs
        if configuration.method == .roundRobin {
            agents[agentIndex].roundRobinTurns[record.queue] = nextRoundRobinTurn
            nextRoundRobinTurn += 1
        }
        conversations[index].agent = agentSlot
        conversations[index].decision = decision
        if configuration.offer.mode == .offer && !direct {
            let expires = nowMs + RoutingInstant.milliseconds(fromSeconds: configuration.offer.timeoutSeconds)
            conversations[index].state = .offered
            conversations[index].offerExpiresAt = expires
            scheduleTimer(.offerExpiry, at: expires, slot: slot)
            emit(.offered(decision, expiresAt: instant(expires)))
        } else {
            conversations[index].state = .assigned
            conversations[index].assignedAt = nowMs
            emit(.assigned(decision))
            countAssignment(slot)
            setOwner(of: slot, to: agentSlot, reason: reason.rule == .transfer ? .transferred : .assigned)
        }
        refreshAgent(agentSlot)
        markLoadChanged(agentSlot)
    }

    mutating func countAssignment(_ slot: Int32) {
        let record = conversations[Int(slot)]
        let queue = Int(record.queue)
        queues[queue].assigned += 1
        let target = RoutingInstant.milliseconds(fromSeconds: queues[queue].configuration.serviceLevel.withinSeconds)
        if nowMs - record.waitingSince <= target { queues[queue].assignedWithinServiceLevel += 1 }
    }

    // MARK: Reasons

    func stickyReason(_ slot: Int32, owner: Int32, record: OwnerRecord, heldMs: Int64?) -> DecisionReason {
        let agent = agents[Int(owner)]
        let channel = conversations[Int(slot)].channel
        return DecisionReason(
            rule: .sticky, agentName: agent.profile.name, channel: channel, loadBefore: agent.load[channel],
            capacity: agent.capacity[channel],
            ownerLastHandledSecondsAgo: record.openConversations > 0 ? nil : seconds(nowMs - record.lastHandledAt),
            heldSeconds: heldMs.map(seconds))
    }

    func rankedReason(_ slot: Int32, agent agentSlot: Int32, step: Int, eligible: Int, stickyNote: StickyNote?)
        -> DecisionReason
    {
        let record = conversations[Int(slot)]
        let agent = agents[Int(agentSlot)]
        let bucket = buckets[Int(record.bucket)]
        let configuration = queues[Int(record.queue)].configuration
        let stepNeeds = requirementSets[Int(bucket.stepRequirements[step])]
        let matched = stepNeeds.map {
            SkillLevelFact(
                skill: skillDefinitions[Int($0.skill)].id, skillName: skillDefinitions[Int($0.skill)].name,
                level: Int(agent.skillLevels[Int($0.skill)]))
        }
        let rule: RoutingRule =
            step > 0 ? .fallbackStep(step + 1) : (record.holdExpired ? .holdForOwnerFallback : .skills)
        let channel = record.channel
        var reason = DecisionReason(
            rule: rule, agentName: agent.profile.name, channel: channel, loadBefore: agent.load[channel],
            capacity: agent.capacity[channel], matchedSkills: matched,
            selection: .ranked(
                method: configuration.method, eligible: eligible, idleSeconds: seconds(nowMs - agent.idleSince),
                freeCapacity: agent.capacity[channel] - agent.load[channel],
                skillScore: matched.reduce(0) { $0 + $1.level }),
            stickyNote: stickyNote)
        if rule == .holdForOwnerFallback { reason.heldSeconds = seconds(record.heldMs) }
        if step > 0 {
            let fallback = configuration.fallbackSteps[step - 1]
            reason.stepAfterSeconds = fallback.afterSeconds
            reason.relaxation = describe(fallback)
            reason.unmetRequirement = requirementSets[Int(bucket.stepRequirements[0])].map {
                SkillLevelFact(
                    skill: skillDefinitions[Int($0.skill)].id, skillName: skillDefinitions[Int($0.skill)].name,
                    level: Int($0.level))
            }
        }
        return reason
    }

    func describe(_ step: FallbackStep) -> String {
        if step.anyAgentOfQueue { return "any agent of the queue" }
        var parts: [String] = []
        if !step.dropSkillKinds.isEmpty {
            let kinds = step.dropSkillKinds.map(\.rawValue).joined(separator: " and ")
            parts.append("\(kinds) skill\(step.dropSkillKinds.count > 1 ? "s" : "") dropped")
        }
        if !step.dropSkills.isEmpty {
            let names = step.dropSkills.map { id in skillDefinitions.first { $0.id == id }?.name ?? id.rawValue }
            parts.append("\(names.joined(separator: ", ")) dropped")
        }
        if step.lowerMinimumLevelsBy > 0 { parts.append("minimum levels lowered by \(step.lowerMinimumLevelsBy)") }
        return parts.isEmpty ? "requirement unchanged" : parts.joined(separator: ", ")
    }

    // MARK: Alerts

    mutating func raiseRarityAlerts(_ slot: Int32) {
        let record = conversations[Int(slot)]
        let needs = requirementSets[Int(buckets[Int(record.bucket)].stepRequirements[0])]
        for need in needs where availableSkillCounts[Int(need.skill)][Int(need.level)] == 0 {
            let alert = RoutingAlert.skillTooRare(
                skill: skillDefinitions[Int(need.skill)].id, minimumLevel: Int(need.level),
                queue: queues[Int(record.queue)].configuration.id, conversation: record.id)
            if activeAlerts[alert.key] == nil {
                activeAlerts[alert.key] = alert
                emit(.alertRaised(alert))
            }
        }
    }

    mutating func clearResolvedRarityAlerts() {
        guard !activeAlerts.isEmpty else { return }
        var resolved: [RoutingAlert.Key] = []
        for key in activeAlerts.keys {
            guard case .skillTooRare(let skill, let level, _) = key, let skillSlot = skillSlots[skill] else { continue }
            if availableSkillCounts[Int(skillSlot)][level] > 0 { resolved.append(key) }
        }
        for key in resolved.sorted(by: { String(describing: $0) < String(describing: $1) }) {
            activeAlerts.removeValue(forKey: key)
            emit(.alertCleared(key))
        }
    }

    mutating func checkDirtyQueues() {
        for queue in dirtyQueues {
            let runtime = queues[Int(queue)]
            let limits = runtime.configuration.overflow
            let over = (limits.maxWaiting.map { runtime.waiting > $0 } ?? false) || runtime.overdue > 0
            let key = RoutingAlert.Key.queueOverflow(queue: runtime.configuration.id)
            if over && !runtime.overflowRaised {
                let alert = RoutingAlert.queueOverflow(
                    queue: runtime.configuration.id, waiting: runtime.waiting, maxWaiting: limits.maxWaiting,
                    overdue: runtime.overdue, maxWaitSeconds: limits.maxWaitSeconds)
                queues[Int(queue)].overflowRaised = true
                activeAlerts[key] = alert
                emit(.alertRaised(alert))
            } else if !over && runtime.overflowRaised {
                queues[Int(queue)].overflowRaised = false
                activeAlerts.removeValue(forKey: key)
                emit(.alertCleared(key))
            }
        }
        dirtyQueues.removeAll(keepingCapacity: true)
    }
}
