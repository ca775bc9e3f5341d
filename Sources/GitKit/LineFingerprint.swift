/// git blame's fingerprint of a line (`blame.c`): the multiset of its lowercased byte pairs, with
/// whitespace as 0 and pairs of whitespace left out. Two lines are as similar as the size of
/// the intersection of their multisets.
struct LineFingerprint {
    /// Byte pairs (first byte in the low 8 bits) and how often each occurs, sorted by pair.
    private var pairs: [(pair: UInt16, count: Int32)]

    init<Bytes: Collection<UInt8>>(_ line: Bytes) {
        var counts: [UInt16: Int32] = [:]
        var previous: UInt16 = 0
        for byte in line + [32] {
            let current = Self.isSpace(byte) ? 0 : UInt16(Self.lowercased(byte))
            let pair = previous | (current << 8)
            previous = current
            if pair != 0 { counts[pair, default: 0] += 1 }
        }
        pairs = counts.map { ($0.key, $0.value) }.sorted { $0.pair < $1.pair }
    }

    /// The fingerprints of each line of `content` (a line keeps its newline, as in git).
    static func lines(of content: UnsafeRawBufferPointer) -> [LineFingerprint] {
        var result: [LineFingerprint] = []
        var start = 0
        while start < content.count {
            let end = content[start...].firstIndex(of: 10).map { $0 + 1 } ?? content.count
            result.append(LineFingerprint(content[start..<end]))
            start = end
        }
        return result
    }

    func similarity(to other: LineFingerprint) -> Int {
        var total = 0, i = 0, j = 0
        while i < pairs.count && j < other.pairs.count {
            if pairs[i].pair < other.pairs[j].pair { i += 1 } else if pairs[i].pair > other.pairs[j].pair { j += 1 } else {
                total += Int(min(pairs[i].count, other.pairs[j].count))
                i += 1
                j += 1
            }
        }
        return total
    }

    /// Takes `other`'s pairs out of this one, so that no other line can match them again.
    mutating func subtract(_ other: LineFingerprint) {
        var j = 0
        for i in pairs.indices {
            while j < other.pairs.count && other.pairs[j].pair < pairs[i].pair { j += 1 }
            if j < other.pairs.count && other.pairs[j].pair == pairs[i].pair {
                pairs[i].count = max(0, pairs[i].count - other.pairs[j].count)
            }
        }
    }

    /// git's own `isspace`: space, tab, LF and CR only.
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    private static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
}
