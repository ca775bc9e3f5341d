import Clibgit2
import Foundation

/// Answers libgit2's credential requests the way a git user expects: the SSH agent, then the
/// default key files in `~/.ssh`, and for https a token from `BM_GIT_TOKEN`. Each kind is
/// offered once, so a rejected credential ends the attempt instead of looping.
final class Credentials {
    private var triedAgent = false
    private var keyFiles: [String]
    private var triedToken = false

    init() {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        keyFiles = ["id_ed25519", "id_ecdsa", "id_rsa"].map { "\(home)/.ssh/\($0)" }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Fills `out` for `allowed` credential types; returns 0, or GIT_PASSTHROUGH when out of ideas.
    func provide(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, url: String,
                 username: String?, allowed: UInt32) -> Int32 {
        let user = username ?? URLComponents(string: url)?.user ?? "git"
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if !triedAgent {
                triedAgent = true
                if ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] != nil {
                    return git_credential_ssh_key_from_agent(out, user)
                }
            }
            if let key = keyFiles.first {
                keyFiles.removeFirst()
                let publicKey = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
                return git_credential_ssh_key_new(out, user, publicKey, key, nil)
            }
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, !triedToken,
           let token = ProcessInfo.processInfo.environment["BM_GIT_TOKEN"], !token.isEmpty {
            triedToken = true
            return git_credential_userpass_plaintext_new(out, username ?? "x-access-token", token)
        }
        return GIT_PASSTHROUGH.rawValue
    }
}
