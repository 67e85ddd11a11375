import Foundation

/// The page author's files (`Web/`: HTML shells, CSS, scripts), read once at start from the
/// target's resources.
public struct WebFiles: Sendable {
    private let files: [String: [UInt8]]

    /// Reads every file of `directory` (default: the bundled `Web/`).
    public init(directory: String? = nil) throws {
        let path = directory ?? Bundle.module.url(forResource: "Web", withExtension: nil)?.path
        guard let path else {
            throw GatewayError("internal", "the gateway's Web/ resources are missing from this build")
        }
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) where Self.isServable(name) {
            if let data = FileManager.default.contents(atPath: "\(path)/\(name)") { files[name] = Array(data) }
        }
        self.files = files
    }

    public func bytes(_ name: String) -> [UInt8]? { files[name] }

    public func text(_ name: String) -> String? { files[name].map { String(decoding: $0, as: UTF8.self) } }

    /// Names made only of letters, digits, `-`, `_` and one `.extension` (no paths).
    public static func isServable(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 100, !name.hasPrefix("."), !name.contains("..") else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// The content type of a static file, or nil for a kind the gateway does not serve as static.
    public static func contentType(_ name: String) -> String? {
        let types = [
            "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml",
            "png": "image/png", "ico": "image/x-icon", "woff2": "font/woff2", "json": "application/json",
        ]
        guard let dot = name.lastIndex(of: ".") else { return nil }
        return types[String(name[name.index(after: dot)...])]
    }
}
