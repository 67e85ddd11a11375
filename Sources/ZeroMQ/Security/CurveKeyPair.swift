import CZeroMQ

/// A CURVE key pair, both halves Z85-encoded (40 characters each). The secret key never leaves
/// the process that owns it; the public key is what peers list (servers' keys for clients,
/// clients' keys in a server's allow-list).
public struct CurveKeyPair: Sendable, Hashable {
    public let publicKey: String
    public let secretKey: String

    /// Length of a Z85-encoded 32-byte CURVE key.
    public static let encodedKeyLength = 40

    /// A pair from keys already known; checks both are Z85 keys and that they belong together.
    public init(publicKey: String, secretKey: String) throws(CurveKeyError) {
        let derived = try Self.publicKey(forSecretKey: secretKey)
        try Self.validate(publicKey, role: "public key")
        guard derived == publicKey else { throw .mismatchedPair }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// The pair whose secret key is `secretKey` (the public key is derived from it).
    public init(secretKey: String) throws(CurveKeyError) {
        self.publicKey = try Self.publicKey(forSecretKey: secretKey)
        self.secretKey = secretKey
    }

    /// A new random pair from libzmq (which takes it from libsodium).
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        var publicBuffer = [CChar](repeating: 0, count: encodedKeyLength + 1)
        var secretBuffer = [CChar](repeating: 0, count: encodedKeyLength + 1)
        guard zmq_curve_keypair(&publicBuffer, &secretBuffer) == 0 else {
            throw .unsupported(ZMQError.last("generate a CURVE key pair").description)
        }
        let pair = CurveKeyPair(
            checkedPublic: String(
                decoding: publicBuffer.prefix(encodedKeyLength).map { UInt8(bitPattern: $0) }, as: UTF8.self),
            secret: String(decoding: secretBuffer.prefix(encodedKeyLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        )
        return pair
    }

    private init(checkedPublic: String, secret: String) {
        self.publicKey = checkedPublic
        self.secretKey = secret
    }

    /// The public key that belongs to `secretKey`.
    public static func publicKey(forSecretKey secretKey: String) throws(CurveKeyError) -> String {
        try validate(secretKey, role: "secret key")
        var publicBuffer = [CChar](repeating: 0, count: encodedKeyLength + 1)
        let result = secretKey.withCString { zmq_curve_public(&publicBuffer, $0) }
        guard result == 0 else {
            throw .unsupported(ZMQError.last("derive a CURVE public key").description)
        }
        return String(decoding: publicBuffer.prefix(encodedKeyLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Refuses anything but 40 characters of the Z85 alphabet that decode to 32 bytes.
    public static func validate(_ key: String, role: String = "key") throws(CurveKeyError) {
        guard key.utf8.count == encodedKeyLength else {
            throw .wrongLength(role: role, length: key.utf8.count)
        }
        guard let bytes = Z85.decode(key), bytes.count == 32 else { throw .notZ85(role: role) }
    }

    /// Whether CURVE is available in the libzmq this process linked (built with libsodium).
    public static var isSupported: Bool { zmq_has("curve") != 0 }
}

/// A key that cannot be used, and why.
public enum CurveKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongLength(role: String, length: Int)
    case notZ85(role: String)
    case mismatchedPair
    /// libzmq was built without CURVE (no libsodium), or refused the call.
    case unsupported(String)

    public var description: String {
        switch self {
        case .wrongLength(let role, let length):
            "the \(role) is \(length) characters; a CURVE key is \(CurveKeyPair.encodedKeyLength) characters of Z85"
        case .notZ85(let role):
            "the \(role) is not Z85 text (the characters 0-9 a-z A-Z .-:+=^!/*?&<>()[]{}@%$#)"
        case .mismatchedPair:
            "the public key does not belong to the secret key; generate the pair again"
        case .unsupported(let reason):
            "CURVE is not available: \(reason); install a libzmq built with libsodium"
        }
    }
}
