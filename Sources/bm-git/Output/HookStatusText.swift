import Buildmeister

/// The text form of an install-hooks result: one line for what was done or is there, then
/// what the hook managers around it mean for the check.
struct HookStatusText {
    let terminal: Terminal

    func render(change: HookInstaller.Change?, status: HookStatus) -> String {
        ([headline(change: change, status: status)] + notes(status)).joined(separator: "\n")
    }

    private func headline(change: HookInstaller.Change?, status: HookStatus) -> String {
        let path = Sanitizer.clean(status.hookPath) + (status.fromHooksPath ? " (core.hooksPath)" : "")
        let chainedNote = status.chained ? "; the previous hook runs first, kept as \(HookStatus.chainedName)" : ""
        let committed = status.trackedHook.map { Sanitizer.clean($0) } ?? ""
        switch change {
        case .installed, .chained:
            return terminal.paint("installed", .good) + " bm-git's pre-push hook at \(path)" + chainedNote
        case .updated:
            return terminal.paint("updated", .good) + " bm-git's pre-push hook at \(path)" + chainedNote
        case .repaired:
            return terminal.paint("repaired", .good) + " \(path): bm-git's hook is back in front, pre-commit's runs first as \(HookStatus.chainedName)"
        case .unchanged:
            if status.trackedHook != nil { return "\(committed) already runs bm-git's check" }
            return "bm-git's pre-push hook is already installed at \(path)" + chainedNote
        case .lineAdded:
            return terminal.paint("added", .good) + " bm-git's check to \(committed); commit it so that the team runs it too"
        case .lineRemoved:
            return "removed bm-git's check from \(committed); commit the change"
        case .removed:
            return "removed bm-git's pre-push hook from \(path)"
        case .restored:
            return "removed bm-git's pre-push hook; the previous hook is back at \(path)"
        case .notInstalled:
            return "bm-git's pre-push hook is not installed at \(path); nothing to remove"
        case nil:
            if status.trackedHookHasCheck { return terminal.paint("installed", .good) + ": \(committed) runs bm-git's check" }
            if status.preCommitMigrationMode {
                return terminal.paint("broken", .bad) + " (\(path)): `pre-commit install` moved bm-git's hook to "
                    + "\(HookStatus.legacyName) (migration mode), and every push now fails; run `bm-git install-hooks` to repair it"
            }
            if let displaced = status.displacedShim {
                return terminal.paint("not running", .bad) + " (\(path)): another hook manager's install moved bm-git's "
                    + "hook aside to \(displaced), where nothing runs it; run `bm-git install-hooks` to put it back in front"
            }
            if status.isBmGit {
                let binary = status.binaryPath.map { ", calling \(Sanitizer.clean($0)) (then bm-git on PATH)" } ?? ""
                return terminal.paint("installed", .good) + " at \(path)\(binary)" + chainedNote
            }
            if status.trackedHook != nil {
                return terminal.paint("not installed", .warn) + ": add `\(HookStatus.trackedLine)` to \(committed), "
                    + "or run `bm-git install-hooks --tracked`"
            }
            if status.present { return "another pre-push hook is at \(path) (not bm-git's); install-hooks would chain it" }
            return terminal.paint("not installed", .warn) + " (\(path)); run `bm-git install-hooks`"
        }
    }

    private func notes(_ status: HookStatus) -> [String] {
        var notes: [String] = []
        if status.isOutdated { notes.append("note: this is an earlier version of bm-git's shim; `bm-git install-hooks` upgrades it") }
        switch status.manager {
        case .preCommit?:
            notes.append("note: pre-commit passes its pre-push hooks only the first ref of a push, and skips them when "
                         + "every pushed commit is already on the remote; bm-git's own shim (`bm-git install-hooks`) "
                         + "checks every ref of every push")
        case .lefthook?:
            notes.append("note: with lefthook, run the check from a command or script without `glob`, `files` or "
                         + "{push_files} (lefthook skips those when no pushed file matches) and with `use_stdin: true`")
        case .husky?:
            notes.append("note: husky runs \(Sanitizer.clean(status.trackedHook ?? ".husky/pre-push")) through its "
                         + "dispatcher in \(Sanitizer.clean(status.directory)); bm-git only ever edits that committed script")
        case .trackedDirectory?, .other?, nil:
            break
        }
        return notes
    }
}
