import Foundation
import Testing

@testable import SwitchboardAssist

/// The other languages' intent models and the language detector, saved beside the main model so
/// that a restarted process loads them instead of training again, and never trusted blindly.
@Suite("Cached language packs")
struct LanguagePackCacheTests {
    func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assist-packs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    func detectorOrigin(_ loaded: AssistLanguagePacks.Loaded) -> String {
        loaded.origins.first { $0.hasPrefix("language detector") } ?? "none"
    }

    @Test("trained once, then loaded with the same detections and intents; a corrupt cache is trained again")
    func trainedOnceThenLoaded() throws {
        let resources = try Fixtures.resources.get()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try AssistLanguagePacks.load(from: resources, cacheFolder: folder)
        #expect(detectorOrigin(first).contains("trained"), "nothing cached yet: \(first.origins)")
        let detectorPath = "\(folder)/\(AssistLanguagePacks.detectorCacheFileName)"
        #expect(FileManager.default.fileExists(atPath: detectorPath))

        let second = try AssistLanguagePacks.load(from: resources, cacheFolder: folder)
        #expect(detectorOrigin(second) == "language detector: loaded", "\(second.origins)")
        #expect(second.origins.allSatisfy { $0.hasSuffix("loaded") }, "every model from the cache: \(second.origins)")
        #expect(second.detector == first.detector, "the loaded detector is the trained one")
        #expect(Set(second.assistants.keys) == Set(first.assistants.keys))
        for text in ["Mi tarjeta no ha llegado todavía", "Je voudrais annuler mon virement", "Wo ist meine Karte?"] {
            #expect(second.detector?.detect(text) == first.detector?.detect(text))
            for (language, assistant) in first.assistants {
                let loaded = try #require(second.assistants[language])
                #expect(loaded.classifier.probabilities(of: text) == assistant.classifier.probabilities(of: text))
            }
        }

        // A truncated file is refused and the detector trained again and written anew.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: detectorPath))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: detectorPath))
        let third = try AssistLanguagePacks.load(from: resources, cacheFolder: folder)
        #expect(detectorOrigin(third).contains("trained"), "\(third.origins)")
        #expect(detectorOrigin(third).contains("truncated or corrupt"), "\(third.origins)")
        #expect(third.detector == first.detector)
        let fourth = try AssistLanguagePacks.load(from: resources, cacheFolder: folder)
        #expect(detectorOrigin(fourth) == "language detector: loaded", "rewritten after the corrupt one")
    }

    @Test("a detector saved from other files, or with damaged contents, is refused with the reason")
    func staleOrCorruptDetectorIsRefused() throws {
        let resources = try Fixtures.resources.get()
        var samples: [String: String] = [:]
        for language in ["en", "es"] {
            let path = resources.path(of: "\(AssistLanguagePacks.samplesFolderName)/\(language).txt")
            samples[language] = try String(contentsOfFile: path, encoding: .utf8)
        }
        let detector = try LanguageDetector.train(samples: samples)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/detector.bin"
        try LanguageDetectorStore.save(detector, fingerprint: 42, path: path)
        #expect(try LanguageDetectorStore.load(path: path, fingerprint: 42).get() == detector)

        guard case .failure(let stale) = LanguageDetectorStore.load(path: path, fingerprint: 43) else {
            Issue.record("a detector of other files was loaded")
            return
        }
        #expect(stale.description.contains("trained from other files"), "\(stale)")

        // Same length, damaged payload: the JSON no longer reads.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for index in (bytes.count - 40)..<bytes.count { bytes[index] = 0x7b }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case .failure(let corrupt) = LanguageDetectorStore.load(path: path, fingerprint: 42) else {
            Issue.record("a damaged detector was loaded")
            return
        }
        #expect(corrupt.description.contains("corrupt"), "\(corrupt)")

        guard case .failure(let missing) = LanguageDetectorStore.load(path: "\(folder)/absent.bin", fingerprint: 42)
        else {
            Issue.record("a missing file was loaded")
            return
        }
        #expect(missing.description.contains("no cache file yet"), "\(missing)")
    }
}
