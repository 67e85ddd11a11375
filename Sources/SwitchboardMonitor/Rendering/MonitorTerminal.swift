public import Foundation
import Glibc
public import SwitchboardBus
import UnixSignals

/// The monitor's view on a terminal: printed once, or redrawn every second from the monitor's
/// stream (`switchboard monitor --once / --watch`, and the demo's screen).
public enum MonitorTerminal {
    /// The size of the terminal on standard output (24×80 when it cannot be read).
    public struct Size: Sendable, Equatable {
        public var rows: Int
        public var columns: Int
    }

    public static var size: Size {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return Size(rows: 24, columns: 80)
        }
        return Size(rows: Int(size.ws_row), columns: Int(size.ws_col))
    }

    /// Whether standard output is a terminal.
    public static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// The view as text (coloured when `ansi`), or as JSON, for `--once`. When no monitor
    /// answered, `note` receives the reason the view was computed from the snapshots instead.
    public static func once(
        _ client: MonitorViewClient, json: Bool, ansi: Bool, note: (String) -> Void
    ) async throws -> String {
        let (document, origin) = try await client.fetch()
        if case .computedLocally(let reason) = origin {
            note(
                "no answer from the monitor (\(reason)); this view was computed from the services' snapshots, "
                    + "without interventions")
        }
        if json { return document.text }
        var renderer = MonitorRenderer()
        renderer.ansi = ansi
        return renderer.render(document)
    }

    /// Redraws the view every second until `seconds` have passed, SIGINT or SIGTERM arrives, or
    /// the task is cancelled. On a terminal each frame replaces the last (the cursor hidden
    /// meanwhile); otherwise frames follow each other. `frame` turns a view into the text.
    public static func redraw(
        _ client: MonitorViewClient, seconds: Double?, terminal: Bool,
        frame: @escaping @Sendable (_ document: JSON, _ status: SourceStatus, _ size: Size) -> String
    ) async throws {
        let output = FileHandle.standardOutput
        if terminal { output.write(Data("\u{1B}[?25l".utf8)) }  // hide the cursor while redrawing
        defer { if terminal { output.write(Data("\u{1B}[?25h".utf8)) } }
        let watching = Task {
            try await client.watch(seconds: seconds) { document, status in
                let text = frame(document, status, size)
                output.write(Data((terminal ? "\u{1B}[H\u{1B}[2J" + text + "\n" : text + "\n\n").utf8))
            }
        }
        let signals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                watching.cancel()
                return
            }
        }
        defer { signals.cancel() }
        try await withTaskCancellationHandler {
            try await watching.value
        } onCancel: {
            watching.cancel()
        }
    }

    /// `switchboard monitor --watch`: the renderer sized to the terminal, with a line when the
    /// monitor is down.
    public static func watch(_ client: MonitorViewClient, seconds: Double?, plain: Bool) async throws {
        let terminal = isTerminal
        let ansi = !plain && terminal
        try await redraw(client, seconds: seconds, terminal: terminal) { document, status, size in
            var renderer = MonitorRenderer()
            renderer.ansi = ansi
            renderer.width = terminal ? size.columns : nil
            renderer.agentLinesMax = terminal ? max(5, size.rows / 3) : nil
            renderer.conversationLinesMax = terminal ? max(5, size.rows / 5) : 40
            let view = renderer.render(document)
            guard status.isDown else { return view }
            return "monitor \(status.name): showing what it last published (is `switchboard up` running?)\n" + view
        }
    }
}
