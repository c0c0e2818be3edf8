// swift-tools-version: 6.1
// libFuzzer targets for theodoi's parsers of untrusted bytes. A package of its own: the target has no
// `main` (libFuzzer supplies it), so it cannot sit in the main package, whose `swift build` builds
// every target. Build and run with `scripts/fuzz.sh` (RECIPES.md: release, address + fuzzer sanitizers).
import PackageDescription

let package = Package(
    name: "theodoi-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "theodoi", path: "..")],
    targets: [
        .executableTarget(
            name: "TheodoiFuzz",
            dependencies: [.product(name: "TheodoiParsers", package: "theodoi")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ]
)
