import CZeroMQ

/// ZeroMQ's Z85 text encoding (RFC 32), through libzmq's own encoder and decoder.
public enum Z85 {
    /// The 85 characters of the alphabet.
    static let alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// Encodes `bytes`, whose count must be a multiple of 4; nil otherwise.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        if bytes.isEmpty { return "" }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        let result = bytes.withUnsafeBufferPointer { zmq_z85_encode(&text, $0.baseAddress, $0.count) }
        guard result != nil else { return nil }
        return String(decoding: text.prefix(bytes.count * 5 / 4).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Decodes `text`, whose length must be a multiple of 5 and whose characters must all be of
    /// the alphabet; nil otherwise. (libzmq's decoder does not check every character itself.)
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 5 == 0, utf8.allSatisfy({ alphabet.contains($0) }) else { return nil }
        if utf8.isEmpty { return [] }
        var bytes = [UInt8](repeating: 0, count: utf8.count * 4 / 5)
        let result = text.withCString { zmq_z85_decode(&bytes, $0) }
        guard result != nil else { return nil }
        return bytes
    }
}
