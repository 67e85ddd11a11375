import SwitchboardBus
import SwitchboardRouter
import SwitchboardServiceKit

/// A step's bus events and command reply as the router's shell encodes them, for tests that
/// check the wire.
extension RouterStep {
    var events: [OutgoingEvent] { RouterEventEncoder.events(effects) }
    var outcome: CommandOutcome { RouterEventEncoder.outcome(reply) }
}
