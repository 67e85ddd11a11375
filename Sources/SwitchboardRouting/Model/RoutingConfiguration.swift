/// The contact-centre configuration the engine routes with: skill catalog, capacity
/// profiles, roles and queues. Agents come and go at run time and are not part of it.
public struct RoutingConfiguration: Sendable, Hashable, Codable {
    public var skills: [SkillDefinition]
    public var capacityProfiles: [CapacityProfile]
    public var roles: [Role]
    public var queues: [QueueConfiguration]
    /// How long an Offline agent keeps their chats, messages, emails and cases before they
    /// are re-queued (a live voice call is never taken from them).
    public var offlineGraceSeconds: Double

    public init(
        skills: [SkillDefinition], capacityProfiles: [CapacityProfile], roles: [Role], queues: [QueueConfiguration],
        offlineGraceSeconds: Double = 60
    ) {
        self.skills = skills
        self.capacityProfiles = capacityProfiles
        self.roles = roles
        self.queues = queues
        self.offlineGraceSeconds = offlineGraceSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skills = try container.decodeIfPresent([SkillDefinition].self, forKey: .skills) ?? []
        capacityProfiles = try container.decodeIfPresent([CapacityProfile].self, forKey: .capacityProfiles) ?? []
        roles = try container.decodeIfPresent([Role].self, forKey: .roles) ?? []
        queues = try container.decodeIfPresent([QueueConfiguration].self, forKey: .queues) ?? []
        offlineGraceSeconds = try container.decodeIfPresent(Double.self, forKey: .offlineGraceSeconds) ?? 60
    }

    /// Every problem of this configuration, each naming the entity, the field and the fix.
    /// Empty when the configuration is usable.
    public func problems() -> [RoutingConfigurationProblem] {
        var problems: [RoutingConfigurationProblem] = []
        func report(_ entity: String, _ message: String) {
            problems.append(RoutingConfigurationProblem(entity: entity, message: message))
        }
        var skillIDs = Set<SkillID>()
        for skill in skills {
            if !isValidIdentifier(skill.id.rawValue) {
                report("skill \(skill.id)", "id must be letters, digits, - _ : @")
            }
            if !skillIDs.insert(skill.id).inserted { report("skill \(skill.id)", "defined twice; keep one") }
        }
        let queueIDs = Set(queues.map(\.id))
        var profileIDs = Set<CapacityProfileID>()
        for profile in capacityProfiles {
            if !profileIDs.insert(profile.id).inserted { report("capacity profile \(profile.id)", "defined twice") }
            for (channel, cap) in profile.capacity where cap < 0 {
                report("capacity profile \(profile.id)", "capacity.\(channel.rawValue) is \(cap); use 0 or more")
            }
            for queue in profile.queues where !queueIDs.contains(queue) {
                report("capacity profile \(profile.id)", "queues lists unknown queue \(queue)")
            }
        }
        var roleIDs = Set<RoleID>()
        for role in roles {
            if !roleIDs.insert(role.id).inserted { report("role \(role.id)", "defined twice") }
            for queue in role.queues where !queueIDs.contains(queue) {
                report("role \(role.id)", "queues lists unknown queue \(queue)")
            }
        }
        var seenQueues = Set<QueueID>()
        for queue in queues {
            let entity = "queue \(queue.id)"
            if !isValidIdentifier(queue.id.rawValue) { report(entity, "id must be letters, digits, - _ : @") }
            if !seenQueues.insert(queue.id).inserted { report(entity, "defined twice") }
            for requirement in queue.requiredSkills {
                if !skillIDs.contains(requirement.skill) {
                    report(entity, "requiredSkills names \(requirement.skill), which the skill catalog lacks")
                }
                if !SkillLevel.range.contains(requirement.minimumLevel) {
                    report(entity, "requiredSkills \(requirement.skill) minimumLevel must be 1 to 5")
                }
            }
            var previous = 0.0
            for (index, step) in queue.fallbackSteps.enumerated() {
                if !(step.afterSeconds > previous) {
                    report(entity, "fallbackSteps[\(index)].afterSeconds must be above 0 and rise step by step")
                }
                previous = step.afterSeconds
                for skill in step.dropSkills where !skillIDs.contains(skill) {
                    report(entity, "fallbackSteps[\(index)].dropSkills names unknown skill \(skill)")
                }
                if step.lowerMinimumLevelsBy < 0 {
                    report(entity, "fallbackSteps[\(index)].lowerMinimumLevelsBy must be 0 or more")
                }
            }
            if queue.sticky.windowSeconds < 0 { report(entity, "sticky.windowSeconds must be 0 or more") }
            if let hold = queue.holdForOwnerSeconds, !(hold >= 0) {
                report(entity, "holdForOwnerSeconds must be 0 or more")
            }
            if queue.offer.mode == .offer, !(queue.offer.timeoutSeconds > 0) {
                report(entity, "offer.timeoutSeconds must be above 0")
            }
            if queue.offer.missedOffersBeforeAway < 0 {
                report(entity, "offer.missedOffersBeforeAway must be 0 or more")
            }
            if !(queue.wrapUpSeconds >= 0) { report(entity, "wrapUpSeconds must be 0 or more") }
            if let target = queue.overflow.to {
                if target == queue.id {
                    report(entity, "overflow.to is the queue itself; name another queue or remove 'to'")
                } else if let other = queues.first(where: { $0.id == target }) {
                    if other.channel != queue.channel {
                        report(
                            entity,
                            "overflow.to \(target) takes \(other.channel.rawValue), not \(queue.channel.rawValue); "
                                + "name a queue of the same channel")
                    } else if let path = overflowPath(from: target, to: queue.id) {
                        let chain = ([queue.id] + path).map(\.rawValue).joined(separator: " -> ")
                        report(
                            entity,
                            "overflow.to \(target) leads back to this queue (\(chain)); "
                                + "end the chain at a queue that overflows nowhere")
                    }
                } else {
                    report(entity, "overflow.to names unknown queue \(target)")
                }
                if queue.overflow.maxWaiting == nil && queue.overflow.maxWaitSeconds == nil {
                    report(
                        entity, "overflow.to needs maxWaiting or maxWaitSeconds; add the limit past which work moves")
                }
                if let wait = queue.overflow.maxWaitSeconds, !(wait > 0) {
                    report(entity, "overflow.maxWaitSeconds must be above 0 when overflow.to is set")
                }
                if let most = queue.overflow.maxWaiting, most < 0 {
                    report(entity, "overflow.maxWaiting must be 0 or more")
                }
            }
            if let hours = queue.hours {
                if case .overflow(let target) = hours.closedRule {
                    if target == queue.id {
                        report(entity, "hours.overflowQueue is the queue itself; name another queue")
                    } else if let other = queues.first(where: { $0.id == target }) {
                        if other.channel != queue.channel {
                            report(
                                entity,
                                "hours.overflowQueue \(target) takes \(other.channel.rawValue), not "
                                    + "\(queue.channel.rawValue); name a queue of the same channel")
                        }
                    } else {
                        report(entity, "hours.overflowQueue names unknown queue \(target)")
                    }
                }
                let weekly = hours.calendar.weekly.values.joined()
                let exceptions = hours.calendar.exceptions.values.joined()
                if !weekly.allSatisfy(\.isWithinOneDay) || !exceptions.allSatisfy(\.isWithinOneDay) {
                    report(entity, "hours has a period that does not run forwards within one day (00:00 to 24:00)")
                }
            }
        }
        if !(offlineGraceSeconds >= 0) { report("configuration", "offlineGraceSeconds must be 0 or more") }
        return problems
    }
}

