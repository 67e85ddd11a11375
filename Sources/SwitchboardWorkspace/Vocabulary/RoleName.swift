public import SwitchboardRouting

/// The name of a role in the contact-centre configuration (`agent`, `supervisor`, `first-line`).
///
/// Roles carry two things this module cares about: the workspace defaults supervisors set
/// for everyone in the role, and the permissions that decide who may supervise.
public struct RoleName: StringIdentifier, CodingKeyRepresentable {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}
