import Foundation
import SwitchboardBus
import SwitchboardProcesses
import SwitchboardTopology
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every process's management endpoint under simulated load: the figures agree with what the
/// simulator and the bus saw, each page is valid Prometheus text (by `promtool check metrics`),
/// and health and readiness answer.
@Suite("Metrics and health of every process", .serialized)
struct MetricsProcessTests {
    @Test("scraped under simulated load, the figures agree with the simulator's counts and promtool accepts them")
    func scrapedUnderLoad() async throws {
        let system = try await SystemHarness(metrics: true)
        do {
            for service in SystemHarness.busServices {
                let endpoint = try #require(system.topology.service(service)?.metrics)
                let ready = await eventually { (try? await Self.get(endpoint, "/readyz"))?.status == 200 }
                let last = try? await Self.get(endpoint, "/readyz")
                #expect(ready, "\(service) /readyz: \(String(describing: last))")
                #expect(try await Self.get(endpoint, "/healthz").status == 200)
            }
            let summary = try await SimulationProcessTests.simulate(system, arguments: ["--rate", "3", "--seed", "7"])
            let opened = try #require(summary["opened"]?.intValue)
            #expect(opened > 0 && summary["openFailed"] == 0, "\(summary.text)")

            // The router: every open the simulator saw acknowledged is one new command answered ok.
            let router = try await Self.scrape(system, .router)
            #expect(
                router.value("switchboard_commands_total", ["type": "conversation.open", "outcome": "ok"])
                    == Double(opened))
            let commands = router.sum("switchboard_commands_total")
            #expect(router.value("switchboard_command_duration_seconds_count") == commands)
            #expect((router.value("switchboard_commit_duration_seconds_count") ?? 0) > 0)
            // Assignments: the router's decisions, its queues' counters and the bus agree.
            let assignedEvents = system.recorder.all.filter {
                $0.service == .router && $0.type == "conversation.assigned"
            }.count
            #expect(assignedEvents > 0)
            #expect(router.sum("switchboard_routing_decisions_total", ["kind": "assigned"]) == Double(assignedEvents))
            #expect(router.sum("switchboard_queue_assigned_total") == Double(assignedEvents))
            let routerEvents = system.recorder.all.filter { $0.service == .router && !$0.type.hasSuffix("hugz") }
            #expect(router.value("switchboard_events_published_total") == Double(routerEvents.count))
            #expect(router.value("switchboard_outbox_depth_events") == 0)
            #expect(router.value("switchboard_following_live", ["source": "presence"]) == 1)
            #expect((router.value("switchboard_snapshot_requests_total") ?? 0) >= 1, "the harness asked for one")

            // The followers see the router live; the desk answered the agents' commands.
            let desk = try await Self.scrape(system, .desk)
            #expect(desk.value("switchboard_following_live", ["source": "router"]) == 1)
            #expect(desk.sum("switchboard_commands_total", ["outcome": "ok"]) > 0)
            let summariser = try await Self.scrape(system, .summariser)
            #expect(summariser.value("switchboard_following_live", ["source": "router"]) == 1)
            #expect((summariser.value("switchboard_events_published_total") ?? 0) > 0)
            let monitor = try await Self.scrape(system, .monitor)
            for source in ["router", "presence", "desk", "summariser"] {
                #expect(monitor.value("switchboard_following_live", ["source": source]) == 1, "\(source)")
            }
            _ = try await Self.scrape(system, .presence)

            // `up` on the host: every service up, none restarted.
            let host = try #require(system.topology.hosts["local"]?.metrics)
            let up = try await Self.get(host, "/metrics")
            try await Self.checkWithPromtool(up.body, name: "up")
            let upPage = MetricsPage(up.body)
            for service in SystemHarness.busServices {
                #expect(upPage.value("switchboard_service_up", ["service": service.rawValue]) == 1, "\(service)")
            }
            #expect(upPage.sum("switchboard_service_restarts_total") == 0)
            #expect(try await Self.get(host, "/readyz").status == 200)
        } catch {
            await system.stop()
            throw error
        }
        await system.stop()
    }

    /// `/metrics` of `service`, checked by promtool, parsed.
    static func scrape(_ system: SystemHarness, _ service: ServiceName) async throws -> MetricsPage {
        let endpoint = try #require(system.topology.service(service)?.metrics)
        let page = try await get(endpoint, "/metrics")
        #expect(page.status == 200)
        try await checkWithPromtool(page.body, name: service.rawValue)
        return MetricsPage(page.body)
    }

    /// `promtool check metrics` reads the page from standard input; lint findings are failures too.
    static func checkWithPromtool(_ page: String, name: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-metrics-\(UUID().uuidString)")
        try page.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let child = try await ChildProcess(
            name: "promtool", executable: "/bin/sh", arguments: ["-c", "promtool check metrics < '\(file.path)' 2>&1"])
        var output: [String] = []
        for await line in child.lines { output.append(line) }
        let status = await child.waitForExit()
        #expect(status == 0, "promtool on the \(name)'s page: \(output.joined(separator: "\n"))")
    }

    static func get(_ endpoint: String, _ path: String) async throws -> (status: Int, body: String) {
        let address = endpoint.replacingOccurrences(of: "tcp://", with: "http://")
        let url = try #require(URL(string: address + path))
        var request = URLRequest(url: url)
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}

/// A page of Prometheus text: each sample's name, labels and value.
struct MetricsPage {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let samples: [Sample]

    init(_ text: String) {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = String(series[..<open])
                let inside = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in inside.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        self.samples = samples
    }

    func matching(_ name: String, _ labels: [String: String]) -> [Sample] {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }
    }

    /// The one sample of `name` whose labels include `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = matching(name, labels)
        return found.count == 1 ? found[0].value : nil
    }

    /// The sum over every sample of `name` whose labels include `labels`.
    func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        matching(name, labels).reduce(0) { $0 + $1.value }
    }
}
