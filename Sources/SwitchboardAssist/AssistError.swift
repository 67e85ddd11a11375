/// What went wrong in the assistance library, naming the thing and what to do about it.
public enum AssistError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read at all.
    case unreadableFile(path: String, reason: String)
    /// A file was read but its content is not what the library expects.
    case malformedFile(path: String, reason: String)
    /// A data file of the library could not be found in any of the places searched.
    case resourceNotFound(name: String, searched: [String])
    /// A training set too small or too uniform to train on.
    case unusableTrainingData(reason: String)
    /// A saved model does not match this version of the library or the expected fingerprint.
    case staleModel(path: String, reason: String)
    /// A model could not be written.
    case unwritableFile(path: String, reason: String)
    /// A remote backend failed; the offline result stays in force.
    case backendFailed(reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason); check the path and its permissions"
        case .malformedFile(let path, let reason):
            "\(path) is malformed: \(reason)"
        case .resourceNotFound(let name, let searched):
            "cannot find the assistance data file \(name); searched \(searched.joined(separator: ", ")); "
                + "set SWITCHBOARD_ASSIST_RESOURCES to the folder that holds it"
        case .unusableTrainingData(let reason):
            "cannot train the intent model: \(reason)"
        case .staleModel(let path, let reason):
            "the saved model \(path) cannot be used (\(reason)); it will be retrained"
        case .unwritableFile(let path, let reason):
            "cannot write \(path): \(reason); check the folder exists and is writable"
        case .backendFailed(let reason):
            "the assistance backend failed: \(reason); the offline result is kept"
        }
    }
}
