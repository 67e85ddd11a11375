public import SwitchboardRouting

/// A permission a role grants in the contact-centre configuration (`barge`). Supervision
/// uses one per intervention kind; other features may add their own names.
public struct Permission: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let observe = Permission("observe")
    public static let whisper = Permission("whisper")
    public static let barge = Permission("barge")
    public static let listen = Permission("listen")
}
