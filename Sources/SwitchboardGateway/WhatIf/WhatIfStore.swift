import Dispatch
public import Foundation
import GRDB
public import SwitchboardTopology

/// Where a what-if replay reads: the router's store, which the replay opens itself. It is a file,
/// so the gateway can offer replays only when the router keeps its store on the gateway's host.
public enum WhatIfStore {
    /// The path of the router's store when it is on the gateway's host; else why a replay cannot
    /// run here (409 `conflict`, or 503 when the topology places no router).
    public static func locate(_ topology: Topology) -> Result<String, GatewayError> {
        guard let router = topology.service(.router) else {
            return .failure(
                GatewayError("unavailable", "\(topology.file) places no router, so there is no journal to replay"))
        }
        let path = "\(router.dataDirectory)/router.sqlite"
        let gatewayHost = topology.service(.gateway)?.host ?? ""
        guard router.host == gatewayHost else {
            return .failure(
                GatewayError(
                    "conflict",
                    "the replay needs the router's store (\(path)) on this host, but the router runs on "
                        + "'\(router.host)' and this gateway on '\(gatewayHost)'; place the gateway on the "
                        + "router's host to replay"))
        }
        return .success(path)
    }

    /// What of the journal at `path` a replay can cover: from its oldest kept checkpoint whose journal
    /// is all still there (`replayableFrom`, nil before the router has kept one: it starts from a
    /// checkpoint) to its last input. Nil when the file or its journal is missing or empty. Read off
    /// the cooperative pool: it opens a file.
    public static func journalSpan(path: String) async -> JournalSpan? {
        await FileWork.run {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(2)
            guard let database = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
            defer { try? database.close() }
            return try? database.read { db -> JournalSpan? in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: "SELECT MIN(at) AS first, MAX(at) AS last, MIN(position) AS position FROM router_journal"),
                    let first = row["first"] as Int64?, let last = row["last"] as Int64?,
                    let position = row["position"] as Int64?
                else { return nil }
                var replayableFrom: Int64?
                if try db.tableExists("router_checkpoint_history") {
                    replayableFrom = try Int64.fetchOne(
                        db, sql: "SELECT MIN(at) FROM router_checkpoint_history WHERE through >= ? - 1",
                        arguments: [position])
                }
                // A window also starts at an input the journal still holds (the router's starting
                // state is a checkpoint from before its first input).
                return JournalSpan(
                    firstInput: Self.date(first), lastInput: Self.date(last),
                    replayableFrom: replayableFrom.map { Self.date(max($0, first)) })
            }
        } ?? nil
    }

    /// The retained journal's span, as the page offers it.
    public struct JournalSpan: Sendable {
        public var firstInput: Date
        public var lastInput: Date
        public var replayableFrom: Date?
    }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1_000) }
}

/// File work of the what-if page (reading the centre, writing a changed one, opening the
/// journal) on a queue of its own: the cooperative pool never waits for the disk.
enum FileWork {
    private static let queue = DispatchQueue(label: "switchboard.gateway.whatif-files", attributes: .concurrent)

    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
