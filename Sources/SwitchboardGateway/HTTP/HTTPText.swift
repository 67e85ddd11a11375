import Foundation

/// Small pieces of HTTP text the gateway reads and writes by hand: form bodies and query strings,
/// cookies, HTML escaping, and safe redirect targets.
public enum HTTPText {
    /// Decodes `a=1&b=x%20y` (form-urlencoded: `+` is a space). Later keys replace earlier ones.
    public static func form(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(String(parts[0]))
            result[key] = parts.count > 1 ? percentDecode(String(parts[1])) : ""
        }
        return result
    }

    /// Percent-decoding with `+` as a space; a malformed escape is kept as written.
    public static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encoding for a query value.
    public static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || "-._~/".unicodeScalars.contains(scalar)
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// Escapes text for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`).
    public static func escapeHTML(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A redirect target only if it is a path of this site (`/desk`), never another origin
    /// (`//evil`, `https://…`, `/\evil`).
    public static func samePath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.contains(where: { $0.isNewline || $0 == "\r" }), next.utf8.count <= 512
        else { return nil }
        return next
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/ always.
    public static func cookie(name: String, value: String, maxAgeSeconds: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAgeSeconds); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Fills `{{name}}` placeholders with HTML-escaped values; unknown placeholders stay as written.
    public static func render(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = String(afterOpen[..<close.lowerBound])
            if let value = values[name] {
                result += escapeHTML(value)
            } else {
                result += "{{\(name)}}"
            }
            rest = afterOpen[close.upperBound...]
        }
        result += rest
        return result
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
