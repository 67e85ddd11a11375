import Foundation
import GRDB
import Glibc
public import Logging
public import SwitchboardBus
public import SwitchboardStore
import ZeroMQ

/// Measures the store as an authority uses it: commands applied in batches of 1, 16 and 256
/// per transaction (each command upserts a row, emits two events and saves its reply), with
/// the relay publishing through a real `EventPublisher` on tcp loopback; and many concurrent
/// single-command callers, each committing alone or through a `GroupCommitter`. Prints
/// nothing: returns one JSON object, which `switchboard bench store` prints as one line.
public enum StoreBenchmark {
    public struct Options: Sendable {
        /// Where the benchmark's databases go (a fresh subdirectory per run, removed after).
        public var directory: String
        public var batchSizes: [Int] = [1, 16, 256]
        public var durabilities: [StoreConfiguration.Durability] = [.processCrash, .powerLoss]
        /// Each case stops at this many commands or after `secondsMax`, whichever first.
        public var commandsMax = 50_000
        public var secondsMax = 2.0
        /// Concurrent callers in the group-commit cases.
        public var concurrentCallers = 64

        public init(directory: String) {
            self.directory = directory
        }
    }

    public static func run(_ options: Options, logger: Logger) async throws -> JSON {
        let root = (options.directory as NSString).appendingPathComponent(
            "store-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let loop = try SocketLoop(name: "sb-store-bench", logger: logger)
        var cases: [JSON] = []
        var caseNumber = 0
        for durability in options.durabilities {
            for batchSize in options.batchSizes {
                caseNumber += 1
                cases.append(
                    try await batchCase(
                        path: "\(root)/batch-\(caseNumber).sqlite", durability: durability, batchSize: batchSize,
                        options: options, loop: loop, logger: logger))
            }
            for grouped in [false, true] {
                caseNumber += 1
                cases.append(
                    try await concurrentCase(
                        path: "\(root)/concurrent-\(caseNumber).sqlite", durability: durability, grouped: grouped,
                        options: options, logger: logger))
            }
        }
        await loop.shutdown()
        return ["benchmark": "store", "sqlite": .string(sqliteVersion()), "cases": .array(cases)]
    }

    private static func migrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("bench-1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE bench_conversations (
                        id TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, agent TEXT, updated_at REAL NOT NULL
                    ) WITHOUT ROWID
                    """)
        }
    }

    /// One command's effect: a row, two events, a reply.
    private static func apply(command: Int, in transaction: StoreTransaction) throws {
        let id = "c-\(command)"
        try transaction.db.cachedStatement(
            sql: """
                INSERT INTO bench_conversations (id, state, agent, updated_at) VALUES (?, 'assigned', ?, ?)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, agent = excluded.agent,
                updated_at = excluded.updated_at
                """
        ).execute(arguments: [id, "a-\(command % 500)", transaction.now])
        try transaction.emit(
            topic: "conv.\(id).assigned", type: "conversation.assigned",
            data: ["conversationId": .string(id), "agentId": .string("a-\(command % 500)"), "rule": "skills"])
        try transaction.emit(
            topic: "agent.a-\(command % 500).load", type: "agent.load",
            data: ["agentId": .string("a-\(command % 500)"), "chat": 1])
        try transaction.saveReply(id: "cmd-\(command)", outcome: .ok(["conversationId": .string(id)]))
    }

    private static func batchCase(
        path: String, durability: StoreConfiguration.Durability, batchSize: Int, options: Options, loop: SocketLoop,
        logger: Logger
    ) async throws -> JSON {
        var configuration = StoreConfiguration(path: path, source: "bench")
        configuration.durability = durability
        let store = try await AuthorityStore.open(configuration, logger: logger, migrations: migrations)
        let publisher = try await EventPublisher(
            loop: loop, bind: "tcp://127.0.0.1:*", source: "bench", epoch: store.epoch, logger: logger)
        let relay = try OutboxRelay(store: store, publisher: publisher, logger: logger)
        let relayTask = Task { await relay.run() }
        let clock = ContinuousClock()
        let cpuStarted = processCPUSeconds()
        let started = clock.now
        let deadline = started + .milliseconds(Int64(options.secondsMax * 1_000))
        var commands = 0
        var commits = 0
        while commands < options.commandsMax && clock.now < deadline {
            let first = commands
            let count = min(batchSize, options.commandsMax - commands)
            try await store.commit { transaction in
                for command in first..<(first + count) { try apply(command: command, in: transaction) }
            }
            commands += count
            commits += 1
        }
        let committedIn = clock.now - started
        // Publishing runs beside the commits; wait (bounded) for the relay to finish.
        let publishDeadline = clock.now + .seconds(30)
        while store.unpublishedCount > 0 && clock.now < publishDeadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        let publishedIn = clock.now - started
        let cpuSeconds = processCPUSeconds() - cpuStarted
        relayTask.cancel()
        await relayTask.value
        await publisher.close()
        await store.close()
        let seconds = committedIn.seconds
        return [
            "case": "batch", "durability": .string(durability.rawValue), "commandsPerCommit": .number(batchSize),
            "commands": .number(commands), "commits": .number(commits),
            "commitsPerSecond": .number(rounded(Double(commits) / seconds)),
            "commandsPerSecond": .number(rounded(Double(commands) / seconds)),
            "eventsPerSecond": .number(rounded(Double(commands * 2) / publishedIn.seconds)),
            "commitMicrosecondsMean": .number(rounded(seconds / Double(max(1, commits)) * 1_000_000)),
            // CPU of the whole process (writer, relay, I/O thread) per command: steadier than
            // rates on a shared machine.
            "cpuMicrosecondsPerCommand": .number(rounded(cpuSeconds / Double(max(1, commands)) * 1_000_000)),
            "published": .number(relay.counts.published), "dropped": .number(relay.counts.dropped),
        ]
    }

    private static func concurrentCase(
        path: String, durability: StoreConfiguration.Durability, grouped: Bool, options: Options, logger: Logger
    ) async throws -> JSON {
        var configuration = StoreConfiguration(path: path, source: "bench")
        configuration.durability = durability
        let store = try await AuthorityStore.open(configuration, logger: logger, migrations: migrations)
        let committer = GroupCommitter(store: store)
        let clock = ContinuousClock()
        let cpuStarted = processCPUSeconds()
        let started = clock.now
        let deadline = started + .milliseconds(Int64(options.secondsMax * 1_000))
        let callers = max(1, options.concurrentCallers)
        let perCaller = max(1, options.commandsMax / callers)
        let commands = try await withThrowingTaskGroup(of: Int.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var done = 0
                    while done < perCaller && ContinuousClock.now < deadline {
                        let command = caller * perCaller + done
                        if grouped {
                            try await committer.commit { transaction in try apply(command: command, in: transaction) }
                        } else {
                            try await store.commit { transaction in try apply(command: command, in: transaction) }
                        }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (clock.now - started).seconds
        let cpuSeconds = processCPUSeconds() - cpuStarted
        let transactions = grouped ? committer.counts.transactions : commands
        await store.close()
        return [
            "case": grouped ? "concurrent-grouped" : "concurrent-alone", "durability": .string(durability.rawValue),
            "callers": .number(callers), "commands": .number(commands), "transactions": .number(transactions),
            "commandsPerSecond": .number(rounded(Double(commands) / seconds)),
            "commandsPerTransaction": .number(rounded(Double(commands) / Double(max(1, transactions)))),
            "cpuMicrosecondsPerCommand": .number(rounded(cpuSeconds / Double(max(1, commands)) * 1_000_000)),
        ]
    }

    /// User and system CPU time of this process so far.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }

    private static func sqliteVersion() -> String {
        (try? DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") } ?? nil)
            ?? "unknown"
    }
}
