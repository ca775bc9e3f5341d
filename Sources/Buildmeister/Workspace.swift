import Foundation
import GitKit

/// Opens the repository a command works on, turning "none here" into a user-facing error.
public enum Workspace {
    /// The repository containing `directory` (default: the current directory), or `GIT_DIR`'s.
    public static func open(from directory: String = currentDirectory) throws -> Repository {
        do {
            return try Repository.discover(from: directory)
        } catch let error as GitError where error.isNotFound {
            throw BuildmeisterError.notARepository(path: directory)
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// The process's working directory, read without FileManager, whose first use alone costs
    /// about a millisecond.
    public static var currentDirectory: String {
        guard let path = getcwd(nil, 0) else { return "." }
        defer { free(path) }
        return String(cString: path)
    }
}
