import SwitchboardRouting
import Yams

extension ContactCentreParser {
    static let queueKeys: Set<String> = [
        "name", "channel", "priority", "requiredSkills", "intentSkill", "method", "fallback", "sticky",
        "holdForOwnerSeconds", "offer", "wrapUpSeconds", "overflow", "serviceLevel", "hours",
    ]

    mutating func parseQueues(_ value: YAMLValue) throws(TopologyError) {
        for (id, queueValue) in try value.namedMapping() {
            try Self.identifier(id, queueValue, what: "a queue")
            let queue = try parseQueue(QueueID(id), queueValue)
            queues.append(queue)
            entityNodes["queue \(id)"] = queueValue
        }
        if queues.isEmpty { throw value.error("no queue; define at least one, e.g. chat-en: {channel: chat}") }
    }

    private mutating func parseQueue(_ id: QueueID, _ value: YAMLValue) throws(TopologyError) -> QueueConfiguration {
        let fields = try value.mapping(allowed: Self.queueKeys)
        guard let channelValue = fields["channel"] else {
            throw value.error("missing 'channel:' (one of \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var queue = QueueConfiguration(id: id, channel: try channelValue.enumeration(Channel.self))
        queue.name = try fields["name"]?.nonEmptyString() ?? id.rawValue
        queue.priority = try fields["priority"]?.int(in: -1_000...1_000) ?? 0
        if let skillsValue = fields["requiredSkills"] { queue.requiredSkills = try requirements(skillsValue) }
        if let intentValue = fields["intentSkill"] {
            if let level = try intentSkillLevel(intentValue, required: queue.requiredSkills) {
                intentSkillLevels[id] = level
            }
        }
        if let methodValue = fields["method"] { queue.method = try methodValue.enumeration(AssignmentMethod.self) }
        if let ladderValue = fields["fallback"] {
            queue.fallbackSteps = try fallbackSteps(
                ladderValue, required: queue.requiredSkills, usesIntentSkill: intentSkillLevels[id] != nil)
        }
        if let stickyValue = fields["sticky"] { queue.sticky = try Self.sticky(stickyValue) }
        if let holdValue = fields["holdForOwnerSeconds"] {
            guard queue.sticky.enabled else {
                throw holdValue.error("holding for the sticky owner needs stickiness; remove this or switch sticky on")
            }
            queue.holdForOwnerSeconds = try holdValue.double(in: 0...3_600)
        }
        if let offerValue = fields["offer"] { queue.offer = try Self.offer(offerValue) }
        queue.wrapUpSeconds = try fields["wrapUpSeconds"]?.double(in: 0...3_600) ?? 0
        if let overflowValue = fields["overflow"] {
            let limits = try overflowValue.mapping(allowed: ["maxWaiting", "maxWaitSeconds", "to"])
            var target: QueueID?
            if let targetValue = limits["to"] {
                let name = try targetValue.nonEmptyString()
                try Self.identifier(name, targetValue, what: "a queue")
                target = QueueID(name)
            }
            queue.overflow = OverflowLimits(
                maxWaiting: try limits["maxWaiting"]?.int(in: 1...1_000_000),
                maxWaitSeconds: try limits["maxWaitSeconds"]?.double(in: 1...604_800), to: target)
        }
        if let serviceValue = fields["serviceLevel"] {
            let target = try serviceValue.mapping(allowed: ["percent", "withinSeconds"])
            let standard = ServiceLevelTarget()
            queue.serviceLevel = ServiceLevelTarget(
                percent: try target["percent"]?.double(in: 1...100) ?? standard.percent,
                withinSeconds: try target["withinSeconds"]?.double(in: 1...604_800) ?? standard.withinSeconds)
        }
        if let hoursValue = fields["hours"] { queue.hours = try Self.hours(hoursValue) }
        return queue
    }

    /// `{english: 3, cards: 2}`: each skill of the catalog with its minimum level.
    private func requirements(_ value: YAMLValue) throws(TopologyError) -> [SkillRequirement] {
        var result: [SkillRequirement] = []
        for (skill, levelValue) in try value.namedMapping() {
            guard skillKinds[SkillID(skill)] != nil else {
                throw levelValue.error(
                    "no skill '\(skill)' in the catalog (skills:)"
                        + YAMLValue.suggestion(for: skill, among: Set(skillKinds.keys.map(\.rawValue))))
            }
            result.append(SkillRequirement(SkillID(skill), minimumLevel: try Self.skillLevel(levelValue)))
        }
        return result
    }

    /// `intentSkill: true` (the intent's product skill at level 1), `false`, or `{minimumLevel: 2}`.
    private func intentSkillLevel(
        _ value: YAMLValue, required: [SkillRequirement]
    ) throws(TopologyError) -> Int? {
        let level: Int
        if case .mapping = value.node {
            let fields = try value.mapping(allowed: ["minimumLevel"])
            level =
                try fields["minimumLevel"].map { value throws(TopologyError) in try Self.skillLevel(value) }
                ?? SkillLevel.minimum
        } else {
            guard try value.bool() else { return nil }
            level = SkillLevel.minimum
        }
        guard skillKinds.values.contains(.product) else {
            throw value.error("the catalog has no product skill for the intent to name; add some under skills.product")
        }
        if let product = required.first(where: { skillKinds[$0.skill] == .product }) {
            throw value.error(
                "this queue already requires the product skill '\(product.skill)', so the intent's product would "
                    + "be a second one; use intentSkill on a queue without a product skill, or remove "
                    + "'\(product.skill)' from requiredSkills")
        }
        return level
    }

    /// The ladder: a list of steps, each `{after: SECONDS, drop: [...], lowerLevelsBy: N, anyAgentOfQueue: true}`.
    private func fallbackSteps(
        _ value: YAMLValue, required: [SkillRequirement], usesIntentSkill: Bool
    ) throws(TopologyError) -> [FallbackStep] {
        var steps: [FallbackStep] = []
        var previousSeconds = 0.0
        let kindNames = SkillKind.allCases.map(\.rawValue)
        for stepValue in try value.sequence() {
            let fields = try stepValue.mapping(allowed: ["after", "drop", "lowerLevelsBy", "anyAgentOfQueue"])
            if steps.last?.anyAgentOfQueue == true {
                throw stepValue.error(
                    "the step before already lets any agent of the queue take it; nothing can widen further, remove "
                        + "this step"
                )
            }
            guard let afterValue = fields["after"] else {
                throw stepValue.error("missing 'after:' (seconds of waiting before this step applies)")
            }
            let after = try afterValue.double(in: 0...604_800)
            guard after > previousSeconds else {
                throw afterValue.error(
                    steps.isEmpty
                        ? "the first step must come after more than 0 seconds (the full requirement applies until then)"
                        : "steps must rise: this step's \(Self.seconds(after)) s is not after the previous step's "
                            + "\(Self.seconds(previousSeconds)) s; write a larger 'after:'")
            }
            previousSeconds = after
            var step = FallbackStep(afterSeconds: after)
            if let dropValue = fields["drop"] {
                for element in try dropValue.sequence() {
                    let name = try element.nonEmptyString()
                    if let kind = SkillKind(rawValue: name) {
                        let applies =
                            required.contains { skillKinds[$0.skill] == kind } || (kind == .product && usesIntentSkill)
                        guard applies else {
                            throw element.error("the queue requires no \(name) skill, so there is nothing to drop")
                        }
                        step.dropSkillKinds.append(kind)
                    } else if skillKinds[SkillID(name)] != nil {
                        guard required.contains(where: { $0.skill.rawValue == name }) else {
                            throw element.error(
                                "the queue does not require '\(name)' (see requiredSkills), so it cannot drop it")
                        }
                        step.dropSkills.append(SkillID(name))
                    } else {
                        throw element.error(
                            "'\(name)' is neither a skill kind (\(kindNames.joined(separator: ", "))) nor a skill of "
                                + "the catalog"
                                + YAMLValue.suggestion(
                                    for: name, among: Set(kindNames + required.map(\.skill.rawValue))))
                    }
                }
            }
            if let lowerValue = fields["lowerLevelsBy"] {
                step.lowerMinimumLevelsBy = try lowerValue.int(in: 1...(SkillLevel.maximum - SkillLevel.minimum))
            }
            step.anyAgentOfQueue = try fields["anyAgentOfQueue"]?.bool() ?? false
            if step.dropSkillKinds.isEmpty && step.dropSkills.isEmpty && step.lowerMinimumLevelsBy == 0
                && !step.anyAgentOfQueue
            {
                throw stepValue.error(
                    "this step widens nothing; give it drop:, lowerLevelsBy: or anyAgentOfQueue: true")
            }
            steps.append(step)
        }
        return steps
    }

    /// `false` (no stickiness), `true` (8 hours, any topic), or `{windowHours | windowMinutes, sameTopicOnly}`.
    private static func sticky(_ value: YAMLValue) throws(TopologyError) -> StickyPolicy {
        guard case .mapping = value.node else {
            return try value.bool() ? StickyPolicy() : .disabled
        }
        let fields = try value.mapping(allowed: ["windowHours", "windowMinutes", "sameTopicOnly"])
        var policy = StickyPolicy()
        switch (fields["windowHours"], fields["windowMinutes"]) {
        case (.some, .some(let minutes)):
            throw minutes.error("give the window once: windowHours or windowMinutes, not both")
        case (.some(let hours), nil):
            policy.windowSeconds = try hours.double(in: 0...720) * 3_600
        case (nil, .some(let minutes)):
            policy.windowSeconds = try minutes.double(in: 0...43_200) * 60
        case (nil, nil):
            break
        }
        policy.sameTopicOnly = try fields["sameTopicOnly"]?.bool() ?? false
        return policy
    }

    /// `{timeoutSeconds: 20, missedBeforeAway: 3}`; a queue without `offer:` assigns directly.
    private static func offer(_ value: YAMLValue) throws(TopologyError) -> OfferPolicy {
        let fields = try value.mapping(allowed: ["timeoutSeconds", "missedBeforeAway"])
        let standard = OfferPolicy.offer(timeoutSeconds: 20)
        return .offer(
            timeoutSeconds: try fields["timeoutSeconds"]?.double(in: 1...600) ?? standard.timeoutSeconds,
            missedOffersBeforeAway: try fields["missedBeforeAway"]?.int(in: 0...100) ?? standard.missedOffersBeforeAway)
    }

    /// A skill level, 1 (basic) to 5 (expert).
    static func skillLevel(_ value: YAMLValue) throws(TopologyError) -> Int {
        let level = try value.int()
        guard SkillLevel.range.contains(level) else {
            throw value.error(
                "level \(level) is out of range; skill levels run \(SkillLevel.minimum) (basic) to "
                    + "\(SkillLevel.maximum) (expert)")
        }
        return level
    }

    /// "30" rather than "30.0" in messages.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
