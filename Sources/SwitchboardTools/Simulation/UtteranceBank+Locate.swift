import Foundation
public import SwitchboardAssist
import SwitchboardProcesses

extension UtteranceBank {
    /// The customers' openings for a run of the topology in `topologyFile`: `explicitPath`, else
    /// BANKING77 beside the repository (the one holding the topology file, the working
    /// directory, or the running binary's), else the shipped examples.
    public static func locate(topologyFile: String, explicitPath: String? = nil) throws(AssistError) -> UtteranceBank {
        let topologyFolder = URL(fileURLWithPath: topologyFile).standardizedFileURL.deletingLastPathComponent()
        // The binary sits in <repository>/.build/<configuration>/switchboard.
        let binaryFolder = URL(fileURLWithPath: ChildProcess.currentExecutable).deletingLastPathComponent()
        let repositories = [
            topologyFolder.deletingLastPathComponent().path, FileManager.default.currentDirectoryPath,
            binaryFolder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path,
        ]
        return try load(explicitPath: explicitPath, repositories: repositories)
    }
}
