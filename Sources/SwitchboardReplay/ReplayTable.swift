import Foundation

/// The report as a person reads it in a terminal.
extension ReplayReport {
    public func table() -> String {
        var lines: [String] = []
        lines.append("Replay of \(window.since) to \(window.until), centre \(centre.changed ?? "as recorded")")
        lines.append(
            "\(conversations) conversations, \(inputs) inputs, replayed in \(replaySeconds) s "
                + "(\(Int(conversationsPerSecond)) conversations/s)")
        var reproduced = "Reproduction: \(equal(reproduction)) of \(reproduction.decisions) recorded decisions equal"
        if let first = reproduction.firstDivergence {
            reproduced += "; first divergence \(first.conversation) at \(first.at): recorded "
                + "\(first.recorded.map { "\($0.agent) (\($0.rule))" } ?? "none"), replayed "
                + "\(first.replayed.map { "\($0.agent) (\($0.rule))" } ?? "none")"
        }
        lines.append(reproduced)
        lines.append("Conversations that went differently: \(changedConversations)")
        lines.append("")
        lines.append(row(["queue", "run", "arrivals", "answered", "abandoned", "SL", "avg wait", "p90 wait", "sticky", "skill"]))
        for queue in queues {
            for (name, figures) in [("recorded", queue.recorded), ("replayed", queue.replayed)] {
                lines.append(
                    row([
                        queue.queue, name, "\(figures.arrivals)", "\(figures.answered)", "\(figures.abandoned)",
                        percent(figures.serviceLevel), seconds(figures.averageWaitSeconds),
                        seconds(figures.p90WaitSeconds), percent(figures.stickyShare), percent(figures.skillMatch),
                    ]))
            }
        }
        lines.append("")
        lines.append(row(["agent", "occupancy", "", "handled", ""]))
        lines.append(row(["", "recorded", "replayed", "recorded", "replayed"]))
        for agent in agents {
            lines.append(
                row([
                    agent.agent, percent(agent.recorded?.occupancy), percent(agent.replayed?.occupancy),
                    agent.recorded.map { "\($0.handled)" } ?? "-", agent.replayed.map { "\($0.handled)" } ?? "-",
                ]))
        }
        lines.append("")
        lines.append("Models (estimated from the recorded window):")
        for model in models.patience {
            let mean = model.meanSeconds.map { "exponential, mean \(format($0)) s" } ?? "nobody abandoned: never leaves"
            lines.append("  patience \(model.queue): \(mean) (\(model.abandoned) abandoned, \(model.answered) answered)")
        }
        for model in models.handling {
            lines.append(
                "  handling \(model.channel): mean \(format(model.meanSeconds)) s, load factor "
                    + "\(format(model.loadFactor)) per extra item, \(model.samples) samples")
        }
        for model in models.acceptDelay where model.agent == nil {
            lines.append("  accept delay \(model.channel): median \(format(model.medianSeconds)) s (\(model.samples))")
        }
        for model in models.wrapUp where model.agent == nil {
            lines.append("  wrap-up \(model.channel): median \(format(model.medianSeconds)) s (\(model.samples))")
        }
        if let explain {
            lines.append("")
            lines.append("Conversation \(explain.conversation):")
            for (name, side) in [("recorded", explain.recorded), ("replayed", explain.replayed)] {
                guard let side else {
                    lines.append("  \(name): not seen")
                    continue
                }
                lines.append(
                    "  \(name): \(side.outcome), agent \(side.agent ?? "-"), rule \(side.rule ?? "-"), waited "
                        + "\(seconds(side.waitSeconds)); \(side.reason ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func equal(_ reproduction: Reproduction) -> Int { reproduction.equal }

    private func row(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            let width = index == 0 ? 14 : 10
            return cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }

    private func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }

    private func seconds(_ value: Double?) -> String {
        value.map { String(format: "%.1f s", $0) } ?? "-"
    }

    private func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
