import Foundation
import Glibc
public import ZeroMQ

/// CURVE key files: `NAME.key` (public and secret key, mode 0600) and `NAME.pub` (the public
/// key alone, to hand to peers), both Z85 text, in a directory of mode 0700:
///
///     # Switchboard CURVE key pair of router. Secret: keep this file mode 0600.
///     public-key = rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7
///     secret-key = JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6
public enum KeyFiles {
    /// The file of `name`'s key pair in `directory`.
    public static func keyFile(_ name: String, in directory: String) -> String { "\(directory)/\(name).key" }
    /// The file of `name`'s public key in `directory`.
    public static func publicFile(_ name: String, in directory: String) -> String { "\(directory)/\(name).pub" }

    /// A key name: letters, digits, `.`, `_`, `-`, not starting with `.`, at most 64 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) || "._-".unicodeScalars.contains(scalar)
        }
    }

    /// Generates a key pair for each name and writes `NAME.key` and `NAME.pub` into `directory`
    /// (created with mode 0700 when missing). Refuses to replace an existing key unless `force`;
    /// nothing is written when any name is refused.
    public static func generate(names: [String], directory: String, force: Bool) throws(KeyFileError)
        -> [String: CurveKeyPair]
    {
        guard !names.isEmpty else { throw KeyFileError(file: directory, problem: "name at least one key to generate") }
        for name in names {
            guard isValidName(name) else {
                throw KeyFileError(
                    file: keyFile(name, in: directory),
                    problem: "'\(name)' is not a key name; use letters, digits, '.', '_' and '-' (e.g. router)")
            }
            if !force {
                for file in [keyFile(name, in: directory), publicFile(name, in: directory)] where exists(file) {
                    throw KeyFileError(
                        file: file,
                        problem: "a key is already there; pass --force to replace it (peers holding the old public "
                            + "key will then be refused)")
                }
            }
        }
        if Set(names).count != names.count {
            throw KeyFileError(file: directory, problem: "a name is given twice; name each key once")
        }
        try makeDirectory(directory)
        var pairs: [String: CurveKeyPair] = [:]
        for name in names {
            let pair: CurveKeyPair
            do {
                pair = try CurveKeyPair.generate()
            } catch {
                throw KeyFileError(file: keyFile(name, in: directory), problem: error.description)
            }
            try write(pair, name: name, directory: directory)
            pairs[name] = pair
        }
        return pairs
    }

    /// Writes `pair` as `NAME.key` (mode 0600) and `NAME.pub` (mode 0644), replacing them.
    public static func write(_ pair: CurveKeyPair, name: String, directory: String) throws(KeyFileError) {
        let secret = """
            # Switchboard CURVE key pair of \(name). Secret: keep this file mode 0600.
            public-key = \(pair.publicKey)
            secret-key = \(pair.secretKey)

            """
        let publicText = """
            # Switchboard CURVE public key of \(name): give it to the peers that must trust \(name).
            public-key = \(pair.publicKey)

            """
        try writeFile(keyFile(name, in: directory), secret, mode: 0o600)
        try writeFile(publicFile(name, in: directory), publicText, mode: 0o644)
    }

    /// Reads a key pair (`NAME.key`), refusing a file that group or others may read or write.
    public static func loadKeyPair(file: String) throws(KeyFileError) -> CurveKeyPair {
        var status = stat()
        guard stat(file, &status) == 0 else {
            throw KeyFileError(
                file: file, problem: "no key file here; create it with `switchboard keys generate NAME --dir DIR`")
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw KeyFileError(
                file: file,
                problem: "the file's mode \(String(mode, radix: 8)) is too open for a secret key; run chmod 600 \(file)"
            )
        }
        let fields = try readFields(file)
        guard let publicKey = fields["public-key"] else {
            throw KeyFileError(file: file, problem: "no 'public-key = …' line; generate the key again")
        }
        guard let secretKey = fields["secret-key"] else {
            throw KeyFileError(
                file: file, problem: "no 'secret-key = …' line; a .pub file holds a public key only: use .key")
        }
        do {
            return try CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
        } catch {
            throw KeyFileError(file: file, problem: error.description)
        }
    }

    /// Reads a public key from `NAME.pub` (or from the public line of `NAME.key`).
    public static func loadPublicKey(file: String) throws(KeyFileError) -> String {
        guard exists(file) else {
            throw KeyFileError(
                file: file,
                problem: "no public key file here; copy NAME.pub from where the key was generated, or generate it "
                    + "with `switchboard keys generate NAME --dir DIR`")
        }
        guard let publicKey = try readFields(file)["public-key"] else {
            throw KeyFileError(file: file, problem: "no 'public-key = …' line; generate the key again")
        }
        do {
            try CurveKeyPair.validate(publicKey, role: "public key")
        } catch {
            throw KeyFileError(file: file, problem: error.description)
        }
        return publicKey
    }

    // MARK: Files

    private static func exists(_ file: String) -> Bool {
        var status = stat()
        return lstat(file, &status) == 0
    }

    /// `key = value` lines; `#` starts a comment; a value may be quoted.
    private static func readFields(_ file: String) throws(KeyFileError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw KeyFileError(file: file, problem: "cannot read the file (\(error.localizedDescription))")
        }
        guard text.utf8.count <= 4_096 else {
            throw KeyFileError(file: file, problem: "the file is larger than a key file can be; is it the right file?")
        }
        var fields: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw KeyFileError(file: file, problem: "line \(index + 1) is not 'name = value'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            fields[key] = value
        }
        return fields
    }

    private static func makeDirectory(_ directory: String) throws(KeyFileError) {
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw KeyFileError(
                    file: directory, problem: "this is a file, not a directory; name a directory for keys")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeyFileError(file: directory, problem: "cannot create the directory (\(error.localizedDescription))")
        }
        // The umask may have taken bits away; this sets exactly 0700.
        guard chmod(directory, 0o700) == 0 else {
            throw KeyFileError(file: directory, problem: "cannot set the directory's mode to 0700 (errno \(errno))")
        }
    }

    private static func writeFile(_ file: String, _ text: String, mode: mode_t) throws(KeyFileError) {
        // Created with its final mode (never briefly readable by others), written, then forced to
        // exactly `mode` whatever the umask.
        let temporary = "\(file).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw KeyFileError(file: file, problem: "cannot create the file (errno \(errno)); check the directory")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let ok = written == bytes.count && fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        close(descriptor)
        guard ok, rename(temporary, file) == 0 else {
            unlink(temporary)
            throw KeyFileError(file: file, problem: "cannot write the file (errno \(errno))")
        }
    }
}

/// A key file that cannot be written or read: which file and what to do.
public struct KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
