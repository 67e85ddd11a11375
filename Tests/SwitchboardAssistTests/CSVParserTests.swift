import Foundation
import SwitchboardRouting
import Testing

@testable import SwitchboardAssist

@Suite("CSV parser (RFC 4180)")
struct CSVParserTests {
    let parser = CSVParser()

    @Test("plain fields split at commas and records at line feeds")
    func plainFields() throws {
        #expect(try parser.parse("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
    }

    @Test("the last record needs no line break")
    func noFinalLineBreak() throws {
        #expect(try parser.parse("a,b\nc,d") == [["a", "b"], ["c", "d"]])
    }

    @Test("CRLF and a lone CR end records as LF does")
    func lineEndings() throws {
        #expect(try parser.parse("a,b\r\nc,d\r\ne,f\rg,h") == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
    }

    @Test("a quoted field keeps commas")
    func quotedComma() throws {
        #expect(try parser.parse("\"Hello, world\",greeting\n") == [["Hello, world", "greeting"]])
    }

    @Test("a doubled quote inside a quoted field is one quote")
    func escapedQuotes() throws {
        #expect(try parser.parse("\"She said \"\"hi\"\"\",x\n") == [["She said \"hi\"", "x"]])
        #expect(try parser.parse("\"\"\"\",\"\"\n") == [["\"", ""]])
    }

    @Test("quoted line breaks, LF and CRLF, stay inside the field")
    func quotedLineBreaks() throws {
        let text = "text,intent\r\n\"\nI can't use my card\n\n\",card_not_working\r\n\"line one\r\nline two\",x\r\n"
        #expect(
            try parser.parse(text) == [
                ["text", "intent"], ["\nI can't use my card\n\n", "card_not_working"], ["line one\r\nline two", "x"],
            ])
    }

    @Test("empty fields are kept and empty lines are skipped")
    func emptyFields() throws {
        #expect(try parser.parse(",\na,,b\n\n\nc\n") == [["", ""], ["a", "", "b"], ["c"]])
    }

    @Test("a byte-order mark at the start is ignored")
    func byteOrderMark() throws {
        #expect(try parser.parse("\u{FEFF}text,intent\n") == [["text", "intent"]])
    }

    @Test("non-ASCII text survives")
    func unicode() throws {
        #expect(try parser.parse("\"Café, crème\",ü€\n") == [["Café, crème", "ü€"]])
    }

    @Test("an unterminated quote is an error naming the line it opened on")
    func unterminatedQuote() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try parser.parse("a,b\n\"open,\nstill open") }
    }

    @Test("text after a closing quote is an error")
    func textAfterQuote() {
        #expect(throws: CSVError.textAfterClosingQuote(line: 1)) { try parser.parse("\"quoted\"tail,b\n") }
    }

    @Test("a quote inside an unquoted field is an error")
    func quoteInsideUnquoted() {
        #expect(throws: CSVError.quoteInUnquotedField(line: 3)) { try parser.parse("a\nb\nab\"c\n") }
    }

    @Test("random records survive writing and parsing (seeded)")
    func roundTrip() throws {
        let seed = UInt64.random(in: 1...UInt64.max)
        var generator = SplitMix64(seed: seed)
        let alphabet = Array("ab ,\"\n\r\u{00E9}x")
        for _ in 0..<200 {
            let records = (0..<(1 + generator.below(4))).map { _ in
                (0..<(1 + generator.below(4))).map { _ in
                    String((0..<generator.below(8)).map { _ in alphabet[generator.below(alphabet.count)] })
                }
            }
            // Written the RFC way: every field quoted, quotes doubled, CRLF between records.
            let written = records.map { record in
                record.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
            }.joined(separator: "\r\n")
            let parsed = try parser.parse(written)
            #expect(parsed == records, "replay with seed \(seed)")
            if parsed != records { return }
        }
    }
}
