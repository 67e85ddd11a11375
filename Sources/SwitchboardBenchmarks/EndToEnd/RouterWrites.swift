import Foundation
import NIOHTTP1

/// What the router process has written so far: bytes written to files (`wchar` of
/// `/proc/PID/io`: its SQLite database and write-ahead log, whole pages, checkpoints of the log
/// included) and the bytes of row content its store committed by table (its metrics'
/// `store_written_bytes_total`). Read before and after a phase, the difference divided by the
/// conversations gives what one conversation costs on disk.
struct RouterWrites: Sendable {
    struct Reading: Sendable {
        var fileBytes: Int
        var tableBytes: [String: Int]
    }

    /// `up`'s pid: the router is the child of `up` started as `switchboard router`.
    let upPid: Int32
    let metricsPort: Int

    func read() async -> Reading? {
        guard let pid = routerPid(), let fileBytes = Self.writtenCharacters(of: pid) else { return nil }
        let page = try? await LoopbackHTTP.withConnection(port: metricsPort) { exchange in
            try await exchange.send(.GET, "/metrics")
        }
        guard let page, page.status == 200 else { return nil }
        return Reading(fileBytes: fileBytes, tableBytes: Self.tableBytes(inMetrics: page.body))
    }

    /// The pid of `up`'s child whose command line runs `router`.
    func routerPid() -> Int32? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(upPid)/task")) ?? []
        for task in tasks {
            guard let children = try? String(contentsOfFile: "/proc/\(upPid)/task/\(task)/children", encoding: .utf8)
            else { continue }
            for child in children.split(separator: " ").compactMap({ Int32($0) }) {
                guard let command = FileManager.default.contents(atPath: "/proc/\(child)/cmdline") else { continue }
                let arguments = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if arguments.count > 1, arguments[1] == "router" { return child }
            }
        }
        return nil
    }

    /// `wchar`: bytes the process handed to `write` and its kin (files; its sockets send
    /// through `send`, which this does not count).
    static func writtenCharacters(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// `switchboard_store_written_bytes_total{table="…"} N` lines, by table.
    static func tableBytes(inMetrics page: String) -> [String: Int] {
        var tables: [String: Int] = [:]
        let prefix = "switchboard_store_written_bytes_total{table=\""
        for line in page.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            guard let quote = rest.firstIndex(of: "\""), let space = rest.lastIndex(of: " "),
                let value = Double(rest[rest.index(after: space)...])
            else { continue }
            tables[String(rest[..<quote])] = Int(value)
        }
        return tables
    }
}
