/// A parser for comma-separated values as RFC 4180 defines them.
///
/// Fields may be quoted; a quoted field may hold commas, line breaks (LF or CRLF) and
/// doubled quotes (`""` stands for one `"`). Records end at LF, CRLF or a lone CR. A final
/// line break is optional. The parser is lenient where real files differ from the RFC in
/// harmless ways (records of different widths are returned as they are) and strict where
/// guessing would corrupt data: a quote inside an unquoted field, text after a closing
/// quote, or a quoted field left open at the end of the input are errors that name the line.
public struct CSVParser: Sendable {
    /// The field separator; a comma unless a file uses another single-byte separator.
    public var separator: UInt8

    /// A parser that splits fields at `separator` (a comma by default).
    public init(separator: UInt8 = UInt8(ascii: ",")) {
        self.separator = separator
    }

    /// Parses `text` into records, each a list of fields.
    public func parse(_ text: String) throws(CSVError) -> [[String]] {
        var contiguous = text
        let result: Result<[[String]], CSVError> = contiguous.withUTF8 { bytes in
            do throws(CSVError) { return .success(try parse(bytes: bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses UTF-8 `bytes` into records, each a list of fields. A leading byte-order mark is skipped.
    public func parse(bytes: UnsafeBufferPointer<UInt8>) throws(CSVError) -> [[String]] {
        let quote = UInt8(ascii: "\"")
        let lineFeed = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var index = 0
        var line = 1
        let count = bytes.count
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
        }
        // Whether the current record has begun: an empty line is no record, but `,` is two empty fields.
        var recordStarted = false

        func finishField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func finishRecord() {
            finishField()
            records.append(record)
            record = []
            recordStarted = false
        }

        while index < count {
            let byte = bytes[index]
            // A quote opens a quoted field only at the start of a field (RFC 4180, 2.5).
            if byte == quote && field.isEmpty {
                // A quoted field: read to the closing quote, keeping separators and line breaks.
                let openingLine = line
                index += 1
                var closed = false
                while index < count {
                    let inner = bytes[index]
                    if inner == quote {
                        if index + 1 < count && bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if inner == lineFeed { line += 1 }
                    field.append(inner)
                    index += 1
                }
                guard closed else { throw .unterminatedQuote(line: openingLine) }
                recordStarted = true
                // After the closing quote only a separator or the end of the record may follow.
                if index < count {
                    let next = bytes[index]
                    if next != separator && next != lineFeed && next != carriageReturn {
                        throw .textAfterClosingQuote(line: line)
                    }
                }
                continue
            }
            switch byte {
            case separator:
                finishField()
                recordStarted = true
                index += 1
            case lineFeed:
                if recordStarted || !field.isEmpty { finishRecord() }
                line += 1
                index += 1
            case carriageReturn:
                if recordStarted || !field.isEmpty { finishRecord() }
                line += 1
                index += 1
                if index < count && bytes[index] == lineFeed { index += 1 }
            case quote:
                throw .quoteInUnquotedField(line: line)
            default:
                field.append(byte)
                recordStarted = true
                index += 1
            }
        }
        if recordStarted || !field.isEmpty { finishRecord() }
        return records
    }
}

/// Why a CSV text could not be parsed, with the line (1-based) where the problem starts.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case unterminatedQuote(line: Int)
    case textAfterClosingQuote(line: Int)
    case quoteInUnquotedField(line: Int)

    public var description: String {
        switch self {
        case .unterminatedQuote(let line):
            "a quoted field opened on line \(line) is never closed: add the closing quote"
        case .textAfterClosingQuote(let line):
            "text follows a closing quote on line \(line): quote the whole field and double inner quotes"
        case .quoteInUnquotedField(let line):
            "a quote appears inside an unquoted field on line \(line): quote the field and double the quote"
        }
    }
}