extension RoutingConfiguration {
    /// The queues a queue passes work to: its `overflow.to` and its closed-hours overflow queue.
    func overflowTargets(of queue: QueueID) -> [QueueID] {
        guard let configuration = queues.first(where: { $0.id == queue }) else { return [] }
        var targets: [QueueID] = []
        if let target = configuration.overflow.to { targets.append(target) }
        if case .overflow(let target) = configuration.hours?.closedRule { targets.append(target) }
        return targets
    }

    /// The shortest chain of overflow targets from `start` to `goal` (both included), or nil
    /// when work leaving `start` can never reach `goal`.
    func overflowPath(from start: QueueID, to goal: QueueID) -> [QueueID]? {
        var previous: [QueueID: QueueID] = [:]
        var seen: Set<QueueID> = [start]
        var frontier = [start]
        // Bounded: each queue enters the frontier at most once.
        while !frontier.isEmpty {
            var next: [QueueID] = []
            for queue in frontier {
                if queue == goal {
                    var path = [queue]
                    while let before = previous[path[0]] { path.insert(before, at: 0) }
                    return path
                }
                for target in overflowTargets(of: queue) where seen.insert(target).inserted {
                    previous[target] = queue
                    next.append(target)
                }
            }
            frontier = next
        }
        return nil
    }
}

/// One thing wrong with a configuration, e.g. `queue cards-chat: requiredSkills names
/// klingon, which the skill catalog lacks`.
public struct RoutingConfigurationProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var entity: String
    public var message: String

    public init(entity: String, message: String) {
        self.entity = entity
        self.message = message
    }

    public var description: String { "\(entity): \(message)" }
}
