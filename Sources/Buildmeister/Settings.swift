import GitKit

/// bm-git's configuration: the `bm.*` git config keys, with defaults, overridden by flags.
public struct Settings: Sendable {
    /// Where a value came from.
    public enum Source: String, Sendable, Codable {
        case flag, config, detected, `default`
    }

    /// One effective value and its origin.
    public struct Value<T: Sendable>: Sendable {
        public let value: T
        public let source: Source
    }

    /// Every `bm.*` key bm-git reads, as documented (subsections keep their case, as in git).
    public static let knownKeys = [
        "bm.remote", "bm.mainBranch", "bm.submodule", "bm.revertWindow", "bm.prePush.fetch",
        "bm.prePush.fetchTimeout", "bm.prePush.maxBehind", "bm.repoName", "bm.testTypes", "bm.bisect.command",
    ]

    /// What bisect runs when neither `--run` nor `bm.bisect.command` says: `{tests}` becomes the ids.
    public static let defaultBisectCommand = "python -m pytest -x -q {tests}"

    /// Values given on the command line; they win over git config.
    public struct Overrides: Sendable {
        public var remote: String?
        public var mainBranch: String?
        public var submodule: String?
        public var revertWindow: String?

        public init(remote: String? = nil, mainBranch: String? = nil, submodule: String? = nil,
                    revertWindow: String? = nil) {
            self.remote = remote
            self.mainBranch = mainBranch
            self.submodule = submodule
            self.revertWindow = revertWindow
        }
    }

    /// `bm.remote`: the remote whose main branch is the truth (default `origin`).
    public let remote: Value<String>
    /// `bm.mainBranch`: what `<remote>/HEAD` points to, else `master`, else `main`.
    public let mainBranch: Value<String>
    /// Why that main branch was chosen, for doctor ("origin/HEAD points to it").
    public let mainBranchReason: String
    /// `bm.submodule`: the submodule that roll-amp moves (default `amp`).
    public let submodule: Value<String>
    /// `bm.revertWindow`: how long the author has to fix a break (default 1h).
    public let revertWindow: Value<TimeSpan>
    /// `bm.prePush.fetch`: fetch the main branch before the pre-push check (default false).
    public let prePushFetch: Value<Bool>
    /// `bm.prePush.fetchTimeout`: the bound on that fetch (default 5s).
    public let prePushFetchTimeout: Value<TimeSpan>
    /// `bm.prePush.maxBehind`: how many main-branch commits a pushed branch may lack (default 0).
    public let prePushMaxBehind: Value<Int>

    /// The full name of the remote-tracking ref of the main branch, such as `refs/remotes/origin/master`.
    public var mainTrackingRef: String { "refs/remotes/\(remote.value)/\(mainBranch.value)" }

    /// Reads the settings of `repository`, applying `overrides` on top.
    public static func load(from repository: Repository, overrides: Overrides = Overrides()) throws -> Settings {
        do {
            let config = try repository.config()
            let remote = try pick(overrides.remote, config.string("bm.remote"), default: "origin")
            let main = try mainBranch(overrides.mainBranch, config, repository, remote: remote.value)
            return Settings(
                remote: remote,
                mainBranch: main.value,
                mainBranchReason: main.reason,
                submodule: try pick(overrides.submodule, config.string("bm.submodule"), default: "amp"),
                revertWindow: try span(overrides.revertWindow, flagName: "--window", config,
                                       key: "bm.revertWindow", default: TimeSpan(seconds: 3_600)),
                prePushFetch: try setting(config, "bm.prePush.fetch", as: "a boolean (true or false)",
                                          read: config.bool, default: false),
                prePushFetchTimeout: try span(nil, flagName: "", config,
                                              key: "bm.prePush.fetchTimeout", default: TimeSpan(seconds: 5)),
                prePushMaxBehind: try maxBehind(config)
            )
        } catch let error as GitError {
            throw BuildmeisterError(error)
        }
    }

