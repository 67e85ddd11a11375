import SwitchboardBus
import SwitchboardWorkspace

extension WorkspaceError {
    /// The refusal as a command NACK: the protocol's code, and the workspace's sentence that
    /// names the thing and what to do.
    var commandFailure: CommandFailure {
        let code: CommandFailure.Code
        switch self {
        case .unknownSession, .unknownTab, .noDraft, .noSuchPendingAction: code = .notFound
        case .focusRefused, .draftLimitReached, .sessionLimitReached: code = .conflict
        case .anchorTabCannotClose, .tabNotAvailable, .tabContentTooLarge, .invalidPlace, .repliesNotSupported,
            .emptyReply, .replyTooLarge, .draftTooLarge, .cannotReopen, .invalidPreferences:
            code = .invalidArgument
        }
        return CommandFailure(code: code, message: description)
    }
}
