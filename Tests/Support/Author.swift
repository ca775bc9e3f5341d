/// Fixed identities for fixture commits; one has a non-ASCII name.
public struct Author: Sendable, Equatable {
    public let name: String
    public let email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public static let ana = Author(name: "Ana Lima", email: "ana@example.com")
    public static let bjorn = Author(name: "Bjørn Ødegård", email: "bjorn@example.com")
    public static let chen = Author(name: "Chen Wei 陈伟", email: "chen@example.com")
}
