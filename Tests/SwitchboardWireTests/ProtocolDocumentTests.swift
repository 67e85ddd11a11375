import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import Testing

/// docs/PROTOCOL.md is the contract for consumers in other languages; the wire types are the
/// contract for ours. This reads the item field lists the document gives (the "A conversation
/// item: `{…}`" paragraphs and the monitor's table of keys and items) and checks that each
/// wire type writes exactly those fields, nested objects included, and reads back what it
/// wrote. A field added to one and not the other fails here, and so does an item the document
/// lists that no wire type stands for.
@Suite("docs/PROTOCOL.md and the wire types agree")
struct ProtocolDocumentTests {
    /// The document with escaped bars unescaped and every run of white space one space, so a
    /// field list broken across lines reads as one.
    static let document: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/PROTOCOL.md")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.replacingOccurrences(of: "\\|", with: "|").split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }()

    /// One item the document describes: where its field list starts, a filled-in sample's
    /// encoding, and whether decoding that encoding gives the sample back.
    struct Entry: Sendable, CustomTestStringConvertible {
        var marker: String
        var json: JSON
        var roundTrips: @Sendable () throws -> Bool
        var testDescription: String { marker }
    }

    /// `part` picks what the field list describes from the whole encoding (a part of the desk's
    /// item has a list of its own); the round trip is the whole item's.
    static func entry<Item: Equatable & Sendable>(
        _ marker: String, _ sample: Item, _ encode: @escaping @Sendable (Item) -> JSON,
        _ decode: @escaping @Sendable (JSON) throws -> Item, part: (JSON) -> JSON = { $0 }
    ) -> Entry {
        Entry(
            marker: marker, json: part(encode(sample)),
            roundTrips: { try decode(JSON(parsing: encode(sample).text)) == sample })
    }

    static let entries: [Entry] = [
        entry("A conversation item: ", WireSamples.conversation, \.json, ConversationItem.init(json:)),
        entry("An agent item: ", WireSamples.agent, \.json, AgentItem.init(json:)),
        entry("A sticky item: ", WireSamples.sticky, \.json, StickyItem.init(json:)),
        entry("A queue item: ", WireSamples.queue, \.json, QueueItem.init(json:)),
        entry("A `skill-too-rare` alert item: ", WireSamples.skillAlert, \.json, RouterAlertItem.init(json:)),
        entry("a `queue-overflow` alert item: ", WireSamples.overflowAlert, \.json, RouterAlertItem.init(json:)),
        entry("A transcript message item ", WireSamples.message, \.json, TranscriptMessage.init(json:)),
        entry("Transcripts, `transcript.<id>` (", WireSamples.transcript, \.json, TranscriptItem.init(json:)),
        entry("Snapshot keys `presence.<agentId>`: ", WireSamples.presence, \.json, PresenceItem.init(json:)),
        entry(
            "**Snapshot keys** `desk.<agentId>` (every agent who ever signed in): ", WireSamples.desk, \.json,
            DeskItem.init(json:)),
        entry(
            "`summary` is what a dashboard needs: ", WireSamples.desk, \.json, DeskItem.init(json:),
            part: { $0["summary"] ?? .null }),
        entry("A feedback item: ", WireSamples.feedback, \.json, FeedbackItem.init(json:)),
        entry("`offers`: ", WireSamples.desk, \.json, DeskItem.init(json:), part: { $0["offers"] ?? .null }),
        entry(
            "The item (snapshot value of `assist.<conversationId>`): ", WireSamples.assist, \.json,
            AssistItem.init(json:)),
        entry("| `monitor.sources` | ", WireSamples.monitorSources, \.json, MonitorSourcesItem.init(json:)),
        entry("| `monitor.queue.<id>` | ", WireSamples.monitorQueue, \.json, MonitorQueueItem.init(json:)),
        entry("| `monitor.agent.<id>` | ", WireSamples.monitorAgent, \.json, MonitorAgentItem.init(json:)),
        entry("| `monitor.rates` | ", WireSamples.monitorRates, \.json, MonitorRatesItem.init(json:)),
        entry(
            "| `monitor.conversation.<id>` | ", WireSamples.monitorConversation, \.json,
            MonitorConversationItem.init(json:)),
        entry("| `monitor.alert.<source>:<id>` | ", WireSamples.monitorAlert, \.json, MonitorAlertItem.init(json:)),
        entry(
            "| `monitor.intervention.<conversationId>:<supervisorId>` | ", WireSamples.monitorIntervention, \.json,
            MonitorInterventionItem.init(json:)),
    ]

