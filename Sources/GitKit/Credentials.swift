import Clibgit2
import Foundation

/// Answers libgit2's credential requests the way a git user expects: the SSH agent, then the
/// default key files in `~/.ssh`; for https a token, from `BM_GIT_TOKEN`, then (for github.com
/// only) `GH_TOKEN`, then `GITHUB_TOKEN`. Each is offered once, so a rejected credential ends
/// the attempt instead of looping. (`http.extraheader`, as `actions/checkout` sets it, is sent
/// with every request: see `TransferAuth`.) Tokens are never printed.
final class Credentials {
    private var triedAgent = false
    private var keyFiles: [String]
    private var tokens: [String]? = nil
    /// The URL of the transfer these credentials are for.
    var remoteURL = ""

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
                    Trace.log("credentials: trying the ssh agent as \(user)")
                    return git_credential_ssh_key_from_agent(out, user)
                }
            }
            if let key = keyFiles.first {
                keyFiles.removeFirst()
                Trace.log("credentials: trying the ssh key \(key)")
                let publicKey = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
                return git_credential_ssh_key_new(out, user, publicKey, key, nil)
            }
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            if tokens == nil { tokens = Self.tokens(for: url.isEmpty ? remoteURL : url) }
            if let token = tokens?.first {
                tokens?.removeFirst()
                Trace.log("credentials: trying the token from \(Self.tokenSource(token, for: url.isEmpty ? remoteURL : url))")
                return git_credential_userpass_plaintext_new(out, username ?? "x-access-token", token)
            }
        }
        return GIT_PASSTHROUGH.rawValue
    }

    /// The variable a token came from (for tracing; the token itself is never shown).
    static func tokenSource(_ token: String, for url: String) -> String {
        (["BM_GIT_TOKEN"] + (isGitHub(url) ? ["GH_TOKEN", "GITHUB_TOKEN"] : [])).first { Environment.value($0) == token } ?? "the environment"
    }

    /// The tokens to try for `url`, in order, each once.
    static func tokens(for url: String, lookUp: (String) -> String? = Environment.value) -> [String] {
        var names = ["BM_GIT_TOKEN"]
        if isGitHub(url) { names += ["GH_TOKEN", "GITHUB_TOKEN"] }
        var tokens: [String] = []
        for name in names {
            if let token = lookUp(name), !token.isEmpty, !tokens.contains(token) { tokens.append(token) }
        }
        return tokens
    }

    /// Whether `url` is on github.com (https, any user part).
    static func isGitHub(_ url: String) -> Bool {
        let rest = TransferAuth.redacted(url).lowercased()
        guard rest.hasPrefix("https://") else { return false }
        let host = rest.dropFirst("https://".count).prefix { $0 != "/" && $0 != ":" }
        return host == "github.com" || host == "www.github.com"
    }
}
