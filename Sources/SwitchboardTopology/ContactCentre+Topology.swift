extension Topology {
    /// Loads the contact-centre file this deployment names (`contactCentre:`, relative to the
    /// topology file). Refused like `ContactCentre.load(file:)`, or when the topology names none.
    public func loadContactCentre() throws(TopologyError) -> ContactCentre {
        guard let contactCentreFile else {
            throw TopologyError(
                file: file, key: "contactCentre",
                problem: "this topology names no contact-centre file; add e.g. 'contactCentre: contact-centre.yaml'")
        }
        return try ContactCentre.load(file: contactCentreFile)
    }
}
