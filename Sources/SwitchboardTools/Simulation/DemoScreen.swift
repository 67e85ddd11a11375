/// The demo's live terminal screen: the supervisor's view from the monitor on top, and under
/// it the latest routing decisions with their reasons, redrawn every second.
public struct DemoScreen: Sendable {
    /// Feed lines kept for the bottom of the screen.
    public let feedLinesMax: Int
    private var recent: [String] = []
    /// The demo's last status line (what it is doing).
    public private(set) var status = ""
    /// Lines kept under the header the whole run (where people open the pages).
    public var pinned: [String] = []

    public init(feedLinesMax: Int) {
        self.feedLinesMax = max(1, feedLinesMax)
    }

    /// A line of the live feed (an assignment, a customer who left, totals).
    public mutating func append(_ line: String) {
        recent.append(line)
        if recent.count > feedLinesMax { recent.removeFirst(recent.count - feedLinesMax) }
    }

    public mutating func setStatus(_ line: String) {
        status = line
    }

    /// The whole screen: `header`, the monitor's rendered view (or a word on why there is none
    /// yet; it is laid out to the width by its own renderer), then the latest decisions. Our
    /// own lines are cut to `width` when given.
    public func frame(header: String, monitorView: String?, width: Int?) -> String {
        func cut(_ line: String) -> String {
            guard let width, width > 1, line.count > width else { return line }
            return String(line.prefix(width - 1)) + "…"
        }
        var lines = [cut(header)] + pinned.map(cut)
        if !status.isEmpty { lines.append(cut(status)) }
        lines.append("")
        lines.append(monitorView ?? "(waiting for the monitor's view…)")
        lines.append("")
        lines.append(cut("Latest decisions"))
        lines.append(contentsOf: recent.map(cut))
        return lines.joined(separator: "\n")
    }
}
