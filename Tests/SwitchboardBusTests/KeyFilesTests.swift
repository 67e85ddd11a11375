import Foundation
import Glibc
import SwitchboardBus
import Testing
import ZeroMQ

@Suite("CURVE key files")
struct KeyFilesTests {
    /// A fresh directory path (not created) under the system's temporary directory.
    func scratch() -> String {
        "\(NSTemporaryDirectory())switchboard-keys-\(getpid())-\(UInt64.random(in: 0..<UInt64.max))"
    }

    func mode(_ path: String) -> mode_t {
        var status = stat()
        _ = stat(path, &status)
        return status.st_mode & 0o777
    }

    @Test("generated keys read back: the pair from NAME.key, the public key from NAME.pub, with tight modes")
    func roundTrip() throws {
        let root = scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = "\(root)/keys"
        let pairs = try KeyFiles.generate(names: ["router", "desk"], directory: directory, force: false)
        #expect(mode(directory) == 0o700)
        for name in ["router", "desk"] {
            let pair = try #require(pairs[name])
            #expect(mode(KeyFiles.keyFile(name, in: directory)) == 0o600)
            #expect(mode(KeyFiles.publicFile(name, in: directory)) == 0o644)
            #expect(try KeyFiles.loadKeyPair(file: KeyFiles.keyFile(name, in: directory)) == pair)
            #expect(try KeyFiles.loadPublicKey(file: KeyFiles.publicFile(name, in: directory)) == pair.publicKey)
            let publicText = try String(contentsOfFile: KeyFiles.publicFile(name, in: directory), encoding: .utf8)
            #expect(!publicText.contains(pair.secretKey))
        }
        #expect(pairs["router"]?.publicKey != pairs["desk"]?.publicKey)
    }

    @Test("an existing key is not replaced without force, and is with it")
    func overwrite() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try KeyFiles.generate(names: ["router"], directory: directory, force: false)
        #expect(throws: KeyFileError.self) {
            try KeyFiles.generate(names: ["router"], directory: directory, force: false)
        }
        #expect(try KeyFiles.loadKeyPair(file: KeyFiles.keyFile("router", in: directory)) == first["router"])
        let second = try KeyFiles.generate(names: ["router"], directory: directory, force: true)
        #expect(second["router"] != first["router"])
        #expect(try KeyFiles.loadKeyPair(file: KeyFiles.keyFile("router", in: directory)) == second["router"])
    }

    @Test(
        "a key file that is missing, too open, not Z85 or of the wrong length is refused with the file and what to do")
    func refusals() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try KeyFiles.generate(names: ["router"], directory: directory, force: false)
        let file = KeyFiles.keyFile("router", in: directory)

        func refusal(_ body: () throws -> Void) -> String {
            do {
                try body()
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal { _ = try KeyFiles.loadKeyPair(file: "\(directory)/nobody.key") }.contains("keys generate"))
        #expect(refusal { _ = try KeyFiles.loadPublicKey(file: "\(directory)/nobody.pub") }.contains("nobody.pub"))

        chmod(file, 0o644)
        let open = refusal { _ = try KeyFiles.loadKeyPair(file: file) }
        #expect(open.hasPrefix(file) && open.contains("too open") && open.contains("chmod 600"))
        chmod(file, 0o600)

        let pair = try KeyFiles.loadKeyPair(file: file)
        func rewrite(secret: String) throws {
            try "public-key = \(pair.publicKey)\nsecret-key = \(secret)\n".write(
                toFile: file, atomically: false, encoding: .utf8)
            chmod(file, 0o600)
        }
        try rewrite(secret: String(pair.secretKey.dropLast(2)))
        #expect(refusal { _ = try KeyFiles.loadKeyPair(file: file) }.contains("38 characters"))
        try rewrite(secret: String(pair.secretKey.dropLast()) + "\"")
        #expect(refusal { _ = try KeyFiles.loadKeyPair(file: file) }.contains("not Z85"))
        try rewrite(secret: try CurveKeyPair.generate().secretKey)
        #expect(refusal { _ = try KeyFiles.loadKeyPair(file: file) }.contains("does not belong"))
        #expect(
            refusal { _ = try KeyFiles.generate(names: ["../escape"], directory: directory, force: false) }
                .contains("not a key name"))
    }
}

@Suite("Security settings from key files")
struct BusSecurityLoadingTests {
    @Test("a process's settings: its own pair, the allow-list of every principal, each server's key by endpoint")
    func load() throws {
        let directory = "\(NSTemporaryDirectory())switchboard-load-\(getpid())-\(UInt64.random(in: 0..<UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pairs = try KeyFiles.generate(names: ["router", "desk"], directory: directory, force: false)
        let operatorKey = try CurveKeyPair.generate().publicKey
        let security = try BusSecurity.load(
            ownKey: "desk", keysDirectory: directory,
            principals: ["router": "router", "desk": "desk", "anna": operatorKey],
            servers: ["tcp://127.0.0.1:7103": "router"])
        #expect(security.keys == pairs["desk"])
        #expect(security.allowList.principal(for: pairs["router"]!.publicKey) == "router")
        #expect(security.allowList.principal(for: operatorKey) == "anna")
        #expect(security.allowList.count == 3)
        #expect(security.serverPublicKeys == ["tcp://127.0.0.1:7103": pairs["router"]!.publicKey])
        #expect(throws: KeyFileError.self) {
            try BusSecurity.load(ownKey: "desk", keysDirectory: directory, principals: ["x": "missing"])
        }
        #expect(throws: KeyFileError.self) {
            try BusSecurity.load(
                ownKey: "desk", keysDirectory: directory, principals: ["desk": "desk"],
                servers: ["tcp://127.0.0.1:7103": "router"])
        }
    }
}
