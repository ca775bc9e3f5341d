/// A problem with one id, reported for that id while the others are still answered.
struct OwnerInputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
