import Prometheus
public import SwitchboardBus
import Synchronization

/// The figures one process serves at `/metrics`, in Prometheus's text format. Figures the
/// process's parts already count (events published, snapshot requests, resynchronisations,
/// outbox depth) are read at each scrape by the collectors registered here; the ones that
/// happen at a moment (a command answered, a commit) are recorded as they happen.
public final class ProcessMetrics: Sendable, CommandObserver {
    /// Every figure's name starts with it.
    public static let namespace = "switchboard"

    private let registry = PrometheusCollectorRegistry()
    private let commands = Mutex<[CommandKey: Counter]>([:])
    private let commandSeconds: ValueHistogram
    private let commitSeconds: ValueHistogram
    private let collectors = Mutex<[@Sendable (ProcessMetrics) -> Void]>([])
    /// Per counter (name and labels), the value last read by a collector.
    private let counted = Mutex<[FigureKey: Int]>([:])
    /// Gauges a collector set at the last scrape, so that one it no longer sets (a queue removed
    /// by a reload) leaves the page.
    private let gauges = Mutex<GaugeSet>(GaugeSet())
    /// One scrape at a time: a scrape decides which gauges are stale.
    private let scraping = Mutex(())

    private struct CommandKey: Hashable {
        let type: String
        let outcome: String
    }

    private struct FigureKey: Hashable {
        let name: String
        let labels: [String]
    }

    private struct GaugeSet {
        var live: [FigureKey: Gauge] = [:]
        var setThisScrape: Set<FigureKey> = []
    }

    /// Latency buckets in seconds, from a tenth of a millisecond to ten seconds.
    static let secondsBuckets: [Double] = [
        0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    public init() {
        commandSeconds = registry.makeValueHistogram(
            descriptor: Self.descriptor(
                "command_duration", unit: "seconds",
                help: "Seconds from taking a new command off the socket to sending its reply."),
            labels: [], buckets: Self.secondsBuckets)
        commitSeconds = registry.makeValueHistogram(
            descriptor: Self.descriptor(
                "commit_duration", unit: "seconds", help: "Seconds a transaction of the durable store took to commit."),
            labels: [], buckets: Self.secondsBuckets)
    }

    static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: namespace, metricName: name, unitName: unit, helpText: help)
    }

    // MARK: Recorded as it happens

    /// A new command answered: by type and outcome (`ok` or the failure's code), and its latency.
    public func handled(type: String, outcome: CommandOutcome, seconds: Double) {
        let outcomeName: String
        switch outcome {
        case .ok: outcomeName = "ok"
        case .failed(let failure): outcomeName = failure.code.rawValue
        }
        let key = CommandKey(type: type, outcome: outcomeName)
        let counter = commands.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.descriptor(
                    "commands", unit: "total",
                    help: "New commands answered, by type and outcome (ok or the error code)."),
                labels: [("type", type), ("outcome", outcomeName)])
            counters[key] = counter
            return counter
        }
        counter.increment()
        commandSeconds.record(seconds)
    }

    /// A commit of the durable store took `seconds` (wire it to `StoreConfiguration.commitObserver`).
    public func committed(seconds: Double) {
        commitSeconds.record(seconds)
    }

    /// Adds `amount` to a counter now (for figures counted where they happen, such as routing
    /// decisions). `name` is without the namespace and the `_total` suffix.
    public func count(_ name: String, help: String, labels: [(String, String)] = [], by amount: Int = 1) {
        guard amount > 0 else { return }
        registry.makeCounter(descriptor: Self.descriptor(name, unit: "total", help: help), labels: labels)
            .increment(by: Int64(amount))
    }

    // MARK: Read at each scrape

    /// Registers `collect`, called before every scrape to bring the pulled figures up to date
    /// (with `counter(_:help:labels:value:)` and `gauge(_:unit:help:labels:value:)`).
    public func addCollector(_ collect: @escaping @Sendable (ProcessMetrics) -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// Sets a counter to a running total its part keeps (only ever rising within a process):
    /// the counter grows by what was added since the last scrape.
    public func counter(_ name: String, help: String, labels: [(String, String)] = [], value: Int) {
        let key = FigureKey(name: name, labels: labels.flatMap { [$0.0, $0.1] })
        let added = counted.withLock { counted -> Int in
            let before = counted[key] ?? 0
            counted[key] = max(before, value)
            return value - before
        }
        let counter = registry.makeCounter(
            descriptor: Self.descriptor(name, unit: "total", help: help), labels: labels)
        if added > 0 { counter.increment(by: Int64(added)) }
    }

    /// Sets a gauge for this scrape; one not set again at the next scrape is removed.
    public func gauge(_ name: String, unit: String = "", help: String, labels: [(String, String)] = [], value: Double) {
        let key = FigureKey(name: "\(name)_\(unit)", labels: labels.flatMap { [$0.0, $0.1] })
        let gauge = gauges.withLock { set -> Gauge in
            set.setThisScrape.insert(key)
            if let gauge = set.live[key] { return gauge }
            let gauge = registry.makeGauge(descriptor: Self.descriptor(name, unit: unit, help: help), labels: labels)
            set.live[key] = gauge
            return gauge
        }
        gauge.set(value)
    }

    /// The page: collectors run, then every figure in Prometheus's text format.
    public func render() -> [UInt8] {
        scraping.withLock { _ in
            let collectors = self.collectors.withLock { $0 }
            gauges.withLock { $0.setThisScrape = [] }
            for collect in collectors { collect(self) }
            let stale = gauges.withLock { set -> [Gauge] in
                let gone = set.live.filter { !set.setThisScrape.contains($0.key) }
                for key in gone.keys { set.live[key] = nil }
                return Array(gone.values)
            }
            for gauge in stale { registry.unregisterGauge(gauge) }
            return registry.emitToBuffer()
        }
    }
}
