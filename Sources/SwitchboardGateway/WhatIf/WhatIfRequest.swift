public import Foundation
public import SwitchboardBus

/// A what-if replay as the page asks for it: the window of the router's journal to replay and,
/// optionally, a changed contact-centre file to replay it against. Validated here, before any
/// process is started; whether the window lies inside the retained journal is the replay's to say.
public struct WhatIfRequest: Sendable, Equatable {
    /// The start of the window (nil: the start of the retained journal).
    public var since: Date?
    /// The end of the window (nil: the end of the journal).
    public var until: Date?
    /// The changed contact-centre file's text; nil replays the centre in force unchanged.
    public var centre: String?

    /// The largest centre text accepted (the shipped centre is about 23 KiB).
    public static let centreBytesMax = 256 * 1024
    /// The longest window: a replay has a time limit, and a month of journal is more than one
    /// replay reads within it.
    public static let windowSecondsMax: Double = 31 * 86_400

    public init(since: Date?, until: Date?, centre: String? = nil) {
        self.since = since
        self.until = until
        self.centre = centre
    }

    /// Reads `{"since"?: ISO, "until"?: ISO, "centre"?: TEXT}`, refusing what cannot be replayed
    /// with the field at fault and what to send instead.
    public init(json: JSON) throws(GatewayError) {
        guard let object = json.objectValue else {
            throw GatewayError(
                "bad_json", "the body must be a JSON object: {\"since\", \"until\", \"centre\"?}", field: "body")
        }
        let since = try Self.time(object["since"], field: "since")
        let until = try Self.time(object["until"], field: "until")
        if let since, let until {
            guard since < until else {
                throw GatewayError(
                    "invalid_argument",
                    "until (\(Self.iso(until))) must be after since (\(Self.iso(since))); choose a later end",
                    field: "until")
            }
            guard until.timeIntervalSince(since) <= Self.windowSecondsMax else {
                throw GatewayError(
                    "invalid_argument",
                    "the window is longer than \(Int(Self.windowSecondsMax / 86_400)) days; choose a shorter one",
                    field: "since")
            }
        }
        var centre: String?
        switch object["centre"] {
        case nil, .null?:
            centre = nil
        case .string(let text)?:
            guard text.utf8.count <= Self.centreBytesMax else {
                throw GatewayError(
                    "too_large", "the centre is larger than \(Self.centreBytesMax / 1024) KiB", field: "centre")
            }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GatewayError(
                    "invalid_argument",
                    "the centre is empty; paste a contact-centre file, or leave centre out to replay the one in force",
                    field: "centre")
            }
            centre = text
        case _?:
            throw GatewayError("invalid_argument", "centre must be the contact-centre file's text", field: "centre")
        }
        self.init(since: since, until: until, centre: centre)
    }

    /// The `switchboard` arguments of this replay against the router's store at `store`, with the
    /// changed centre (when there is one) written to `centreFile`.
    public func arguments(store: String, centreFile: String?) -> [String] {
        var arguments = ["replay", "--from", store]
        if let since { arguments += ["--since", Self.iso(since)] }
        if let until { arguments += ["--until", Self.iso(until)] }
        if let centreFile { arguments += ["--centre", centreFile] }
        arguments.append("--json")
        return arguments
    }

    /// `2026-12-06T05:00:00.250Z` (UTC, to the millisecond: the journal's own precision, so a
    /// window that starts at its first input is inside it).
    public static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// An ISO 8601 time with an offset or `Z`, with or without fractional seconds.
    public static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private static func time(_ value: JSON?, field: String) throws(GatewayError) -> Date? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue, let date = parseTime(text) else {
            throw GatewayError(
                "invalid_argument",
                "\(field) is not an ISO 8601 time with a zone (e.g. 2026-12-06T04:00:00Z): \(value.text.prefix(60))",
                field: field)
        }
        return date
    }
}
