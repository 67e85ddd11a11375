internal import Foundation

/// Reads a whole file, turning a failure into an error that names the path.
func readFile(_ path: String) throws(AssistError) -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw .unreadableFile(path: path, reason: error.localizedDescription)
    }
}

extension KnowledgeBase {
    /// Reads and parses the knowledge base file at `path`.
    public static func load(path: String) throws(AssistError) -> KnowledgeBase {
        try parse(json: try readFile(path), source: path)
    }
}

extension IntentCatalog {
    /// Reads and parses the intent catalogue file at `path`.
    public static func load(path: String) throws(AssistError) -> IntentCatalog {
        try parse(json: try readFile(path), source: path)
    }
}
