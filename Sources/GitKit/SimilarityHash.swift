/// git's estimate of how much of one file another holds (`diffcore-delta.c`): the content is cut
/// into chunks that end at a newline or after 64 bytes, each chunk is hashed, and two files share
/// the bytes of the chunks they have in common. Rename detection scores pairs with it.
struct SimilarityHash {
    /// Bytes per chunk hash.
    private let counts: [UInt32: Int]

    init(_ bytes: UnsafeRawBufferPointer) {
        let isText = !Self.isBinary(bytes)
        var counts: [UInt32: Int] = [:]
        var accumulator1: UInt32 = 0, accumulator2: UInt32 = 0, length = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            // A CR before LF is not counted in text.
            if isText && byte == 13 && index < bytes.count && bytes[index] == 10 { continue }
            let old1 = accumulator1
            accumulator1 = (accumulator1 << 7) ^ (accumulator2 >> 25)
            accumulator2 = (accumulator2 << 7) ^ (old1 >> 25)
            accumulator1 &+= UInt32(byte)
            length += 1
            if length < 64 && byte != 10 { continue }
            counts[(accumulator1 &+ accumulator2 &* 0x61) % 107_927, default: 0] += length
            length = 0
            accumulator1 = 0
            accumulator2 = 0
        }
        self.counts = counts
    }

    /// The bytes of `destination` that also appear in this (the source).
    func copied(into destination: SimilarityHash) -> Int {
        var shared = 0
        for (hash, count) in counts {
            if let other = destination.counts[hash] { shared += min(count, other) }
        }
        return shared
    }

    /// git's binary test: a NUL byte in the first 8000.
    static func isBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.prefix(8000).contains(0)
    }
}

/// git's rename score between two regular files of `sourceSize` and `destinationSize` bytes, on
/// its scale of 0...60000 (`MAX_SCORE`); 0 when the sizes alone rule a score of `minimum` out.
/// `hashes` is asked for only when the sizes pass.
enum RenameScore {
    static let maximum = 60_000.0
    /// 50%, git's default `-M`.
    static let minimum = 30_000
    /// Same-basename pairs must reach 75% (git's `min_basename_score`).
    static let basenameMinimum = minimum + Int(0.5 * (maximum - Double(minimum)))

    static func estimate(sourceSize: Int, destinationSize: Int, minimum: Int,
                         hashes: () throws -> (source: SimilarityHash, destination: SimilarityHash)) rethrows -> Int {
        let largest = max(sourceSize, destinationSize), smallest = min(sourceSize, destinationSize)
        if Double(largest) * (maximum - Double(minimum)) < Double(largest - smallest) * maximum { return 0 }
        guard destinationSize > 0 else { return 0 }
        let (source, destination) = try hashes()
        return Int(Double(source.copied(into: destination)) * maximum / Double(largest))
    }
}
