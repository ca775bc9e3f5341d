import Foundation

/// Points in time as bm-git reads and writes them.
public enum Timestamp {
    /// Unix seconds from ISO 8601 (`2026-11-25T10:00:00Z`, `...+01:00`, fractional seconds
    /// allowed) or a plain number of unix seconds.
    public static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) { return seconds }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime],
                                                       [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return Int64(date.timeIntervalSince1970) }
        }
        throw BuildmeisterError.invalidTime(text)
    }

    /// `2026-11-25 10:00 UTC`: short, unambiguous, the same on every machine. (Formatted by
    /// hand: a DateFormatter loads ICU, which costs milliseconds on a path that runs often.)
    public static func utc(_ seconds: Int64) -> String {
        var time = time_t(seconds), parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

}
