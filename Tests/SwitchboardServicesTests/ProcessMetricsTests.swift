import Logging
import SwitchboardBus
import SwitchboardServiceKit
import Testing

@Suite("A process's metrics page")
struct ProcessMetricsTests {
    func page(_ metrics: ProcessMetrics) -> String { String(decoding: metrics.render(), as: UTF8.self) }

    @Test("commands are counted by type and outcome, with their latency")
    func commands() {
        let metrics = ProcessMetrics()
        metrics.handled(type: "conversation.open", outcome: .ok(["conversationId": "c-1"]), seconds: 0.002)
        metrics.handled(type: "conversation.open", outcome: .ok(["conversationId": "c-2"]), seconds: 0.004)
        metrics.handled(
            type: "agent.remove", outcome: .failed(CommandFailure(code: .forbidden, message: "no")), seconds: 0.001)
        let text = page(metrics)
        #expect(text.contains(#"switchboard_commands_total{type="conversation.open",outcome="ok"} 2"#), "\(text)")
        #expect(text.contains(#"switchboard_commands_total{type="agent.remove",outcome="forbidden"} 1"#))
        #expect(text.contains("switchboard_command_duration_seconds_count 3"))
        #expect(text.contains("# TYPE switchboard_commands_total counter"))
    }

    @Test("a running total read at each scrape grows the counter by what was added; gauges not set again leave")
    func pulledFigures() {
        let metrics = ProcessMetrics()
        let total = Locked(5)
        let queues = Locked(["q-1", "q-2"])
        metrics.addCollector { metrics in
            metrics.counter("events_published", help: "Events.", value: total.value)
            for queue in queues.value {
                metrics.gauge(
                    "queue_waiting", unit: "conversations", help: "Waiting.", labels: [("queue", queue)], value: 3)
            }
        }
        #expect(page(metrics).contains("switchboard_events_published_total 5"))
        total.withLock { $0 = 12 }
        queues.withLock { $0 = ["q-2"] }
        let text = page(metrics)
        #expect(text.contains("switchboard_events_published_total 12"), "\(text)")
        #expect(text.contains(#"switchboard_queue_waiting_conversations{queue="q-2"} 3"#))
        #expect(!text.contains(#"queue="q-1""#), "a queue no longer set is gone: \(text)")
        // A total that went down (a part started over) adds nothing and takes nothing away.
        total.withLock { $0 = 4 }
        #expect(page(metrics).contains("switchboard_events_published_total 12"))
    }

    @Test("readiness lists every failing check, and nothing when all pass")
    func readiness() async {
        let readiness = Readiness()
        let live = Locked(false)
        readiness.add("store") { nil }
        readiness.add("following router") { live.value ? nil : "not live yet" }
        #expect(await readiness.problems() == ["following router: not live yet"])
        live.withLock { $0 = true }
        #expect(await readiness.problems().isEmpty)
    }

    @Test("a metrics endpoint that is not tcp://HOST:PORT is refused naming it")
    func badEndpoint() {
        let metrics = ProcessMetrics()
        #expect(throws: RuntimeError.self) {
            try ManagementServer(
                endpoint: "http://127.0.0.1:9", metrics: metrics, readiness: Readiness(), logger: .init(label: "t"))
        }
    }
}
