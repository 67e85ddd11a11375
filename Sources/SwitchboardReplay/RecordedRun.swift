import SwitchboardRouter
public import SwitchboardRouting

/// The recorded day: the journal applied as it was, from the history checkpoint to the end of
/// the window, through the router's own `RouterState.apply`.
public enum RecordedRun {
    public static func run(
        _ journal: ReplayJournal, since: RoutingInstant, until: RoutingInstant
    ) throws(ReplayError) -> (trace: ReplayTrace, inputs: Int) {
        var state = try startState(journal)
        var trace = ReplayTrace(windowStart: since, windowEnd: until)
        for entry in journal.entries {
            step(&state, entry.input, at: entry.at, trace: &trace)
        }
        trace.finish()
        return (trace, journal.entries.count)
    }

    static func startState(_ journal: ReplayJournal) throws(ReplayError) -> RouterState {
        do {
            return try RouterState(checkpoint: journal.checkpoint)
        } catch {
            throw ReplayError("the store's checkpoint does not restore (\(error)); is it from another version?")
        }
    }

    /// Applies one input and records what it did; returns the step.
    @discardableResult
    static func step(
        _ state: inout RouterState, _ input: RouterInput, at: RoutingInstant, trace: inout ReplayTrace
    ) -> (RouterStep, [ReplayDecision]) {
        let step = state.apply(input, at: at)
        if case .open(let request, _, _) = input { trace.opened(request, at: at, state: state) }
        return (step, trace.observe(step, at: at, state: state))
    }
}
