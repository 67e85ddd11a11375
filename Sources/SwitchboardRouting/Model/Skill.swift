/// The dimension a skill belongs to. Fallback ladders drop skills by kind ("drop the
/// product skill after 30 s").
public enum SkillKind: String, Sendable, Hashable, Codable, CaseIterable {
    case language
    case product
    case tier
}

/// One entry of the skill catalog that supervisors define.
public struct SkillDefinition: Sendable, Hashable, Codable {
    public var id: SkillID
    public var kind: SkillKind
    /// How a supervisor reads it in a reason sentence ("Spanish", "cards").
    public var name: String

    public init(id: SkillID, kind: SkillKind, name: String? = nil) {
        self.id = id
        self.kind = kind
        self.name = name ?? id.rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(SkillID.self, forKey: .id)
        kind = try container.decode(SkillKind.self, forKey: .kind)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id.rawValue
    }
}

/// Skill levels run from 1 (basic) to 5 (expert).
public enum SkillLevel {
    public static let minimum = 1
    public static let maximum = 5
    public static let range = minimum...maximum
}

/// "Needs `skill` at `minimumLevel` or better", from a queue or from conversation metadata.
public struct SkillRequirement: Sendable, Hashable, Codable, CustomStringConvertible {
    public var skill: SkillID
    public var minimumLevel: Int

    public init(_ skill: SkillID, minimumLevel: Int = SkillLevel.minimum) {
        self.skill = skill
        self.minimumLevel = minimumLevel
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skill = try container.decode(SkillID.self, forKey: .skill)
        minimumLevel = try container.decodeIfPresent(Int.self, forKey: .minimumLevel) ?? SkillLevel.minimum
    }

    public var description: String { "\(skill.rawValue) \(minimumLevel)" }
}