    /// A history step's base fields and a `transferred` step's own: one sample carries both.
    static let historyMarkers = (
        base: "A history step item of `conversation.explain`: ",
        transfer: "a `transferred` step also carries the transfer as fields, as `conversation.transferred` does: "
    )

    @Test("every item the document lists is written with exactly its fields, and reads back", arguments: entries)
    func item(_ entry: Entry) throws {
        let list = try #require(Self.fieldList(after: entry.marker), "no field list after \"\(entry.marker)\"")
        let shape = try FieldShape.parse(list)
        #expect(shape.problems(with: entry.json, at: "") == [], "the document says \(list)")
        #expect(try entry.roundTrips(), "decoding the encoding gives the sample back")
    }

    @Test("a history step, a transferred one included, has exactly the fields the document gives")
    func historyStep() throws {
        let base = try #require(Self.fieldList(after: Self.historyMarkers.base))
        let transfer = try #require(Self.fieldList(after: Self.historyMarkers.transfer))
        let shape = try FieldShape.parse(base).merged(with: try FieldShape.parse(transfer))
        let step = WireSamples.historyStep
        #expect(shape.problems(with: step.json, at: "") == [], "the document says \(base) and \(transfer)")
        var plain = step
        plain.event = "assigned"
        plain.transfer = nil
        #expect(try FieldShape.parse(base).problems(with: plain.json, at: "") == [])
        #expect(try HistoryStep(json: JSON(parsing: step.json.text)) == step)
    }

    @Test("every item field list in the document is one the wire types stand for")
    func everyListedItemIsCovered() {
        let markers = Set(Self.entries.map(\.marker) + [Self.historyMarkers.base, Self.historyMarkers.transfer])
        var unmatched: [String] = []
        // The paragraphs: "… item: `{…}`".
        var searchStart = Self.document.startIndex
        while let found = Self.document.range(of: " item: `", range: searchStart..<Self.document.endIndex) {
            searchStart = found.upperBound
            let after = Self.document[found.upperBound...]
            guard after.hasPrefix("{") || after.hasPrefix("[") else { continue }
            let prefix = Self.document[..<Self.document.index(before: found.upperBound)]
            if !markers.contains(where: { prefix.hasSuffix($0) }) {
                unmatched.append(String(Self.document[found.lowerBound...].prefix(60)))
            }
        }
        // The monitor's table of keys and items: rows whose value cell is a field list.
        for row in Self.document.components(separatedBy: "| `monitor.").dropFirst() {
            let cells = row.components(separatedBy: " | ")
            guard cells.count > 1, cells[1].contains("`{") else { continue }
            let marker = "| `monitor.\(cells[0]) | "
            if !markers.contains(marker) { unmatched.append(marker) }
        }
        #expect(unmatched == [], "items the document lists with no wire type checked here")
    }

    /// The first backquoted field list (`{…}` or `[…]`) after `marker`.
    static func fieldList(after marker: String) -> String? {
        guard let found = document.range(of: marker) else { return nil }
        let rest = document[found.upperBound...]
        guard let open = rest.range(of: "`{") ?? rest.range(of: "`["),
            let close = rest[open.upperBound...].firstIndex(of: "`")
        else { return nil }
        if let array = rest.range(of: "`["), array.lowerBound < open.lowerBound {
            guard let arrayClose = rest[array.upperBound...].firstIndex(of: "`") else { return nil }
            return String(rest[rest.index(after: array.lowerBound)..<arrayClose])
        }
        return String(rest[rest.index(after: open.lowerBound)..<close])
    }
}

