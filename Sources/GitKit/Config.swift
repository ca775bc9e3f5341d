import Clibgit2

/// A live git configuration. Reads see every level, most specific first, as `git config` does.
public final class Config {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_config_free(pointer) }

    /// The value of `key`, or nil when it is not set.
    public func string(_ key: String) throws -> String? {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_config_get_string_buf(&buffer, pointer, key)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "read config \(key)")
        return String(cString: buffer.ptr)
    }

    /// The value of `key` read as a git boolean (true/yes/on/1...), or nil when it is not set.
    public func bool(_ key: String) throws -> Bool? {
        var value: Int32 = 0
        let result = git_config_get_bool(&value, pointer, key)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "read config \(key)")
        return value != 0
    }

    /// The value of `key` read as a git integer (with k/m/g suffixes), or nil when it is not set.
    public func int(_ key: String) throws -> Int64? {
        var value: Int64 = 0
        let result = git_config_get_int64(&value, pointer, key)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "read config \(key)")
        return value
    }

    /// The value of `key` read as a path, with a leading `~/` expanded; nil when it is not set.
    public func path(_ key: String) throws -> String? {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_config_get_path(&buffer, pointer, key)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "read config \(key)")
        return String(cString: buffer.ptr)
    }
}

extension Config {
    /// Sets `key` in the most specific writable level (use `Repository.localConfig()`).
    public func set(_ key: String, _ value: String) throws {
        try check(git_config_set_string(pointer, key, value), "set config \(key)")
    }

    /// Removes `key` from the most specific writable level; nothing happens when it is not set there.
    public func remove(_ key: String) throws {
        let result = git_config_delete_entry(pointer, key)
        if result != GIT_ENOTFOUND.rawValue { try check(result, "unset config \(key)") }
    }
}

extension Config {
    /// Every `(name, value)` whose name matches the regular expression `pattern`, in the order
    /// git lists them (`git config --get-regexp`), multi-valued keys included.
    public func entries(matching pattern: String) throws -> [(name: String, value: String)] {
        var iterator: OpaquePointer?
        try check(git_config_iterator_glob_new(&iterator, pointer, pattern), "read config \(pattern)")
        defer { git_config_iterator_free(iterator) }
        var entries: [(String, String)] = []
        var entry: UnsafeMutablePointer<git_config_entry>?
        while git_config_next(&entry, iterator) == 0, let current = entry?.pointee {
            entries.append((String(cString: current.name), String(cString: current.value)))
        }
        return entries
    }
}

extension Config {
    /// Where the value of `key` comes from (the level that wins), or nil when it is not set.
    public func origin(of key: String) -> ConfigOrigin? {
        var entry: UnsafeMutablePointer<git_config_entry>?
        guard git_config_get_entry(&entry, pointer, key) == 0, let found = entry else { return nil }
        defer { git_config_entry_free(found) }
        return ConfigOrigin(level: found.pointee.level)
    }
}

/// The configuration level a value was read from, named as `git config --show-scope` names it.
public enum ConfigOrigin: String, Sendable, Codable {
    case team, system, global, local, environment

    init(level: git_config_level_t) {
        switch level {
        case TeamConfig.level: self = .team
        case GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM: self = .system
        case GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL: self = .global
        case GIT_CONFIG_LEVEL_LOCAL: self = .local
        default: self = .environment
        }
    }
}
