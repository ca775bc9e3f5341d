import Clibgit2
import Foundation

/// The configuration git takes from its environment and libgit2 1.5 ignores:
/// `GIT_CONFIG_GLOBAL` (the file that replaces `~/.gitconfig`) and the
/// `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` entries, which win over
/// every file, as `git -c` does. CI sets `bm.*` this way without writing files.
enum EnvironmentConfig {
    /// `GIT_CONFIG_GLOBAL`, and the entries as a config file to load at the top level.
    private static let overrides: (global: String?, entriesFile: String?) = {
        let global = Environment.value("GIT_CONFIG_GLOBAL").flatMap { $0.isEmpty ? nil : $0 }
        let pairs = Self.entries()
        return (global, pairs.isEmpty ? nil : PrivateConfigFile.write(pairs))
    }()

    /// Whether the environment changes the configuration at all.
    static var isActive: Bool { overrides.global != nil || overrides.entriesFile != nil }

    /// The `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` pairs, in order; like git, a count
    /// that is not a number, or a missing key, makes none count.
    static func entries() -> [(key: String, value: String)] {
        guard let countText = Environment.value("GIT_CONFIG_COUNT"), let count = Int(countText), count > 0,
              count <= 10_000 else { return [] }
        var entries: [(String, String)] = []
        for index in 0..<count {
            guard let key = Environment.value("GIT_CONFIG_KEY_\(index)"), !key.isEmpty else { return [] }
            entries.append((key, Environment.value("GIT_CONFIG_VALUE_\(index)") ?? ""))
        }
        return entries
    }

    /// Adds the environment's levels to `config` (a snapshot: the added levels are never written).
    static func apply(to config: OpaquePointer, repository: OpaquePointer) throws {
        if let global = overrides.global {
            // A missing file is an empty level, as in git.
            let path = FileManager.default.fileExists(atPath: global) ? global : "/dev/null"
            try check(git_config_add_file_ondisk(config, path, GIT_CONFIG_LEVEL_GLOBAL, repository, 1),
                      "read GIT_CONFIG_GLOBAL \(global)")
        }
        if let file = overrides.entriesFile {
            try check(git_config_add_file_ondisk(config, file, GIT_CONFIG_LEVEL_APP, repository, 1),
                      "read GIT_CONFIG_COUNT entries")
        }
    }
}
