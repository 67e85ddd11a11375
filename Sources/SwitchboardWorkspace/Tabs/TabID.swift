public import SwitchboardRouting

/// Identifies a tab within its session. Derived from the tab's content, so opening the same
/// article twice selects the tab already open instead of duplicating it.
public struct TabID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}
