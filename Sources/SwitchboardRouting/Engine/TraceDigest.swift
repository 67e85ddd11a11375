/// A fingerprint of everything an engine did, so that two builds of the engine can be
/// shown to decide the same way on the same workload (an optimisation must not change a
/// single action). FNV-1a over the text of each action and refusal: stable across processes,
/// unlike `Hasher`. (Inputs are left out: some hold dictionaries, whose text order is not
/// stable, and a workload's inputs follow from the actions anyway.)
public struct TraceDigest: Sendable, Hashable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    /// Actions folded in.
    public private(set) var actionCount = 0

    public init() {}

    /// Folds in what one handled input produced.
    public mutating func add(actions: [RoutingAction], rejection: RoutingError?) {
        for action in actions {
            add(text: String(describing: action))
            // The sentence is what supervisors read: it must not change either.
            switch action {
            case .assigned(let decision), .offered(let decision, _): add(text: decision.reason.sentence)
            default: break
            }
        }
        actionCount += actions.count
        if let rejection { add(text: "refused: \(rejection)") }
    }

    public mutating func add(text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        // A separator, so that "ab" + "c" and "a" + "bc" differ.
        value ^= 0xFF
        value &*= 0x0000_0100_0000_01B3
    }

    /// Sixteen hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
