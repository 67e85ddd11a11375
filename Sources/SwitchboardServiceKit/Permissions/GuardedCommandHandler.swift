public import Logging
public import SwitchboardBus
public import SwitchboardStore
public import SwitchboardTopology

/// A service's command handler behind the permission table: each command is checked before it
/// reaches the service, a refused one is answered `forbidden` and never applied, and every one,
/// accepted or refused, goes to the audit log of the service's store (an accepted command's row
/// in the command's own transaction when it has one; refused rows in a transaction of their
/// own, written before the refusal is sent).
public struct GuardedCommandHandler: CommandHandler {
    public let inner: any CommandHandler
    public let service: ServiceName
    /// The table in force (a reload replaces it).
    public let permissions: CommandPermissionsBook
    /// Where the audit log is kept; nil keeps none.
    public let store: AuthorityStore?
    private let logger: Logger

    public init(
        _ inner: any CommandHandler, service: ServiceName, permissions: CommandPermissionsBook, store: AuthorityStore?,
        logger: Logger
    ) {
        self.inner = inner
        self.service = service
        self.permissions = permissions
        self.store = store
        self.logger = logger
    }

    /// A guard whose table never changes.
    public init(
        _ inner: any CommandHandler, service: ServiceName, permissions: CommandPermissions, store: AuthorityStore?,
        logger: Logger
    ) {
        self.init(
            inner, service: service, permissions: CommandPermissionsBook(permissions), store: store, logger: logger)
    }

    /// One batch, sorted by the table.
    struct Screened {
        var allowed: [CommandRequest] = []
        /// Per command of the batch: nil for one passed on, the refusal otherwise.
        var refusals: [CommandFailure?] = []
        var accepted: [AuditRecord] = []
        var refused: [AuditRecord] = []

        /// The batch's outcomes: the service's for those passed on, in order, and the refusals.
        func merge(_ outcomes: [CommandOutcome]) -> [CommandOutcome] {
            var next = outcomes.makeIterator()
            return refusals.map { refusal in
                if let refusal { return .failed(refusal) }
                return next.next()
                    ?? .failed(
                        CommandFailure(code: .internal, message: "the service lost track of this command; retry it"))
            }
        }
    }

    func screen(_ commands: [CommandRequest]) -> Screened {
        var screened = Screened()
        screened.refusals.reserveCapacity(commands.count)
        let now = store?.configuration.now() ?? 0
        let permissions = self.permissions.current
        for command in commands {
            let decision = permissions.decide(command, at: service)
            let record = AuditRecord(
                atSeconds: now, principal: command.principal,
                actingFor: CommandPermissions.actingFor(type: command.type, data: command.data),
                commandType: command.type, commandID: command.id, outcome: decision.isAllowed ? .accepted : .forbidden,
                permission: decision.permission?.rawValue)
            if let failure = decision.failure {
                screened.refusals.append(failure)
                screened.refused.append(record)
            } else {
                screened.refusals.append(nil)
                screened.allowed.append(command)
                screened.accepted.append(record)
            }
        }
        return screened
    }

    public func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
        let screened = screen(commands)
        store?.expectAudit(screened.accepted)
        let outcomes = screened.allowed.isEmpty ? [] : await inner.handle(screened.allowed)
        await settle(screened)
        return screened.merge(outcomes)
    }

    public func enqueue(_ commands: [CommandRequest]) -> PendingOutcomes? {
        let screened = screen(commands)
        // Nothing to queue: `handle` answers the refusals.
        guard !screened.allowed.isEmpty else { return nil }
        store?.expectAudit(screened.accepted)
        // A handler that does not pipeline gets the batch again through `handle`.
        guard let pending = inner.enqueue(screened.allowed) else { return nil }
        let merged = PendingOutcomes()
        Task {
            let outcomes = await pending.value
            await settle(screened)
            merged.fulfil(screened.merge(outcomes))
        }
        return merged
    }

    /// Logs the batch's refusals and writes its audit rows; once per batch, whichever path served it.
    private func settle(_ screened: Screened) async {
        for record in screened.refused {
            logger.warning(
                "command refused for its sender",
                metadata: [
                    "id": "\(record.commandID)", "type": "\(record.commandType)",
                    "principal": "\(record.principal ?? "none")", "permission": "\(record.permission ?? "")",
                ])
        }
        guard let store else { return }
        do {
            try await store.settleAudit(commandIDs: screened.allowed.map(\.id), refused: screened.refused)
        } catch {
            logger.error("could not write the audit log", metadata: ["error": "\(error)"])
        }
    }
}