/// The document's notation for an item's fields: `{a, b (a comment), c:{d, e}|null, f:[{g}],
/// h:{…}, i|j, …more}`. A name with `|null` may be null; `i|j` means exactly one of them; `{…}`
/// and `[…]` are not described further here; `…` inside a list means more fields may follow.
indirect enum FieldShape: Equatable {
    case object([Field], open: Bool)
    case array(FieldShape)
    case unspecified

    struct Field: Equatable {
        /// One name, or the alternatives of which exactly one is present.
        var names: [String]
        var shape: FieldShape
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> FieldShape {
        var parser = Parser(characters: Array(text))
        let shape = try parser.value()
        parser.skipSpaces()
        guard parser.atEnd else { throw ParseError(description: "trailing text in \(text)") }
        return shape
    }

    /// This object's fields and `other`'s together.
    func merged(with other: FieldShape) -> FieldShape {
        guard case .object(let fields, let open) = self, case .object(let more, let otherOpen) = other else {
            return self
        }
        return .object(fields + more, open: open || otherOpen)
    }

    /// What differs between this shape and `json`, as readable lines.
    func problems(with json: JSON, at path: String) -> [String] {
        switch self {
        case .unspecified:
            return []
        case .array(let element):
            guard case .array(let elements) = json else {
                return ["\(path): an array in the document, not \(json.text)"]
            }
            return elements.enumerated().flatMap { element.problems(with: $1, at: "\(path)[\($0)]") }
        case .object(let fields, let open):
            guard case .object(let object) = json else {
                return ["\(path): an object in the document, not \(json.text)"]
            }
            var problems: [String] = []
            let written = Set(object.keys)
            let documented = Set(fields.flatMap(\.names))
            for field in fields {
                let present = field.names.filter(written.contains)
                if present.count != 1 {
                    problems.append(
                        "\(path).\(field.names.joined(separator: "|")): documented, but written \(present.count) times")
                    continue
                }
                if let value = object[present[0]], !value.isNull {
                    problems += field.shape.problems(with: value, at: "\(path).\(present[0])")
                }
            }
            if !open {
                for extra in written.subtracting(documented).sorted() {
                    problems.append("\(path).\(extra): written, but not in the document")
                }
            }
            return problems
        }
    }

    struct Parser {
        var characters: [Character]
        var index = 0

        var atEnd: Bool { index >= characters.count }
        var current: Character? { atEnd ? nil : characters[index] }

        mutating func skipSpaces() {
            while let character = current, character == " " { index += 1 }
        }

        /// Skips a parenthesised comment, nested parentheses included.
        mutating func skipComment() {
            skipSpaces()
            guard current == "(" else { return }
            var depth = 0
            while let character = current {
                index += 1
                if character == "(" { depth += 1 }
                if character == ")" {
                    depth -= 1
                    if depth == 0 { return }
                }
            }
        }

        mutating func value() throws -> FieldShape {
            skipSpaces()
            switch current {
            case "{": return try object()
            case "[":
                index += 1
                skipSpaces()
                let element: FieldShape = current == "{" ? try object() : .unspecified
                while let character = current, character != "]" { index += 1 }
                index += 1
                return .array(element)
            default:
                // An example value (`chat: 2`): nothing to check inside.
                while let character = current, character != ",", character != "}", character != "|" { index += 1 }
                return .unspecified
            }
        }

        mutating func object() throws -> FieldShape {
            index += 1  // {
            var fields: [Field] = []
            var open = false
            while true {
                skipSpaces()
                guard let character = current else { throw ParseError(description: "an unclosed {") }
                if character == "}" {
                    index += 1
                    break
                }
                if character == "," {
                    index += 1
                    continue
                }
                if character == "…" || character == "." {
                    open = true
                    while let next = current, next != ",", next != "}" { index += 1 }
                    continue
                }
                fields.append(try field())
            }
            if fields.isEmpty && open { return .unspecified }
            return .object(fields, open: open)
        }

        mutating func name() throws -> String {
            skipSpaces()
            var name = ""
            while let character = current, character.isLetter || character.isNumber || character == "_" {
                name.append(character)
                index += 1
            }
            guard !name.isEmpty else {
                throw ParseError(description: "a field name expected at \(String(characters[index...].prefix(20)))")
            }
            return name
        }

        mutating func field() throws -> Field {
            var names = [try name()]
            skipComment()
            skipSpaces()
            var shape = FieldShape.unspecified
            if current == ":" {
                index += 1
                shape = try value()
            }
            skipComment()
            skipSpaces()
            while current == "|" {
                index += 1
                let alternative = try name()
                if alternative != "null" { names.append(alternative) }
                skipComment()
                skipSpaces()
            }
            return Field(names: names, shape: shape)
        }
    }
}
