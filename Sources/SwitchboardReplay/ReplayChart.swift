import Foundation

/// The report's hourly figures as an SVG: per queue, service level by hour and average wait by
/// hour, recorded (solid) against replayed (dashed), with axes, labels and a legend.
public enum ReplayChart {
    static let panelWidth = 460.0
    static let panelHeight = 230.0
    static let margin = (left: 60.0, right: 20.0, top: 36.0, bottom: 44.0)

    public static func svg(_ report: ReplayReport) -> String {
        let queues = Array(Set(report.hourly.map(\.queue))).sorted()
        let hours = Array(Set(report.hourly.map(\.hour))).sorted()
        let width = panelWidth * 2
        let height = 60 + panelHeight * Double(max(queues.count, 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="20" font-size="14" font-weight="bold">\(escape(title(report)))</text>
            <line x1="\(Int(width) - 260)" y1="16" x2="\(Int(width) - 230)" y2="16" stroke="#1f5fa8" stroke-width="2"/>
            <text x="\(Int(width) - 225)" y="20">recorded</text>
            <line x1="\(Int(width) - 150)" y1="16" x2="\(Int(width) - 120)" y2="16" stroke="#d0582a" \
            stroke-width="2" stroke-dasharray="5,3"/>
            <text x="\(Int(width) - 115)" y="20">replayed</text>

            """
        for (row, queue) in queues.enumerated() {
            let rows = report.hourly.filter { $0.queue == queue }
            let top = 40 + panelHeight * Double(row)
            let levels = hours.map { hour in rows.first { $0.hour == hour } }
            svg += panel(
                x: 0, y: top, title: "\(queue): service level by hour", hours: hours,
                recorded: levels.map { $0?.recorded.serviceLevel.map { $0 * 100 } },
                replayed: levels.map { $0?.replayed.serviceLevel.map { $0 * 100 } }, unit: "%", fixedMax: 100)
            svg += panel(
                x: panelWidth, y: top, title: "\(queue): average wait by hour", hours: hours,
                recorded: levels.map { $0?.recorded.averageWaitSeconds },
                replayed: levels.map { $0?.replayed.averageWaitSeconds }, unit: "s", fixedMax: nil)
        }
        return svg + "</svg>\n"
    }

    private static func title(_ report: ReplayReport) -> String {
        "Replay \(report.window.since) to \(report.window.until): " + (report.centre.changed.map { "with \($0)" }
            ?? "centre as recorded")
    }

    private static func panel(
        x: Double, y: Double, title: String, hours: [String], recorded: [Double?], replayed: [Double?], unit: String,
        fixedMax: Double?
    ) -> String {
        let left = x + margin.left
        let right = x + panelWidth - margin.right
        let top = y + margin.top
        let bottom = y + panelHeight - margin.bottom
        let values = (recorded + replayed).compactMap { $0 }
        let maxValue = fixedMax ?? niceMax(values.max() ?? 1)
        func px(_ index: Int) -> Double {
            hours.count <= 1 ? (left + right) / 2 : left + (right - left) * Double(index) / Double(hours.count - 1)
        }
        func py(_ value: Double) -> Double { bottom - (bottom - top) * min(value, maxValue) / maxValue }
        var out = "<g>\n<text x=\"\(f(left))\" y=\"\(f(y + 22))\" font-weight=\"bold\">\(escape(title))</text>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(right))\" y2=\"\(f(bottom))\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(bottom))\" stroke=\"black\"/>\n"
        for step in 0...4 {
            let value = maxValue * Double(step) / 4
            let level = py(value)
            out += "<line x1=\"\(f(left))\" y1=\"\(f(level))\" x2=\"\(f(right))\" y2=\"\(f(level))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(level + 4))\" text-anchor=\"end\">\(f(value))\(unit)</text>\n"
        }
        let labelEvery = max(1, hours.count / 6)
        for (index, hour) in hours.enumerated() where index % labelEvery == 0 {
            let label = String(hour.dropFirst(11).prefix(5))
            out += "<text x=\"\(f(px(index)))\" y=\"\(f(bottom + 16))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(bottom + 34))\" text-anchor=\"middle\">hour (UTC)</text>\n"
        out += line(recorded, px: px, py: py, colour: "#1f5fa8", dashed: false)
        out += line(replayed, px: px, py: py, colour: "#d0582a", dashed: true)
        return out + "</g>\n"
    }

    private static func line(
        _ values: [Double?], px: (Int) -> Double, py: (Double) -> Double, colour: String, dashed: Bool
    ) -> String {
        let points = values.enumerated().compactMap { index, value in value.map { (px(index), py($0)) } }
        guard !points.isEmpty else { return "" }
        let dash = dashed ? " stroke-dasharray=\"5,3\"" : ""
        var out = "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) points=\""
        out += points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
        for point in points {
            out += "<circle cx=\"\(f(point.0))\" cy=\"\(f(point.1))\" r=\"2.5\" fill=\"\(colour)\"/>\n"
        }
        return out
    }

    private static func niceMax(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    private static func f(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
