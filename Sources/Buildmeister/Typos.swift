/// "Did you mean": the names a mistyped one was probably meant to be.
public enum Typos {
    /// The names among `candidates` within a typo of `name` (an edit distance of 1, or 2 for
    /// names of 6 characters or more, unless `limit` says; case ignored), nearest first, at most
    /// three.
    public static func nearest(to name: String, among candidates: [String], limit: Int? = nil) -> [String] {
        let limit = limit ?? (name.count >= 6 ? 2 : 1)
        let scored = Set(candidates).compactMap { candidate -> (String, Int)? in
            let distance = editDistance(name.lowercased(), candidate.lowercased())
            return distance <= limit ? (candidate, distance) : nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
