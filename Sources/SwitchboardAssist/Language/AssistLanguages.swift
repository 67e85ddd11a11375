/// The languages the assistance answers in, and how a queue's language skill names one.
public enum AssistLanguages {
    /// English: the language of the default files at the top of the resources folder.
    public static let english = "en"
    /// Every language with its own resources (`Resources/<tag>/`), English first.
    public static let supported = ["en", "es", "fr", "de"]

    /// Names a contact centre may give a language skill, by BCP 47 primary tag.
    static let skillNames: [String: String] = [
        "en": "en", "english": "en", "inglés": "en", "anglais": "en", "englisch": "en",
        "es": "es", "spanish": "es", "español": "es", "espagnol": "es", "spanisch": "es",
        "fr": "fr", "french": "fr", "francés": "fr", "français": "fr", "französisch": "fr",
        "de": "de", "german": "de", "alemán": "de", "allemand": "de", "deutsch": "de",
    ]

    /// The language tag a skill id or name stands for (`spanish`, `Spanish`, `es-MX` → `es`), or
    /// nil when it names no supported language.
    public static func tag(forSkill skill: String) -> String? {
        let lowered = skill.lowercased()
        if let tag = skillNames[lowered] { return tag }
        let primary = lowered.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? lowered
        return skillNames[primary]
    }
}
