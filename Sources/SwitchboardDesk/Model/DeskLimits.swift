/// Bounds on what the desk keeps per agent, beyond the workspace's own (`WorkspaceLimits`).
public enum DeskLimits {
    /// Offers waiting on one agent. Capacity profiles keep this to a handful; the bound stops
    /// a routing fault from growing the desk.
    public static let offersMax = 16
    /// Email and case sessions the agent closed while their conversations go on.
    public static let parkedMax = 200
    /// The agent's desk as one snapshot value or event item, in bytes. Below the bus's event
    /// limit (1 MiB) with room for the event's own fields; drafts are what fill it.
    public static let itemBytesMax = 768 * 1024
    /// Assistance as the pane keeps it: the summariser ranks best first, three are read.
    public static let assistanceItemsMax = 3
    public static let assistanceTextBytesMax = 1_024
    /// Seconds the desk waits for the router's answer to a forwarded command before it
    /// answers `unavailable` (the client retries with the same id, applied once).
    public static let routerDeadlineSeconds = 5.0
}
