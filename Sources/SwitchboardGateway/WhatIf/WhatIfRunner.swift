import Foundation
public import Logging
import SwitchboardBus
import SwitchboardProcesses

/// Runs what-if replays: `switchboard replay … --json` as a child process of the running binary
/// (the gateway links no router code), one at a time and within a time limit. A changed centre
/// goes to a temporary file that is removed afterwards.
public actor WhatIfRunner {
    /// What a replay came to.
    public enum Outcome: Sendable, Equatable {
        /// The replay's JSON report, as it printed it.
        case report(String)
        /// The replay refused or failed: its own words (a bad centre names its line).
        case failed(String)
        /// It ran past the time limit and was stopped.
        case timedOut
        /// Another replay is running.
        case busy
        /// It could not be started.
        case notStarted(String)
    }

    let executable: String
    public let timeLimitSeconds: Double
    let logger: Logger
    private var running = false

    /// The most a replay may print; more is cut off (and then is no JSON, which is reported).
    static let outputBytesMax = 16 << 20
    /// The most of its standard error passed on to the page.
    static let errorCharactersMax = 4_000

    /// `executable`: the `switchboard` binary to run (nil: the one running now).
    public init(executable: String? = nil, timeLimitSeconds: Double = 60, logger: Logger) {
        self.executable = executable ?? ChildProcess.currentExecutable
        self.timeLimitSeconds = timeLimitSeconds
        self.logger = logger
    }

    /// Replays `request` against the router's store at `store`. A changed centre is written as
    /// `centreName` in a fresh temporary folder, and the folder's path is taken out of the
    /// replay's messages, so that they name the file as the supervisor knows it.
    public func run(_ request: WhatIfRequest, store: String, centreName: String) async -> Outcome {
        guard !running else { return .busy }
        running = true
        defer { running = false }
        var folder: String?
        var centreFile: String?
        if let centre = request.centre {
            let written = await FileWork.run { Self.writeCentre(centre, name: centreName) }
            switch written {
            case .success(let path):
                centreFile = path
                folder = (path as NSString).deletingLastPathComponent
            case .failure(let problem):
                return .notStarted(problem.message)
            }
        }
        let outcome = await replay(request.arguments(store: store, centreFile: centreFile))
        if let folder {
            await FileWork.run { try? FileManager.default.removeItem(atPath: folder) }
            if case .failed(let message) = outcome {
                return .failed(message.replacingOccurrences(of: folder + "/", with: ""))
            }
        }
        return outcome
    }

    private func replay(_ arguments: [String]) async -> Outcome {
        let child: ChildProcess
        do {
            child = try await ChildProcess(
                name: "whatif-replay", executable: executable, arguments: arguments, captureErrors: true)
        } catch {
            logger.error("the what-if replay could not start", metadata: ["error": "\(error)"])
            return .notStarted("\(error)")
        }
        logger.info("what-if replay started", metadata: ["pid": "\(child.pid)", "arguments": "\(arguments)"])
        async let output = Self.collect(child.lines, bytesMax: Self.outputBytesMax)
        async let errors = Self.collect(child.errorLines, bytesMax: Self.outputBytesMax)
        let status = await child.waitForExit(within: timeLimitSeconds)
        if status == nil { _ = await child.stop(graceSeconds: 2) }
        let (printed, said) = await (output, errors)
        guard let status else {
            logger.warning("the what-if replay ran past \(timeLimitSeconds) s and was stopped")
            return .timedOut
        }
        guard status == 0 else {
            return .failed(Self.message(said, status: status))
        }
        let text = printed.joined(separator: "\n")
        guard (try? JSON(parsing: text))?.objectValue != nil else {
            return .notStarted("the replay printed no JSON report (\(text.utf8.count) bytes of output)")
        }
        return .report(text)
    }

    /// The replay's standard error as one message: its `Error: ` prefix dropped, bounded.
    static func message(_ lines: [String], status: Int32) -> String {
        let text = lines.map { $0.hasPrefix("Error: ") ? String($0.dropFirst(7)) : $0 }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .joined(separator: "\n")
        guard !text.isEmpty else { return "the replay ended with status \(status) and said nothing" }
        return String(text.suffix(errorCharactersMax))
    }

    private static func collect(_ lines: AsyncStream<String>, bytesMax: Int) async -> [String] {
        var collected: [String] = []
        var bytes = 0
        for await line in lines where bytes < bytesMax {
            bytes += line.utf8.count + 1
            collected.append(line)
        }
        return collected
    }

    /// Writes the centre to `<temporary>/switchboard-whatif-<random>/<name>` (mode 0600).
    static func writeCentre(_ text: String, name: String) -> Result<String, WriteProblem> {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-whatif-\(UUID().uuidString)").path
        let path = "\(folder)/\(name)"
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else {
                try? FileManager.default.removeItem(atPath: folder)
                return .failure(WriteProblem(message: "cannot write the changed centre to \(path)"))
            }
        } catch {
            return .failure(WriteProblem(message: "cannot make a temporary folder for the changed centre: \(error)"))
        }
        return .success(path)
    }

    struct WriteProblem: Error {
        let message: String
    }
}
