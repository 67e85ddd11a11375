internal import Foundation

/// Saves a trained ``LanguageDetector`` beside the intent models and loads it back, so that a
/// process that restarts does not read the whole example set again to learn each language.
///
/// Layout: magic `SBLANGDT`, format version (UInt32), fingerprint (UInt64) of the files the
/// detector was trained from, payload length (UInt64), then the detector as JSON. A file is used
/// only when every part checks: anything else (another fingerprint, a truncated or corrupt file)
/// is reported and the detector is trained again and the file rewritten.
public enum LanguageDetectorStore {
    /// Bumped whenever the detector's training or the layout changes meaning.
    public static let formatVersion: UInt32 = 1
    private static let magic = Array("SBLANGDT".utf8)

    /// A digest of each language's sample text and examples file (bytes, by tag), the function
    /// words and the format version.
    static func fingerprint(
        of sources: [(language: String, sample: Data, examples: Data)], functionWords: [String: Set<String>]
    ) -> UInt64 {
        var hash = StableHash()
        hash.combine("language-detector")
        hash.combine(UInt64(formatVersion))
        for source in sources.sorted(by: { $0.language < $1.language }) {
            hash.combine(source.language)
            hash.combine(UInt64(source.sample.count))
            hash.combine(source.sample)
            hash.combine(UInt64(source.examples.count))
            hash.combine(source.examples)
            for word in (functionWords[source.language] ?? []).sorted() { hash.combine(word) }
        }
        return hash.value
    }

    /// Writes `detector` to `path`, replacing any file there in one step.
    public static func save(_ detector: LanguageDetector, fingerprint: UInt64, path: String) throws(AssistError) {
        let payload: Data
        do {
            payload = try JSONEncoder().encode(detector)
        } catch {
            throw .unwritableFile(path: path, reason: "cannot encode the language detector: \(error)")
        }
        var data = Data(magic)
        withUnsafeBytes(of: formatVersion.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: fingerprint.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(payload)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritableFile(path: path, reason: error.localizedDescription)
        }
    }

    /// The detector saved at `path` when it was trained from the files `fingerprint` digests; the
    /// error says why not otherwise.
    public static func load(path: String, fingerprint: UInt64) -> Result<LanguageDetector, AssistError> {
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(.staleModel(path: path, reason: "no cache file yet"))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return .failure(.unreadableFile(path: path, reason: error.localizedDescription))
        }
        let bytes = [UInt8](data)
        let headerCount = magic.count + 4 + 8 + 8
        guard bytes.count >= headerCount, Array(bytes[0..<magic.count]) == magic else {
            return .failure(.staleModel(path: path, reason: "it is not a Switchboard language detector"))
        }
        func scalar<Scalar: FixedWidthInteger>(at offset: Int, as: Scalar.Type) -> Scalar {
            var value: Scalar = 0
            for index in 0..<MemoryLayout<Scalar>.size {
                value |= Scalar(bytes[offset + index]) << (8 * index)
            }
            return value
        }
        guard scalar(at: magic.count, as: UInt32.self) == formatVersion else {
            return .failure(.staleModel(path: path, reason: "it was written by another format version"))
        }
        guard scalar(at: magic.count + 4, as: UInt64.self) == fingerprint else {
            return .failure(.staleModel(path: path, reason: "it was trained from other files"))
        }
        let length = scalar(at: magic.count + 12, as: UInt64.self)
        guard length == UInt64(bytes.count - headerCount) else {
            return .failure(
                .staleModel(path: path, reason: "its size does not match its header (truncated or corrupt)"))
        }
        guard let detector = try? JSONDecoder().decode(LanguageDetector.self, from: Data(bytes[headerCount...])),
            detector.languages.count >= 2
        else {
            return .failure(.staleModel(path: path, reason: "its contents cannot be read (corrupt)"))
        }
        return .success(detector)
    }
}
