/// One line of an authority's audit log: who sent which command, for whom, and whether it was
/// let through. Kept in the store's `audit` table for the command-reply retention period.
public struct AuditRecord: Sendable, Equatable {
    /// Whether the permission table let the command through.
    public enum Outcome: String, Sendable, Equatable {
        /// Handed to the service (which may still refuse it for other reasons).
        case accepted
        /// Refused with `forbidden` before it changed anything.
        case forbidden
    }

    /// Wall-clock seconds since the Unix epoch when the service decided.
    public var atSeconds: Double
    /// The sender's principal; nil when the bus runs without security.
    public var principal: String?
    /// The agent or supervisor the command names as the person it acts for, if any.
    public var actingFor: String?
    public var commandType: String
    public var commandID: String
    public var outcome: Outcome
    /// The permission the sender lacked (forbidden only).
    public var permission: String?

    public init(
        atSeconds: Double, principal: String?, actingFor: String?, commandType: String, commandID: String,
        outcome: Outcome, permission: String? = nil
    ) {
        self.atSeconds = atSeconds
        self.principal = principal
        self.actingFor = actingFor
        self.commandType = commandType
        self.commandID = commandID
        self.outcome = outcome
        self.permission = permission
    }
}
