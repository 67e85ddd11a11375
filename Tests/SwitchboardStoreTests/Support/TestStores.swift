import Foundation
import GRDB
import Logging
import SwitchboardBus
import SwitchboardStore
import Synchronization

let testLogger: Logger = {
    var logger = Logger(label: "switchboard.store.test")
    logger.logLevel = .critical
    return logger
}()

/// A unique directory under the system's temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("sb-store-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A wall clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds: Mutex<Double>

    init(_ start: Double = 1_700_000_000) {
        seconds = Mutex(start)
    }

    func advance(by delta: Double) {
        seconds.withLock { $0 += delta }
    }

    var now: @Sendable () -> Double {
        { [self] in seconds.withLock { $0 } }
    }
}

/// The tables of the small authority the tests play: named items, one row each.
@Sendable func itemMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("items-1") { db in
        try db.execute(sql: "CREATE TABLE items (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)")
    }
}

func openStore(
    _ directory: TemporaryDirectory, name: String = "authority.sqlite",
    configure: (inout StoreConfiguration) -> Void = { _ in }
) async throws -> AuthorityStore {
    var configuration = StoreConfiguration(path: directory.file(name), source: "test")
    configure(&configuration)
    return try await AuthorityStore.open(configuration, logger: testLogger, migrations: itemMigrations)
}

/// Sets item `key` to `value` and emits `kv.<key>.set` in the same transaction.
func setItem(_ key: String, _ value: Int, in transaction: StoreTransaction) throws -> EmittedEvent {
    try transaction.db.execute(
        sql: "INSERT INTO items (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        arguments: [key, value])
    return try transaction.emit(
        topic: "kv.\(key).set", type: "item.set", data: ["key": .string(key), "value": .number(value)])
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held. The default
/// bound is generous: in the parallel test run other suites keep both cores busy.
func eventually(within seconds: Double = 30, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1_000)))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}

/// Copies a live database (main file and WAL) as a SIGKILL would leave it: every committed
/// transaction, nothing the process held only in memory. Call it while no write is running.
func copyAsCrashed(_ source: String, to destination: String) throws {
    let files = FileManager.default
    try files.copyItem(atPath: source, toPath: destination)
    if files.fileExists(atPath: source + "-wal") {
        try files.copyItem(atPath: source + "-wal", toPath: destination + "-wal")
    }
}
