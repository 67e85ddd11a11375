public import SwitchboardWire

/// In this module a transcript message is the wire's (SwitchboardAssist has its own, which
/// the pure library reads).
public typealias TranscriptMessage = SwitchboardWire.TranscriptMessage
