public import SwitchboardTopology
import Synchronization

/// The permission table a process is enforcing now: read once per batch of commands, replaced
/// when a reload (SIGHUP, `router.reload`) re-reads the topology's principals, so that a
/// principal's changed role or grants take effect without a restart, as its key does.
public final class CommandPermissionsBook: Sendable {
    private let table: Mutex<CommandPermissions>

    public init(_ permissions: CommandPermissions) {
        table = Mutex(permissions)
    }

    public var current: CommandPermissions { table.withLock { $0 } }

    public func replace(_ permissions: CommandPermissions) {
        table.withLock { $0 = permissions }
    }

    /// Puts the principals of `topology` in force.
    public func reload(from topology: Topology) {
        replace(CommandPermissions(security: topology.security))
    }
}
