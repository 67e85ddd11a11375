import Logging
import SwitchboardBus
import SwitchboardServiceKit
import SwitchboardTopology
import Synchronization
import Testing

/// A reload replaces the table the guard enforces: a principal's new role takes effect on its
/// next command, without a restart.
@Suite("Permission table reloads")
struct PermissionReloadTests {
    /// Answers every command it is given, and counts them.
    final class Answering: CommandHandler {
        let handled = Mutex(0)
        func handle(_ commands: [CommandRequest]) async -> [CommandOutcome] {
            handled.withLock { $0 += commands.count }
            return commands.map { _ in .ok(["done": true]) }
        }
    }

    static func table(tapRole: TopologySecurity.Role) -> CommandPermissions {
        CommandPermissions(principals: [
            TopologySecurity.Principal(name: "tap", key: .file("tap"), role: tapRole),
            TopologySecurity.Principal(name: "anna", key: .file("anna"), role: .operator),
        ])
    }

    @Test("a tool made an operator may reload the router once the book is replaced; made a tool again, it may not")
    func roleChangeTakesEffect() async {
        var logger = Logger(label: "switchboard.permission-reload.test")
        logger.logLevel = .critical
        let inner = Answering()
        let book = CommandPermissionsBook(Self.table(tapRole: .tool))
        let guarded = GuardedCommandHandler(inner, service: .router, permissions: book, store: nil, logger: logger)
        func reload(_ id: String) async -> CommandOutcome {
            await guarded.handle([CommandRequest(id: id, type: "router.reload", data: [:], principal: "tap")])[0]
        }
        guard case .failed(let refused) = await reload("r-1") else {
            Issue.record("a tool's router.reload was let through")
            return
        }
        #expect(refused.code == .forbidden)
        #expect(inner.handled.withLock { $0 } == 0)

        book.replace(Self.table(tapRole: .operator))
        #expect(await reload("r-2") == .ok(["done": true]))
        #expect(inner.handled.withLock { $0 } == 1)

        book.replace(Self.table(tapRole: .tool))
        guard case .failed(let again) = await reload("r-3") else {
            Issue.record("the old role stayed in force after the reload")
            return
        }
        #expect(again.code == .forbidden)
        #expect(inner.handled.withLock { $0 } == 1)
    }
}
