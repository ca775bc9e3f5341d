import Buildmeister

/// The text form of an install-hooks result.
struct HookStatusText {
    let terminal: Terminal

    func render(change: HookInstaller.Change?, status: HookStatus) -> String {
        let path = Sanitizer.clean(status.hookPath) + (status.fromHooksPath ? " (core.hooksPath)" : "")
        let chainedNote = status.chained ? "; the previous hook runs first, kept as \(HookStatus.chainedName)" : ""
        switch change {
        case .installed, .chained:
            return terminal.paint("installed", .good) + " bm-git's pre-push hook at \(path)" + chainedNote
        case .updated:
            return terminal.paint("updated", .good) + " bm-git's pre-push hook at \(path)" + chainedNote
        case .unchanged:
            return "bm-git's pre-push hook is already installed at \(path)" + chainedNote
        case .removed:
            return "removed bm-git's pre-push hook from \(path)"
        case .restored:
            return "removed bm-git's pre-push hook; the previous hook is back at \(path)"
        case .notInstalled:
            return "bm-git's pre-push hook is not installed at \(path); nothing to remove"
        case nil:
            if status.isBmGit {
                let binary = status.binaryPath.map { ", calling \(Sanitizer.clean($0)) (then bm-git on PATH)" } ?? ""
                return terminal.paint("installed", .good) + " at \(path)\(binary)" + chainedNote
            }
            if status.present { return "another pre-push hook is at \(path) (not bm-git's); install-hooks would chain it" }
            return terminal.paint("not installed", .warn) + " (\(path)); run `bm-git install-hooks`"
        }
    }
}
