import GitKit

/// Tests that live in a submodule (`amp/helpers/test/test_dbg.py::test_dbg`, as a
/// superproject's CI log names them): each is answered in the submodule's own repository, at
/// the commit the superproject records at the revision, and reported with its full path and
/// the submodule's name.
enum SubmoduleTests {
    /// The answers for the ids under a submodule, by their index in `ids`.
    static func route(_ ids: [String], _ place: Ownership.Place, in repository: Repository,
                      ignoreRevs: Bool) throws -> [Int: TestOwnership] {
        var groups: [String: (commit: OID, members: [(index: Int, id: String)])] = [:]
        for (index, id) in ids.enumerated() {
            guard let parsed = PytestID(id), !parsed.path.hasPrefix("/") else { continue }
            for candidate in [parsed.path, place.prefix + parsed.path] {
                guard let split = try gitlink(containing: candidate, in: place.tree, of: repository) else { continue }
                let names = parsed.text.dropFirst(parsed.path.count)  // "::Class::test[param]"
                groups[split.path, default: (split.commit, [])].members.append((index, split.rest + names))
                break
            }
        }
        var answers: [Int: TestOwnership] = [:]
        for (path, group) in groups {
            let results: [TestOwnership]
            if let inner = try repository.openSubmodule(named: path) {
                guard inner.contains(group.commit) else {
                    for member in group.members {
                        answers[member.index] = failed(ids[member.index], "the submodule \(path) lacks commit "
                            + "\(group.commit.short()), which \(place.described) records; fetch it (git -C \(path) fetch)")
                    }
                    continue
                }
                results = try Ownership.find(group.members.map(\.id), at: group.commit.hex, ignoreRevs: ignoreRevs,
                                             in: inner, from: inner.workdir ?? inner.gitdir)
            } else {
                results = group.members.map { _ in
                    failed("", "the submodule \(path) is not checked out; run git submodule update --init \(path)")
                }
            }
            for (member, var result) in zip(group.members, results) {
                result.id = ids[member.index]
                result.path = result.path.map { path + "/" + $0 }
                result.repository = path
                answers[member.index] = result
            }
        }
        return answers
    }

    /// The submodule whose directory holds `path` at `tree`: its path, the commit the tree
    /// records, and the rest of `path` inside it.
    private static func gitlink(containing path: String, in tree: OID, of repository: Repository) throws
        -> (path: String, commit: OID, rest: String)? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count > 1 else { return nil }
        for end in 1..<parts.count {
            let prefix = parts[..<end].joined(separator: "/")
            switch try repository.treeEntryKind(in: tree, at: prefix) {
            case .submodule(let commit): return (prefix, commit, parts[end...].joined(separator: "/"))
            case .directory: continue
            default: return nil
            }
        }
        return nil
    }

    private static func failed(_ id: String, _ message: String) -> TestOwnership {
        var result = TestOwnership(id: id)
        result.error = message
        return result
    }
}
