#if canImport(Glibc)
import Glibc
#endif

/// Environment variables, read one at a time with `getenv`: building Foundation's whole
/// environment dictionary costs more than the pre-push hook's own work.
public enum Environment {
    /// The value of `name`, or nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The values of those of `names` that are set.
    public static func values(_ names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names { if let value = value(name) { values[name] = value } }
        return values
    }
}
