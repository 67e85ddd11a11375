/// A requirement on the hot path: skill by slot, minimum level. A requirement set is a
/// sorted array of these, interned to an id.
struct SkillNeed: Hashable, Sendable, Comparable {
    var skill: Int32
    var level: Int8

    static func < (lhs: SkillNeed, rhs: SkillNeed) -> Bool {
        (lhs.skill, lhs.level) < (rhs.skill, rhs.level)
    }
}

/// A requirement set of up to four needs in one value, so that checking an agent against it
/// reads no array (most sets have one to three needs); `count` is -1 when it does not fit.
struct PackedRequirement: Sendable {
    var count: Int8 = 0
    var skill0: UInt16 = 0
    var skill1: UInt16 = 0
    var skill2: UInt16 = 0
    var skill3: UInt16 = 0
    var level0: Int8 = 0
    var level1: Int8 = 0
    var level2: Int8 = 0
    var level3: Int8 = 0

    init(_ needs: [SkillNeed]) {
        guard needs.count <= 4, needs.allSatisfy({ $0.skill >= 0 && $0.skill <= Int32(UInt16.max) }) else {
            count = -1
            return
        }
        count = Int8(needs.count)
        for (position, need) in needs.enumerated() {
            let skill = UInt16(need.skill)
            switch position {
            case 0: (skill0, level0) = (skill, need.level)
            case 1: (skill1, level1) = (skill, need.level)
            case 2: (skill2, level2) = (skill, need.level)
            default: (skill3, level3) = (skill, need.level)
            }
        }
    }
}

/// A timer of the engine. Validity is checked when it fires (lazy deletion): the
/// conversation must still be the same one (`arrivalSequence`) with the same deadline.
struct TimerEntry: Comparable, Sendable {
    enum Kind: UInt8, Sendable {
        case ladderStep, holdExpiry, offerExpiry, wrapUpTimeout, offlineGrace, waitLimit
    }

    var deadline: Int64
    var order: UInt64
    var kind: Kind
    var slot: Int32
    var arrivalSequence: UInt64

    static func < (lhs: TimerEntry, rhs: TimerEntry) -> Bool {
        (lhs.deadline, lhs.order) < (rhs.deadline, rhs.order)
    }

    static func == (lhs: TimerEntry, rhs: TimerEntry) -> Bool {
        lhs.deadline == rhs.deadline && lhs.order == rhs.order
    }
}

/// When a sticky ownership may be forgotten (the longest window of any queue has passed).
struct OwnershipExpiry: Comparable, Sendable {
    var deadline: Int64
    var customer: CustomerID

    static func < (lhs: OwnershipExpiry, rhs: OwnershipExpiry) -> Bool {
        (lhs.deadline, lhs.customer) < (rhs.deadline, rhs.customer)
    }
}
