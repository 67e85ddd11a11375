import ArgumentParser
import Foundation
import SwitchboardStore
import SwitchboardTopology

/// `switchboard audit`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show who sent which command to a service, and what the permission table decided.",
        discussion: """
            Reads the audit table of the service's SQLite store on this host (it may be running): \
            one line per command accepted or refused for its sender, oldest first, with the time, \
            the principal (none without security), the person it acted for, the command type and \
            id, and the permission a refused one lacked. Rows are kept as long as command replies \
            (retention.commandRepliesSeconds).
            """)

    @OptionGroup var topologyOptions: TopologyOptions

    @Option(help: "The service whose log to read: router, presence, desk or monitor.")
    var service: String = "router"

    @Option(help: "Only the rows of this command id.")
    var id: String?

    @Option(help: "Show at most this many rows (the latest).")
    var limit: Int = 100

    func run() async throws {
        let topology = try topologyOptions.load()
        guard let name = ServiceName(rawValue: service), let placed = topology.service(name) else {
            throw ValidationError("\(topology.file) places no service '\(service)'")
        }
        let path = "\(placed.dataDirectory)/\(name.rawValue).sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no store at \(path): the \(name.rawValue) keeps none, or has not run on this host")
        }
        for record in try AuthorityStore.auditRecords(path: path, commandID: id, limit: limit) {
            let at = Date(timeIntervalSince1970: record.atSeconds).ISO8601Format()
            var line =
                "\(at) \(record.outcome.rawValue) \(record.principal ?? "-") \(record.commandType) "
                + "id=\(record.commandID)"
            if let person = record.actingFor { line += " for=\(person)" }
            if let permission = record.permission { line += " lacks=\(permission)" }
            print(line)
        }
    }
}
