/// Unguessable tokens: session ids, CSRF tokens, customer tokens, API keys.
public enum RandomToken {
    /// `bytes` random bytes from the system's generator, as base64url without padding (cookie-safe).
    public static func make(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64URL(raw)
    }

    /// A short random id for the bus (letters and digits only): `w3f9a0c2e7b1d4a6`.
    public static func busID(prefix: String, bytes: Int = 8) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var text = prefix
        for _ in 0..<bytes {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return text
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var text = ""
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            let characters = min(4, (bytes.count - index) * 4 / 3 + 1)
            for position in 0..<characters {
                text.append(alphabet[Int((triple >> UInt32(18 - position * 6)) & 0x3f)])
            }
            index += 3
        }
        return text
    }
}
