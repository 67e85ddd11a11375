import Foundation
public import Logging
public import SwitchboardBus
public import SwitchboardTopology
import Synchronization
import UnixSignals
public import ZeroMQ

/// The bus security of one process of a topology, by the principal it acts as: every service
/// and tool builds it here, so that they all read the `security:` section the same way.
public enum ProcessSecurity {
    /// The bus security of the process acting as `principal`: its own key pair (`NAME.key` in
    /// the keys directory), the allow-list of every principal's public key, and the public key of
    /// the service at every endpoint the topology advertises. Nil when the topology leaves the
    /// sockets open; that is then logged, once per process, as a loud warning.
    public static func load(principal: String, topology: Topology, logger: Logger) throws(ProcessSecurityError)
        -> BusSecurity?
    {
        guard let settings = topology.security?.curve else {
            warnOpenOnce(topology: topology, logger: logger)
            return nil
        }
        guard let own = settings.principals[principal] else {
            let role: TopologySecurity.Role =
                switch ServiceName(rawValue: principal) {
                case .gateway: .gateway
                case .some: .service
                case nil: .tool
                }
            throw ProcessSecurityError(
                "\(topology.file): no principal '\(principal)' under security.principals; add "
                    + "\(principal): {key: \(principal), role: \(role.rawValue)}, "
                    + "or pick a listed principal (\(settings.principals.keys.sorted().joined(separator: ", ")))")
        }
        let ownKeyName: String
        switch own.key {
        case .file(let name): ownKeyName = name
        // The topology lists only the public key; the pair is then the principal's own key file.
        case .publicKey: ownKeyName = principal
        }
        let directory = settings.keysDirectory
        try requireFile(KeyFiles.keyFile(ownKeyName, in: directory), of: ownKeyName, directory: directory)
        for case .file(let name) in settings.principals.values.map(\.key) {
            try requireFile(KeyFiles.publicFile(name, in: directory), of: name, directory: directory)
        }
        let security: BusSecurity
        do {
            security = try BusSecurity.load(
                ownKey: ownKeyName, keysDirectory: directory, principals: settings.keyReferences,
                servers: topology.serverPrincipals)
        } catch {
            throw ProcessSecurityError("\(error)")
        }
        guard security.allowList.principal(for: security.keys.publicKey) == principal else {
            throw ProcessSecurityError(
                "\(KeyFiles.keyFile(ownKeyName, in: directory)): this key pair's public key is not the one listed "
                    + "for principal '\(principal)' under security.principals of \(topology.file); list its public "
                    + "key there, or generate the pair again with `switchboard keys generate \(principal) --force`")
        }
        logger.info(
            "bus sockets use CURVE",
            metadata: [
                "principal": "\(principal)", "publicKey": "\(security.keys.publicKey)",
                "allowed": "\(security.allowList.count)",
            ])
        return security
    }

    /// The allow-list of a topology's `security:` section, read again (for a reload): every
    /// principal's public key. Nil when the topology leaves the sockets open.
    public static func allowList(of topology: Topology) throws(ProcessSecurityError) -> CurveAllowList? {
        guard let settings = topology.security?.curve else { return nil }
        var allowList = CurveAllowList()
        for principal in settings.sortedPrincipals {
            let publicKey: String
            switch principal.key {
            case .publicKey(let key):
                publicKey = key
            case .file(let name):
                let file = KeyFiles.publicFile(name, in: settings.keysDirectory)
                try requireFile(file, of: name, directory: settings.keysDirectory)
                do {
                    publicKey = try KeyFiles.loadPublicKey(file: file)
                } catch {
                    throw ProcessSecurityError("\(error)")
                }
            }
            allowList.allow(publicKey, as: principal.name)
        }
        return allowList
    }

