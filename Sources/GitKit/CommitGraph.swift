import Clibgit2
#if canImport(Glibc)
import Glibc
#endif

/// git's commit-graph of a repository, read directly (libgit2 1.5 has no public API for it): the
/// single `objects/info/commit-graph` file, or else the layers listed in
/// `objects/info/commit-graphs/commit-graph-chain`. Commits are numbered by graph position,
/// the lowest layer first, as git numbers them.
///
/// As in git, it is not used in a shallow repository or one with grafts, whose parents differ
/// from the commits' own; a chain uses corrected commit dates only when every layer has them,
/// and topological levels otherwise.
final class CommitGraph {
    /// A position or offset in the graph pointed outside it.
    struct Corrupt: Error {}

    /// The layers, the lowest first.
    private let layers: [CommitGraphFile]
    /// Commits in all layers.
    let count: Int
    /// Whether generations are corrected commit dates (else topological levels).
    let usesCorrectedDates: Bool

    /// The top layer's checksum: it changes whenever the graph is rewritten or a layer is added.
    var identity: OID { layers[layers.count - 1].checksum }

    private init(layers: [CommitGraphFile]) {
        var total = 0
        for layer in layers {
            layer.baseCount = total
            total += layer.count
        }
        self.layers = layers
        count = total
        usesCorrectedDates = layers.allSatisfy(\.hasGenerationData)
    }

    /// The graph of the object directory `objects`, or nil when there is none (or none valid).
    static func open(objects: String) -> CommitGraph? {
        if let single = CommitGraphFile(path: objects + "/info/commit-graph"), single.baseLayers.isEmpty {
            return CommitGraph(layers: [single])
        }
        let directory = objects + "/info/commit-graphs"
        guard let chain = MappedFile(path: directory + "/commit-graph-chain") else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(start: chain.base, count: chain.length), as: UTF8.self)
        var layers: [CommitGraphFile] = []
        // Like git, use the longest valid prefix of the chain: each layer must carry the checksum
        // its name promises and list exactly the layers below it as its bases.
        for line in text.split(separator: "\n") {
            guard let name = OID(hex: String(line)),
                  let layer = CommitGraphFile(path: "\(directory)/graph-\(line).graph"),
                  layer.checksum == name, layer.baseLayers == layers.map(\.checksum) else { break }
            layers.append(layer)
        }
        return layers.isEmpty ? nil : CommitGraph(layers: layers)
    }

    /// Maps every layer in at once, before a walk that may visit much of the graph.
    func prefault() { layers.forEach { $0.prefault() } }

    /// The position of commit `oid`, or nil when the graph does not have it.
    func position(of oid: OID) -> Int? {
        for layer in layers.reversed() {
            if let index = layer.index(of: oid) { return layer.baseCount + index }
        }
        return nil
    }

    @inline(__always)
    private func locate(_ position: Int) -> (layer: CommitGraphFile, index: Int) {
        if layers.count == 1 { return (layers[0], position) }
        var low = 0, high = layers.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if layers[middle].baseCount <= position { low = middle } else { high = middle - 1 }
        }
        return (layers[low], position - layers[low].baseCount)
    }

    func oid(_ position: Int) -> OID {
        let (layer, index) = locate(position)
        return layer.oid(index)
    }

    func time(_ position: Int) -> Int64 {
        let (layer, index) = locate(position)
        return layer.time(index)
    }

    /// The generation of the commit at `position`: strictly greater than each parent's.
    func generation(_ position: Int) throws(Corrupt) -> UInt64 {
        let (layer, index) = locate(position)
        return usesCorrectedDates ? try layer.correctedDate(index) : layer.topologicalLevel(index)
    }

    /// Calls `body` with each parent's position.
    @inline(__always)
    func forEachParent(_ position: Int, _ body: (Int) throws -> Void) throws {
        let (layer, index) = locate(position)
        try layer.forEachParent(index, below: layer.baseCount + layer.count, body)
    }
}

extension Repository {
    /// git's commit-graph, when git would use it: `core.commitGraph` is not false, and the
    /// repository is neither shallow nor grafted.
    func commitGraph() -> CommitGraph? {
        if git_repository_is_shallow(pointer) == 1 { return nil }
        let objects = commondir + "/objects"
        if access(commondir + "/info/grafts", F_OK) == 0 { return nil }
        if let config = try? config(), (try? config.bool("core.commitGraph")) == false { return nil }
        return CommitGraph.open(objects: objects)
    }
}
