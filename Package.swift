// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bm-git",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bm-git", targets: ["bm-git"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(name: "CLibgit2Shims"),
        .target(name: "GitKit", dependencies: ["Clibgit2", "CLibgit2Shims"]),
        .target(name: "Buildmeister", dependencies: ["GitKit"]),
        .executableTarget(
            name: "bm-git",
            dependencies: [
                "Buildmeister",
                "GitKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
        .testTarget(name: "BuildmeisterTests", dependencies: ["Buildmeister", "GitKit", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
