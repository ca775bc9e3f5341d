import Foundation

/// Resolves a submodule URL such as `../amp.git` the way git does: against the superproject's
/// remote URL, dropping one path component for each leading `../`.
enum RelativeURL {
    static func isRelative(_ url: String) -> Bool { url.hasPrefix("./") || url.hasPrefix("../") }

    /// `url` resolved against `base` (a URL, an scp-like `host:path`, or a path). A relative
    /// `base` is itself taken from `directory`, as git takes it from the superproject.
    static func resolve(_ url: String, against base: String, directory: String) -> String {
        guard isRelative(url) else { return url }
        var remote = base
        if isRelative(remote) || !(remote.contains(":") || remote.hasPrefix("/")) {
            remote = URL(fileURLWithPath: remote, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
                .standardizedFileURL.path
        }
        while remote.hasSuffix("/") { remote.removeLast() }
        var rest = Substring(url)
        var separator: Character = "/"
        while true {
            if rest.hasPrefix("./") {
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("../") {
                rest = rest.dropFirst(3)
                if let cut = remote.lastIndex(where: { $0 == "/" || $0 == ":" }) {
                    separator = remote[cut]
                    remote = String(remote[..<cut])
                } else {
                    remote = "."
                }
            } else {
                break
            }
        }
        return remote + String(separator) + rest
    }
}
