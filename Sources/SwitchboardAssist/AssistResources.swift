public import Foundation

/// Finds the library's data files: the shipped example set, knowledge base and intent catalogue.
///
/// The files live in `Sources/SwitchboardAssist/Resources/`, which the package copies next to
/// every binary it builds (`switchboard_SwitchboardAssist.resources/Resources/`). The folder is
/// searched for here rather than through the generated `Bundle.module`, which stops the process
/// when the bundle is missing (a binary copied elsewhere); a missing file is an error value instead.
/// Search order: an explicit folder, the `SWITCHBOARD_ASSIST_RESOURCES` environment variable, the
/// bundle beside the running binary, then the source folder this file was compiled from.
public struct AssistResources: Sendable, Equatable {
    /// The environment variable that names the resources folder.
    public static let environmentVariable = "SWITCHBOARD_ASSIST_RESOURCES"
    /// File names inside the folder.
    public static let examplesFileName = "examples.csv"
    public static let knowledgeBaseFileName = "knowledge-base.json"
    public static let intentCatalogFileName = "intents.json"

    /// The folder that holds the files.
    public let folder: URL

    /// The resources folder, searched as the type describes.
    public static func locate(
        folder explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AssistError) -> AssistResources {
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            candidates.append(URL(fileURLWithPath: fromEnvironment))
        }
        let binaryFolder = Bundle.main.executableURL?.deletingLastPathComponent() ?? Bundle.main.bundleURL
        for bundleName in ["switchboard_SwitchboardAssist.resources", "switchboard_SwitchboardAssist.bundle"] {
            candidates.append(binaryFolder.appendingPathComponent(bundleName).appendingPathComponent("Resources"))
            candidates.append(
                binaryFolder.appendingPathComponent(bundleName).appendingPathComponent("Contents/Resources/Resources"))
        }
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources"))
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(intentCatalogFileName).path) {
            return AssistResources(folder: candidate)
        }
        throw .resourceNotFound(name: intentCatalogFileName, searched: candidates.map(\.path))
    }

    /// The full path of `fileName` in the folder.
    public func path(of fileName: String) -> String { folder.appendingPathComponent(fileName).path }

    /// Reads `fileName` from the folder.
    public func data(of fileName: String) throws(AssistError) -> Data {
        let path = path(of: fileName)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
    }
}
