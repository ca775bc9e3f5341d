import Foundation

/// The real tools the tests run, installed from the Python package index into a virtual
/// environment shared by the test run (`$BM_PYTHON_TOOLS`, else a directory under the system's
/// temporary directory), once, when missing: the hook managers pre-commit and lefthook, and
/// pytest with pytest-rerunfailures for triage's corpus.
public enum PythonTools {
    /// The versions the tests install: pre-commit 4.4 is the first with `language: unsupported`.
    public static let requirements = ["pre-commit==4.7.0", "lefthook==2.2.2", "pytest==9.2.0", "pytest-rerunfailures==16.7"]

    /// The environment's `bin` directory, holding `pre-commit`, `lefthook` and `pytest`.
    public static func binDirectory() throws -> String {
        try installed.get()
    }

    private static let installed: Result<String, Error> = Result {
        let root = ProcessInfo.processInfo.environment["BM_PYTHON_TOOLS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("bm-git-python-tools").path
        let bin = root + "/bin"
        let stamp = root + "/.installed-" + requirements.joined(separator: "-")
        if FileManager.default.fileExists(atPath: stamp) { return bin }
        let python = Shell.which("python3") ?? "/usr/bin/python3"
        let environment = ProcessInfo.processInfo.environment
        for (executable, arguments) in [(python, ["-m", "venv", "--clear", root]),
                                        (bin + "/pip", ["install", "-q", "--disable-pip-version-check"] + requirements)] {
            let result = try Shell.run(executable, arguments, in: "/", environment: environment)
            guard result.status == 0 else {
                throw TestFailure("installing the Python tools failed: \(executable) \(arguments.joined(separator: " ")): \(result.stderr)")
            }
        }
        _ = FileManager.default.createFile(atPath: stamp, contents: nil)
        return bin
    }
}
