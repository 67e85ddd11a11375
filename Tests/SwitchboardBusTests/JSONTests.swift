import SwitchboardBus
import SwitchboardRouting
import Testing

@Suite("JSON: the bus's hand-written codec")
struct JSONTests {
    @Test("values survive a write and a parse unchanged")
    func roundTrip() throws {
        let value: JSON = [
            "text": "quote \" backslash \\ newline \n tab \t bell \u{07} é 漢字 🙂",
            "int": -9_007_199_254_740_993, "double": 0.1, "big": 1.5e300, "flag": true, "nothing": nil,
            "list": [1, "two", [3], ["four": 4]], "empty": [:], "emptyList": [],
        ]
        let parsed = try JSON(parsing: value.bytes)
        #expect(parsed == value)
        #expect(parsed["int"]?.intValue == -9_007_199_254_740_993)
    }

    @Test("object members keep their written order")
    func orderIsKept() {
        let value: JSON = ["z": 1, "a": 2, "m": 3]
        #expect(value.text == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test("escapes, surrogate pairs and whitespace are read as RFC 8259 says")
    func escapes() throws {
        let parsed = try JSON(parsing: #" { "a" : "\u00e9\ud83d\ude42\/\b\f\n\r\t" , "b":[ 1 , 2.5e1 , -0 ] } "#)
        #expect(parsed["a"]?.stringValue == "é🙂/\u{08}\u{0C}\n\r\t")
        #expect(parsed["b"] == [1, 25.0, 0])
    }

    @Test(
        "invalid documents are refused with the fault named, never a crash",
        arguments: [
            ("", "unexpected end of input"), ("{", "unexpected end of input"), ("{\"a\":}", "expected a value"),
            ("[1,]", "expected a value"), ("01", "leading zero"), ("\"abc", "unterminated string"),
            ("\"\\x\"", "invalid escape"), ("\"\\ud800\"", "unpaired surrogate"), ("tru", "unexpected end"),
            ("{} x", "unexpected text after"), ("1e999", "out of range"), ("\"\u{01}\"", "control character"),
            ("{1:2}", "string key"),
        ])
    func invalidDocuments(text: String, problem: String) {
        #expect(throws: JSONParseError.self) { try JSON(parsing: text) }
        do {
            _ = try JSON(parsing: text)
        } catch {
            #expect(error.problem.contains(problem), "\(text.debugDescription): \(error)")
        }
    }

    @Test("nesting deeper than the limit is refused instead of recursing without bound")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSON(parsing: deep) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSON(parsing: fine)) != nil)
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSON(parsing: bytes) }
    }

    @Test("random bytes never crash the parser (seeded)")
    func randomBytes() {
        var generator = SplitMix64(seed: 0x5EED_0001)
        let alphabet = Array(#"{}[]":,\-+.0123456789eEtrufalsn "#.utf8) + [0x00, 0xFF, 0xC3, 0x80]
        var parsedCount = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            if (try? JSON(parsing: bytes)) != nil { parsedCount += 1 }
        }
        // Some short inputs ("1", "[]") are valid; most are not. Either way: no trap.
        #expect(parsedCount < 20_000)
    }
}
