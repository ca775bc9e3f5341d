/// One failing test as a CI run reported it (triage's `failures` entries).
public struct TriageFailure: Sendable, Encodable, Equatable {
    public enum Outcome: String, Sendable, Encodable { case failed, error, flaky }
    public enum Phase: String, Sendable, Encodable { case call, setup, teardown, collection }

    /// One traceback entry, innermost last.
    public struct Frame: Sendable, Encodable, Equatable {
        public var path: String
        public let line: Int
        public var function: String
        /// Whether `path` is a file of the repository at the revision (then it is repository-relative).
        public var inRepo = false
    }

    public let id: String
    @NullEncoded public var path: String?
    public var outcome: Outcome
    public var phase: Phase
    @NullEncoded public var exception: String?
    @NullEncoded public var message: String?
    public var frames: [Frame] = []
    @NullEncoded public var cluster: String?
    /// The traceback as the log printed it, trimmed, for the draft's body (not in JSON).
    var trace: [String] = []

    init(id: String, outcome: Outcome, phase: Phase) {
        self.id = id
        self.outcome = outcome
        self.phase = phase
        path = PytestID(id)?.path
    }

    private enum CodingKeys: String, CodingKey { case id, path, outcome, phase, exception, message, frames, cluster }
}

/// The counts of a run, from pytest's summary line when the log has one.
public struct TriageSummary: Sendable, Encodable, Equatable {
    public var failed = 0
    public var errors = 0
    public var flaky = 0
    @NullEncoded public var passed: Int?
    /// Whether the log reached pytest's final summary line (a cut-off log has not).
    public var complete = false
}
