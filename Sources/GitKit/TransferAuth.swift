import Clibgit2
import Foundation

/// What authenticates a transfer besides the credential callback: the HTTP headers git's
/// `http.extraheader` settings add (as `actions/checkout` leaves its token, in
/// `http.https://github.com/.extraheader`), and the rule that URLs are printed without the
/// credentials they may carry.
enum TransferAuth {
    /// The `http.extraheader` values that apply to `url`: the plain key, and every
    /// `http.<prefix>.extraheader` whose URL prefix `url` starts with (at a `/` boundary), as
    /// git's URL matching picks them for https remotes. Only for http(s) URLs.
    static func extraHeaders(for url: String, config: Config) -> [String] {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return [] }
        let target = redacted(url)
        let entries = (try? config.entries(matching: #"^http\..*extraheader$"#)) ?? []
        return entries.compactMap { entry -> String? in
            let name = entry.name
            guard name.lowercased().hasSuffix(".extraheader"), !entry.value.isEmpty else { return nil }
            let middle = String(name.dropFirst("http.".count).dropLast(".extraheader".count))
            if name.lowercased() == "http.extraheader" { return entry.value }
            let prefix = middle.hasSuffix("/") ? String(middle.dropLast()) : middle
            guard target.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
            let rest = target.dropFirst(prefix.count)
            return rest.isEmpty || rest.hasPrefix("/") ? entry.value : nil
        }
    }

    /// `url` without the user name and password it may embed (`https://user:token@host/...`).
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
              !url[scheme.upperBound..<at].contains("/") else { return url }
        return String(url[..<scheme.upperBound]) + url[url.index(after: at)...]
    }

    /// The extra headers for the remote at `url` of the repository `repository`, as a
    /// `git_strarray` for `body`.
    static func withHeaders<T>(for url: String, in repository: OpaquePointer?,
                               _ body: (UnsafeMutablePointer<git_strarray>) throws -> T) throws -> T {
        var headers: [String] = []
        if let repository {
            var snapshot: OpaquePointer?
            if git_repository_config_snapshot(&snapshot, repository) == 0, let snapshot {
                let config = Config(pointer: snapshot)
                try? EnvironmentConfig.apply(to: snapshot, repository: repository)
                headers = extraHeaders(for: url, config: config)
            }
        }
        return try withStrArray(headers, body)
    }
}

extension Repository {
    /// `url` as it may be printed: without embedded credentials.
    public static func printableURL(_ url: String) -> String { TransferAuth.redacted(url) }
}
