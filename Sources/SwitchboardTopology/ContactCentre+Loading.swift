import Foundation

extension ContactCentre {
    /// Reads and validates a contact-centre file. Every refusal names the file, the line, the
    /// key and what to write instead; a bad file is refused whole, never half-loaded.
    public static func load(file: String = ContactCentre.defaultFile) throws(TopologyError) -> ContactCentre {
        guard FileManager.default.fileExists(atPath: file) else {
            throw TopologyError(
                file: file, key: "",
                problem:
                    "no contact-centre file here; check 'contactCentre:' in the topology, or run from the repository "
                        + "root"
            )
        }
        return try parse(try YAMLValue.load(file: file))
    }

    /// Validates an already parsed document (`root.file` names it in every refusal).
    public static func parse(_ root: YAMLValue) throws(TopologyError) -> ContactCentre {
        var parser = ContactCentreParser(root: root)
        return try parser.parse()
    }
}
