import Foundation

/// Points in time as bm-git reads and writes them.
public enum Timestamp {
    /// Unix seconds from ISO 8601 (`2026-11-25T10:00:00Z`, `...+01:00`, fractional seconds
    /// allowed), unix seconds (`1764064800` or `@1764064800`), a date and time in local time
    /// (`2026-11-25 10:00`, optionally `+0100`), or the relative forms git reads (`now`,
    /// `2 hours ago`, `1 day 3 hours ago`, `yesterday`, `yesterday 14:00`, `today 09:30`,
    /// `14:00`, `noon`, `midnight`), relative to `now`.
    public static func parse(_ text: String, now: Int64) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed) { return seconds }
        if trimmed.hasPrefix("@"), let seconds = Int64(trimmed.dropFirst()) { return seconds }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime],
                                                       [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return Int64(date.timeIntervalSince1970) }
        }
        if let seconds = localDateTime(trimmed) ?? relative(trimmed.lowercased(), now: now) { return seconds }
        throw BuildmeisterError.invalidTime(text)
    }

    /// `YYYY-MM-DD HH:MM[:SS] [±HHMM]`, in local time unless an offset is given.
    private static func localDateTime(_ text: String) -> Int64? {
        let words = text.split(separator: " ")
        guard words.count == 2 || words.count == 3 else { return nil }
        let date = words[0].split(separator: "-").compactMap { Int32($0) }
        guard date.count == 3, let clock = clockTime(words[1]) else { return nil }
        var parts = tm()
        parts.tm_year = date[0] - 1900
        parts.tm_mon = date[1] - 1
        parts.tm_mday = date[2]
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = clock
        guard words.count == 3 else {
            parts.tm_isdst = -1
            return Int64(mktime(&parts))
        }
        let zone = words[2]
        guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-", let digits = Int64(zone.dropFirst())
        else { return nil }
        let offset = (digits / 100 * 3_600 + digits % 100 * 60) * (sign == "-" ? -1 : 1)
        return Int64(timegm(&parts)) - offset
    }

    /// `HH:MM` or `HH:MM:SS`.
    private static func clockTime(_ text: Substring) -> (Int32, Int32, Int32)? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map { Int32($0) }
        guard fields.count == 2 || fields.count == 3, fields.allSatisfy({ $0 != nil }) else { return nil }
        let hour = fields[0]!, minute = fields[1]!, second = fields.count == 3 ? fields[2]! : 0
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return (hour, minute, second)
    }

    /// git's relative dates, in local time.
    private static func relative(_ text: String, now: Int64) -> Int64? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "." }).map(String.init)
        guard !words.isEmpty else { return nil }
        if words == ["now"] { return now }
        var time = time_t(now), parts = tm()
        localtime_r(&time, &parts)
        if words.last == "ago" {
            words.removeLast()
            guard !words.isEmpty, words.count % 2 == 0 else { return nil }
            for pair in stride(from: 0, to: words.count, by: 2) {
                guard let count = Int32(words[pair]), count >= 0 else { return nil }
                var unit = words[pair + 1]
                if unit.hasSuffix("s") && unit.count > 3 { unit.removeLast() }
                switch unit {
                case "sec", "second": parts.tm_sec -= count
                case "min", "minute": parts.tm_min -= count
                case "hour": parts.tm_hour -= count
                case "day": parts.tm_mday -= count
                case "week": parts.tm_mday -= 7 * count
                case "month": parts.tm_mon -= count
                case "year": parts.tm_year -= count
                default: return nil
                }
            }
            parts.tm_isdst = -1
            return Int64(mktime(&parts))
        }
        var dayShift: Int32 = 0
        if words.first == "yesterday" { dayShift = -1; words.removeFirst() } else if words.first == "today" { words.removeFirst() }
        var clock: (Int32, Int32, Int32)?
        switch words.count {
        case 0: clock = dayShift == 0 ? nil : (parts.tm_hour, parts.tm_min, parts.tm_sec)
        case 1: clock = words[0] == "noon" ? (12, 0, 0) : words[0] == "midnight" ? (0, 0, 0) : clockTime(Substring(words[0]))
        default: return nil
        }
        guard let clock else { return nil }
        parts.tm_mday += dayShift
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = clock
        parts.tm_isdst = -1
        return Int64(mktime(&parts))
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
