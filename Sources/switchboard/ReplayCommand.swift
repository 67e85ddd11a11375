import ArgumentParser
import Foundation
import SwitchboardReplay
import SwitchboardRouting

/// `switchboard replay`: the recorded window of a router's journal, and the same window with a
/// changed contact centre.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded window of the router's journal, as recorded and with a changed centre.",
        discussion: """
            Reads the router's store read-only (a copy, or a live router's file). Without --centre
            the replay must make exactly the recorded decisions (reproduction). With --centre the
            changed contact-centre file takes effect at --since as a reload would, and the window
            is simulated on the journal's clock; conversations that go differently follow models
            estimated from the recorded window (printed with the result). docs/WHAT-IF.md has a
            worked example and every model's assumptions.
            """
    )

    @Option(help: "The router's store (router.sqlite).") var from: String
    @Option(help: "Start of the window, ISO-8601 (default: the start of the retained journal).") var since: String?
    @Option(help: "End of the window, ISO-8601 (default: the end of the journal).") var until: String?
    @Option(help: "A changed contact-centre file to apply at --since.") var centre: String?
    @Flag(help: "Print one JSON object instead of tables.") var json = false
    @Option(help: "Write an SVG of service level and average wait by hour here.") var chart: String?
    @Flag(help: "List every recorded decision of the window in the JSON (key decisions).") var decisions = false
    @Option(help: "Show one conversation's recorded and replayed decisions side by side.") var explain: String?

    func run() throws {
        func instant(_ text: String?, _ name: String) throws -> RoutingInstant? {
            guard let text else { return nil }
            guard let value = ReplayTime.parse(text) else {
                throw ReplayError("--\(name) '\(text)' is not an ISO-8601 time; write e.g. 2026-12-06T05:00:00Z")
            }
            return value
        }
        let request = Replay.Request(
            store: from, since: try instant(since, "since"), until: try instant(until, "until"), centreFile: centre,
            explain: explain.map { ConversationID($0) }, listDecisions: decisions)
        let report = try Replay.run(request)
        if let chart {
            do {
                try ReplayChart.svg(report).write(toFile: chart, atomically: true, encoding: .utf8)
            } catch {
                throw ReplayError("cannot write the chart to \(chart) (\(error.localizedDescription))")
            }
        }
        print(json ? report.json() : report.table())
    }
}
