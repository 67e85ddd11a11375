/// A requirement on the hot path: skill by slot, minimum level. A requirement set is a
/// sorted array of these, interned to an id.
struct SkillNeed: Hashable, Sendable, Comparable {
    var skill: Int32
    var level: Int8

    static func < (lhs: SkillNeed, rhs: SkillNeed) -> Bool {
        (lhs.skill, lhs.level) < (rhs.skill, rhs.level)
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
