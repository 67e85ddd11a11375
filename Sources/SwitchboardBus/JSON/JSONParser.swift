/// Why some bytes are not the JSON we expected: what was wrong and at which byte.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public let problem: String
    public let offset: Int

    public var description: String { "\(problem) at byte \(offset)" }
}

/// A strict RFC 8259 parser over bytes, written for hostile input: every read is bounds
/// checked, nesting is limited, strings must be valid UTF-8, and it never traps.
public struct JSONParser {
    /// Deeper nesting is refused: the bus never needs it and recursion must stay bounded.
    public static let depthMax = 64

    private let input: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ input: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.input = input
        self.position = position
    }

    /// Parses a whole document: one value, surrounded only by whitespace.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        let result: Result<JSON, JSONParseError> =
            bytes.withContiguousStorageIfAvailable { buffer in
                parseDocument(buffer)
            } ?? Array(bytes).withUnsafeBufferPointer { parseDocument($0) }
        return try result.get()
    }

    private static func parseDocument(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSON, JSONParseError> {
        var parser = JSONParser(buffer)
        do {
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            if parser.position != buffer.count {
                return .failure(parser.error("unexpected text after the JSON value"))
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        skipWhitespace()
        guard let byte = peek() else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(printable(byte))', expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONObject {
        guard depth < Self.depthMax else { throw error("nesting deeper than \(Self.depthMax)") }
        position += 1
        var members: [(String, JSON)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard peek() != nil else { throw error("unexpected end of input inside an object") }
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
            position += 1
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return JSONObject(members)
            case nil: throw error("unexpected end of input inside an object")
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> [JSON] {
        guard depth < Self.depthMax else { throw error("nesting deeper than \(Self.depthMax)") }
        position += 1
        var elements: [JSON] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return elements
            case nil: throw error("unexpected end of input inside an array")
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < input.count {
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: input[start..<position])
                position += 1
                guard let string = Self.string(utf8: slice) else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character in a string") }
            position += 1
        }
        var scratch = Array(UnsafeBufferPointer(rebasing: input[start..<position]))
        while position < input.count {
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: scratch, as: UTF8.self) else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try parseEscape(into: &scratch)
            case 0..<0x20:
                throw error("unescaped control character in a string")
            default:
                scratch.append(byte)
                position += 1
            }
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONParseError) {
        guard let byte = peek() else { throw error("unterminated escape in a string") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in a \\u escape")
                }
                position += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("unpaired surrogate in a \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
            scratch.append(contentsOf: Character(unicode).utf8)
        default:
            throw error("invalid escape '\\\(printable(byte))' in a string")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= input.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        var isInteger = true
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw error("expected a digit in a number") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw error("leading zero in a number") }
        } else {
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let byte = peek(), isDigit(byte) else { throw error("expected a digit after '.' in a number") }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let byte = peek(), isDigit(byte) else { throw error("expected a digit in a number's exponent") }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        let digitsStart = input[start] == UInt8(ascii: "-") ? start + 1 : start
        if isInteger && position - digitsStart <= 18 {
            // At most 18 digits cannot overflow: read them in place (every envelope has four
            // such integers) instead of through a String.
            var magnitude: Int64 = 0
            for index in digitsStart..<position {
                magnitude = magnitude * 10 + Int64(input[index] &- UInt8(ascii: "0"))
            }
            return .int(digitsStart == start ? magnitude : -magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { throw error("number out of range", at: start) }
        return .double(double)
    }

    // MARK: Skipping (for reading envelope headers without materialising the payload)

    /// Moves past one value without building it; returns where it started.
    mutating func skipValue(depth: Int = 0) throws(JSONParseError) -> Int {
        skipWhitespace()
        let start = position
        guard let byte = peek() else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.depthMax else { throw error("nesting deeper than \(Self.depthMax)") }
            let isObject = byte == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipWhitespace()
            if peek() == close {
                position += 1
                return start
            }
            while true {
                if isObject {
                    skipWhitespace()
                    guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
                    try skipString()
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
                    position += 1
                }
                _ = try skipValue(depth: depth + 1)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                } else if peek() == close {
                    position += 1
                    return start
                } else {
                    throw error(isObject ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array")
                }
            }
        case UInt8(ascii: "\""):
            try skipString()
        default:
            _ = try parseValue(depth: depth)
        }
        return start
    }

    /// Moves past a string, checking escapes and control characters but not decoding it.
    mutating func skipString() throws(JSONParseError) {
        let start = position
        position += 1
        // Only a string with a byte past ASCII needs the UTF-8 check (a second pass).
        var beyondASCII = false
        while position < input.count {
            let byte = input[position]
            position += 1
            if byte == UInt8(ascii: "\"") {
                guard !beyondASCII || Self.isValidUTF8(UnsafeBufferPointer(rebasing: input[start + 1..<position - 1]))
                else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return
            }
            if byte == UInt8(ascii: "\\") {
                guard position < input.count else { break }
                if input[position] >= 0x80 { beyondASCII = true }
                position += 1
            } else if byte < 0x20 {
                throw error("unescaped control character in a string", at: position - 1)
            } else if byte >= 0x80 {
                beyondASCII = true
            }
        }
        throw error("unterminated string", at: start)
    }

    // MARK: Helpers

    /// A String from UTF-8 bytes, nil when they are not valid UTF-8. ASCII (nearly every key
    /// and header value) takes a fast path without the generic validating initialiser.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 {
            return String(validating: bytes, as: UTF8.self) != nil
        }
        return true
    }

    static func string(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The input bytes in `range` (valid while the parser's buffer is).
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: input[range])
    }

    func peek(offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < input.count ? input[index] : nil
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= input.count else { throw error("unexpected end of input in a literal") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { input[position + $0] == expected[$0] }
        }
        guard matches else { throw error("invalid literal, expected \(word)") }
        position += count
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: byte)
    }

    func error(_ problem: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(problem: problem, offset: offset ?? position)
    }
}

extension String {
    /// `0xNN` for a byte that is not printable ASCII.
    fileprivate init(format byte: UInt8) {
        let hex = Array("0123456789ABCDEF")
        self = "0x" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
