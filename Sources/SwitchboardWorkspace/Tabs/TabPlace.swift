/// Where the agent was in a tab, kept so that switching away and back loses nothing:
/// the scroll position, the text cursor, and the values typed into a form.
public struct TabPlace: Codable, Sendable, Equatable {
    /// How far the tab is scrolled, in lines (the client's unit, kept as given).
    public var scrollOffset: Int
    /// The text cursor, as a character offset, when the tab has a text field in focus.
    public var cursorOffset: Int?
    /// Form field values by field name.
    public var fieldValues: [String: String]

    public init(scrollOffset: Int = 0, cursorOffset: Int? = nil, fieldValues: [String: String] = [:]) {
        self.scrollOffset = scrollOffset
        self.cursorOffset = cursorOffset
        self.fieldValues = fieldValues
    }

    /// Why this place cannot be kept, or nil when it can.
    func problem() -> String? {
        if scrollOffset < 0 { return "scroll offset \(scrollOffset) is negative" }
        if let cursorOffset, cursorOffset < 0 { return "cursor offset \(cursorOffset) is negative" }
        if fieldValues.count > WorkspaceLimits.formFieldsMax {
            return "\(fieldValues.count) form fields, more than \(WorkspaceLimits.formFieldsMax)"
        }
        for (name, value) in fieldValues where name.utf8.count + value.utf8.count > WorkspaceLimits.formFieldBytesMax {
            return "form field '\(name)' holds more than \(WorkspaceLimits.formFieldBytesMax) bytes"
        }
        return nil
    }
}