    /// Re-reads `topologyFile` and puts its allow-list in force on `loop`'s ZAP handler: a key
    /// taken off the list is refused on its next connection (connections already made stay).
    /// A file that cannot be read keeps the allow-list in force; both outcomes are logged.
    public static func reloadAllowList(
        topologyFile: String, loop: SocketLoop, logger: Logger, permissions: CommandPermissionsBook? = nil
    ) {
        guard let authenticator = loop.currentAuthenticator else { return }
        let allowList: CurveAllowList?
        do {
            let topology = try Topology.load(file: topologyFile)
            allowList = try Self.allowList(of: topology)
            // Roles, actFor and grants too: what a listed key may do changes with the topology.
            if allowList != nil { permissions?.reload(from: topology) }
        } catch {
            logger.error("reload: the topology's security section was refused, the allow-list stays: \(error)")
            return
        }
        guard let allowList else {
            let message =
                "reload: \(topologyFile) no longer has CURVE keys; a running process keeps CURVE and its "
                + "allow-list until it is restarted"
            logger.error("\(message)")
            return
        }
        let before = Set(authenticator.allowList.principals.values)
        authenticator.replaceAllowList(allowList)
        let after = Set(allowList.principals.values)
        let message =
            "reload: CURVE allow-list replaced; keys taken off it are refused on their next connection, "
            + "connections already made stay until they end"
        logger.notice(
            "\(message)",
            metadata: [
                "allowed": "\(allowList.count)", "removed": "\(before.subtracting(after).sorted())",
                "added": "\(after.subtracting(before).sorted())",
            ])
    }

    /// Runs `reloadAllowList` at every SIGHUP until the task is cancelled.
    public static func reloadAllowListOnSIGHUP(
        topologyFile: String, loop: SocketLoop, logger: Logger, permissions: CommandPermissionsBook? = nil
    ) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            logger.notice("SIGHUP: re-reading the bus allow-list")
            reloadAllowList(topologyFile: topologyFile, loop: loop, logger: logger, permissions: permissions)
        }
    }

    private static let warnedOpen = Atomic<Bool>(false)

    /// Once per process: open sockets let anyone who reaches them read and command everything.
    private static func warnOpenOnce(topology: Topology, logger: Logger) {
        guard !warnedOpen.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let hosts = Set(topology.services.values.filter(\.name.publishes).map { Self.host($0.publishBind) }).sorted()
        let message =
            "bus sockets are open: anyone who can reach \(hosts.joined(separator: ", ")) can read every event, "
            + "take every snapshot and send any command as anyone; add a security: section with CURVE keys "
            + "to \(topology.file) (docs/PROTOCOL.md §8)"
        logger.warning("\(message)")
    }

    private static func host(_ endpoint: String) -> String {
        let rest = endpoint.hasPrefix("tcp://") ? String(endpoint.dropFirst("tcp://".count)) : endpoint
        guard let colon = rest.lastIndex(of: ":") else { return rest }
        return String(rest[..<colon])
    }

    private static func requireFile(_ file: String, of name: String, directory: String) throws(ProcessSecurityError) {
        guard !FileManager.default.fileExists(atPath: file) else { return }
        throw ProcessSecurityError(
            "\(file): no such key file; create it with `switchboard keys generate \(name) --dir \(directory)`")
    }
}

/// The bus security of a process cannot be set up: the message names the file or principal and
/// what to do.
public struct ProcessSecurityError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension ServicePart {
    /// Puts the re-read topology's allow-list in force at every SIGHUP, for a process whose
    /// SIGHUP does nothing else (one that reloads more calls `ProcessSecurity.reloadAllowList`
    /// from its own handler).
    public static func allowListReloadOnSIGHUP(
        _ name: String, topologyFile: String, loop: SocketLoop, logger: Logger,
        permissions: CommandPermissionsBook? = nil
    ) -> ServicePart {
        ServicePart("\(name) allow-list reload on SIGHUP") {
            await ProcessSecurity.reloadAllowListOnSIGHUP(
                topologyFile: topologyFile, loop: loop, logger: logger, permissions: permissions)
        }
    }
}
