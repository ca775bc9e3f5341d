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

    /// `2026-11-25 10:00 UTC`: short, unambiguous, the same on every machine.
    public static func utc(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// ISO 8601 in UTC, for JSON.
    public static func iso(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