    /// Every setting as `(key, value, source, origin)`, in documentation order, for doctor:
    /// these settings, then those of triage and bisect (`bm.repoName`, every `bm.testTypes`,
    /// `bm.bisect.command`) read from `config`; `origin` is the configuration level of a value
    /// read from config (git's scope, or the team's `.bm-git`).
    public func entries(from config: Config) throws -> [(key: String, value: String, source: Source, origin: ConfigOrigin?)] {
        let typed: [(String, String, Source)] = [
            ("bm.remote", remote.value, remote.source),
            ("bm.mainBranch", mainBranch.value, mainBranch.source),
            ("bm.submodule", submodule.value, submodule.source),
            ("bm.revertWindow", revertWindow.value.description, revertWindow.source),
            ("bm.prePush.fetch", String(prePushFetch.value), prePushFetch.source),
            ("bm.prePush.fetchTimeout", prePushFetchTimeout.value.description, prePushFetchTimeout.source),
            ("bm.prePush.maxBehind", String(prePushMaxBehind.value), prePushMaxBehind.source),
        ]
        let defaults = ["bm.repoName": "the name of origin's URL", "bm.testTypes": "none",
                        "bm.bisect.command": Self.defaultBisectCommand]
        let commandSettings: [(String, String?)] = [
            ("bm.repoName", try config.string("bm.repoName")),
            ("bm.testTypes", try config.entries(matching: #"^bm\.testtypes$"#).map(\.value).joined(separator: ", ")),
            ("bm.bisect.command", try config.string("bm.bisect.command")),
        ]
        let untyped = commandSettings.map { key, value in
            let value = value.flatMap { $0.isEmpty ? nil : $0 }
            return (key, value ?? defaults[key] ?? "", value == nil ? Source.default : .config)
        }
        return (typed + untyped).map { key, value, source in
            (key, value, source, source == .config ? config.origin(of: key) : nil)
        }
    }

    /// The `bm.*` keys set in `config` that bm-git does not know, each with the known keys it
    /// was probably meant to be (`bm.mainBrach` → `bm.mainBranch`).
    public static func unknownKeys(in config: Config) throws -> [(key: String, origin: ConfigOrigin?, didYouMean: [String])] {
        let known = Dictionary(knownKeys.map { (normalised($0), $0) }) { first, _ in first }
        var seen = Set<String>()
        return try config.entries(matching: #"^bm\."#).compactMap { entry in
            guard known[entry.name] == nil, seen.insert(entry.name).inserted else { return nil }
            let near = Typos.nearest(to: entry.name, among: knownKeys, limit: 3)
            return (entry.name, config.origin(of: entry.name), near)
        }
    }

    /// A key as libgit2 names it: section and variable in lower case, a subsection as written.
    private static func normalised(_ key: String) -> String {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return key.lowercased() }
        return parts.first!.lowercased() + "." + parts.dropFirst().dropLast().joined(separator: ".") + "." + parts.last!.lowercased()
    }

    private static func pick(_ flag: String?, _ configured: String?, default fallback: String) -> Value<String> {
        if let flag { return Value(value: flag, source: .flag) }
        if let configured, !configured.isEmpty { return Value(value: configured, source: .config) }
        return Value(value: fallback, source: .default)
    }

    /// The main branch and why: a flag or `bm.mainBranch`; else the branch the remote's HEAD
    /// points to (`refs/remotes/<remote>/HEAD`, as `git clone` and `git remote set-head` set it),
    /// which beats an old `master` left beside a newer `main`; else `master` when it exists
    /// locally or on the remote; else `main` when that exists; else `master`.
    private static func mainBranch(_ flag: String?, _ config: Config, _ repository: Repository,
                                   remote: String) throws -> (value: Value<String>, reason: String) {
        let chosen = pick(flag, try config.string("bm.mainBranch"), default: "master")
        switch chosen.source {
        case .flag: return (chosen, "given on the command line")
        case .config: return (chosen, "set in bm.mainBranch")
        case .detected, .default: break
        }
        let prefix = "refs/remotes/\(remote)/"
        if let target = try repository.symbolicTarget(of: prefix + "HEAD"), target.hasPrefix(prefix),
           try repository.resolve(target) != nil {
            return (Value(value: String(target.dropFirst(prefix.count)), source: .detected), "\(remote)/HEAD points to it")
        }
        func exists(_ name: String) throws -> Bool {
            try repository.resolve("refs/heads/\(name)") != nil
                || repository.resolve("refs/remotes/\(remote)/\(name)") != nil
        }
        if try exists("master") { return (chosen, "\(remote)/HEAD is not set, and master exists") }
        if try exists("main") { return (Value(value: "main", source: .detected), "\(remote)/HEAD is not set, and only main exists") }
        return (chosen, "the default: no \(remote)/HEAD, master or main was found")
    }

    private static func span(_ flag: String?, flagName: String, _ config: Config, key: String,
                             default fallback: TimeSpan) throws -> Value<TimeSpan> {
        let expected = "a duration such as 1h, 45m or 90s"
        if let flag {
            guard let span = TimeSpan(parsing: flag) else {
                throw BuildmeisterError.invalidFlag(flag: flagName, value: flag, expected: expected)
            }
            return Value(value: span, source: .flag)
        }
        guard let configured = try config.string(key) else { return Value(value: fallback, source: .default) }
        guard let span = TimeSpan(parsing: configured) else {
            throw BuildmeisterError.invalidSetting(key: key, value: configured, expected: expected,
                                                   inTeamFile: config.origin(of: key) == .team)
        }
        return Value(value: span, source: .config)
    }

    private static func maxBehind(_ config: Config) throws -> Value<Int> {
        let value = try setting(config, "bm.prePush.maxBehind", as: "a whole number of commits, 0 or more",
                                read: config.int, default: 0)
        guard value.value >= 0, value.value <= Int64(Int32.max) else {
            throw BuildmeisterError.invalidSetting(key: "bm.prePush.maxBehind", value: String(value.value),
                                                   expected: "a whole number of commits, 0 or more",
                                                   inTeamFile: config.origin(of: "bm.prePush.maxBehind") == .team)
        }
        return Value(value: Int(value.value), source: value.source)
    }

    /// Reads a typed key, turning libgit2's parse failure into an `invalidSetting` error.
    private static func setting<T: Sendable>(_ config: Config, _ key: String, as expected: String,
                                             read: (String) throws -> T?, default fallback: T) throws -> Value<T> {
        do {
            guard let value = try read(key) else { return Value(value: fallback, source: .default) }
            return Value(value: value, source: .config)
        } catch is GitError {
            let raw = (try? config.string(key)) ?? ""
            throw BuildmeisterError.invalidSetting(key: key, value: raw, expected: expected,
                                                   inTeamFile: config.origin(of: key) == .team)
        }
    }
}

extension Settings {
    /// The branch a submodule follows: its `.gitmodules` `branch` (where `.` means the
    /// superproject's current branch, as in git), then an explicit `bm.mainBranch`, then `master`.
    public func submoduleBranch(declared: String?, head: Head) -> String {
        if let declared, !declared.isEmpty {
            if declared == ".", let current = head.branchName { return current }
            if declared != "." { return declared }
        }
        return mainBranch.source == .flag || mainBranch.source == .config ? mainBranch.value : "master"
    }
}
