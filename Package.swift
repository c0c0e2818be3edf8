// swift-tools-version: 6.1
// theodoi: tracking the tasks a Vietnamese authority assigns in a decision's appendix.
// Layers point down only (DESIGN.md §7); each outside framework is imported by one module.
// `scripts/check-layering.sh` enforces both in CI.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "theodoi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "theodoi", targets: ["theodoi"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // MARK: Domain

        /// Domain values and rules: dates, deadlines, reporting periods, Vietnamese text. Foundation only.
        .target(
            name: "TheodoiCore",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // MARK: Catalogue import

        /// Readers for catalogue formats (PDF text, CSV/TSV, Markdown, HTML) → catalogue + findings.
        .target(
            name: "TheodoiCatalog",
            dependencies: ["TheodoiCore"],
            exclude: ["README.md"],
            resources: [.copy("Resources/agencies.json"), .copy("Resources/343-QD-TU.txt")],
            swiftSettings: strictSettings
        ),

        // MARK: Entry points

        /// The command-line interface; commands validate, then call one operation.
        .target(
            name: "TheodoiCLI",
            dependencies: [
                "TheodoiCore",
                "TheodoiCatalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The thin executable: dispatches to TheodoiCLI.
        .executableTarget(
            name: "theodoi",
            dependencies: ["TheodoiCLI"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// Release-build benchmarks: `swift run -c release theodoi-benchmarks`.
        .executableTarget(
            name: "theodoi-benchmarks",
            dependencies: ["TheodoiCore", "TheodoiCatalog"],
            path: "Sources/TheodoiBenchmarks",
            swiftSettings: strictSettings
        ),

        // MARK: Tests

        .testTarget(
            name: "TheodoiCoreTests",
            dependencies: ["TheodoiCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiCatalogTests",
            dependencies: ["TheodoiCore", "TheodoiCatalog"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiCLITests",
            dependencies: [
                "TheodoiCLI", "TheodoiCatalog", "TheodoiCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSettings
        ),
    ]
)
