/// Ages as people say them: "just now", "5 minutes ago", "3 days ago".
enum RelativeTime {
    static func describe(seconds: Int64) -> String {
        if seconds < 0 { return "the future (clock skew)" }
        if seconds < 60 { return "just now" }
        let units: [(Int64, String)] = [(365 * 86_400, "year"), (30 * 86_400, "month"), (7 * 86_400, "week"),
                                        (86_400, "day"), (3_600, "hour"), (60, "minute")]
        for (size, name) in units where seconds >= size {
            let count = seconds / size
            return "\(count) \(name)\(count == 1 ? "" : "s") ago"
        }
        return "just now"
    }
}
