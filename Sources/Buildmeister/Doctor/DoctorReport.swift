import GitKit

/// Everything `bm-git doctor` reports. Its JSON form is a documented, stable schema (README).
public struct DoctorReport: Sendable, Encodable, Equatable {
    public struct RepositoryFacts: Sendable, Encodable, Equatable {
        /// The work tree's root; nil for a bare repository.
        @NullEncoded public var root: String? = nil
        public var gitDir: String
        public var commonDir: String
        public var bare: Bool
        public var linkedWorktree: Bool
        /// No commits yet.
        public var empty: Bool
        /// When this is a submodule's checkout: the superproject's work tree, where bm-git's
        /// commands belong; nil otherwise.
        @NullEncoded public var superproject: String? = nil
        /// That submodule's name in the superproject.
        @NullEncoded public var submoduleOf: String? = nil
    }

    public struct HeadFacts: Sendable, Encodable, Equatable {
        /// The current branch; nil when detached.
        @NullEncoded public var branch: String? = nil
        public var detached: Bool
        /// On a branch with no commits yet.
        public var unborn: Bool
        @NullEncoded public var commit: String? = nil
    }

    /// A ref that HEAD is compared with, and how far apart they are.
    public struct Comparison: Sendable, Encodable, Equatable {
        public var ref: String
        public var exists: Bool
        @NullEncoded public var commit: String? = nil
        /// Commits HEAD has that `ref` lacks; nil when either side is missing.
        @NullEncoded public var ahead: Int? = nil
        /// Commits `ref` has that HEAD lacks; nil when either side is missing.
        @NullEncoded public var behind: Int? = nil
    }

    public struct MainFacts: Sendable, Encodable, Equatable {
        public var remote: String
        public var branch: String
        /// Why this branch is the main branch, such as "origin/HEAD points to it".
        public var reason: String
        public var tracking: Comparison
    }

    public struct SubmoduleFacts: Sendable, Encodable, Equatable {
        public var name: String
        /// Declared in `.gitmodules` (or the index).
        public var present: Bool
        @NullEncoded public var path: String? = nil
        @NullEncoded public var url: String? = nil
        /// The branch it follows: `.gitmodules` branch, then `bm.mainBranch`, then `master`.
        public var branch: String
        public var initialised: Bool
        public var cloned: Bool
        /// The commit recorded in the superproject's HEAD.
        @NullEncoded public var pointer: String? = nil
        /// The commit recorded in the superproject's index, when it differs from `pointer`.
        @NullEncoded public var staged: String? = nil
        /// The commit checked out in the submodule.
        @NullEncoded public var checkedOut: String? = nil
        /// The submodule's remote-tracking ref of `branch`, compared with `pointer` (as last fetched).
        @NullEncoded public var tracking: Comparison? = nil
    }

    public struct HookFacts: Sendable, Encodable, Equatable {
        public var directory: String
        /// Whether `core.hooksPath` chose the directory.
        public var hooksPath: Bool
        public var path: String
        /// bm-git's pre-push shim is installed.
        public var installed: Bool
        /// The installed shim is an earlier version (`bm-git install-hooks` upgrades it).
        public var outdated: Bool = false
        /// A pre-push hook that is not bm-git's is installed.
        public var foreign: Bool
        /// A previous hook is kept as `pre-push.bm-chained` and runs first.
        public var chained: Bool
        /// Who else manages the hook: pre-commit, lefthook, husky, tracked-directory, other.
        @NullEncoded public var manager: String? = nil
        /// `pre-commit install` moved bm-git's hook aside; pushes fail until install-hooks repairs it.
        public var preCommitMigrationMode: Bool
        /// Where another manager's install moved bm-git's hook (`pre-push.old`); nil when it did not.
        @NullEncoded public var displacedShim: String? = nil
    }

    public struct SettingFact: Sendable, Encodable, Equatable {
        public var key: String
        public var value: String
        /// flag, config, detected or default.
        public var source: String
        /// For a value from config, the level: team (`.bm-git`), system, global, local or environment.
        @NullEncoded public var origin: String? = nil
    }

    /// The team's committed `.bm-git` file.
    public struct TeamConfigFacts: Sendable, Encodable, Equatable {
        /// absent, read or ignored.
        public var state: String
        /// Where it was read from (a path, or `HEAD:.bm-git` in a bare repository).
        @NullEncoded public var path: String? = nil
        /// How many `bm.*` entries it sets.
        public var entries: Int = 0
        /// Keys it sets outside `bm.*` (never read from it).
        public var ignoredKeys: [String] = []
        /// Why it was not read.
        @NullEncoded public var reason: String? = nil
    }

    /// A `bm.*` key that bm-git does not read: a typo, most likely.
    public struct UnknownSetting: Sendable, Encodable, Equatable {
        public var key: String
        @NullEncoded public var origin: String? = nil
        public var didYouMean: [String]
    }

    public struct LibraryFacts: Sendable, Encodable, Equatable {
        public var version: String
        public var features: [String]
    }

    public var repository: RepositoryFacts
    public var head: HeadFacts
    /// The current branch's upstream; nil when it has none.
    @NullEncoded public var upstream: Comparison? = nil
    public var main: MainFacts
    /// Nil in a bare repository.
    @NullEncoded public var status: StatusSummary? = nil
    public var submodule: SubmoduleFacts
    public var hook: HookFacts
    public var settings: [SettingFact]
    public var teamConfig: TeamConfigFacts
    public var unknownSettings: [UnknownSetting]
    public var libgit2: LibraryFacts
    /// The command whose publish was interrupted (run `bm-git recover`); nil when none was.
    @NullEncoded public var interruptedPublish: String? = nil
}
