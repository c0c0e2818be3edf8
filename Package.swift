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
        .executable(name: "theodoi", targets: ["theodoi"]),
        // For the fuzz targets in Fuzz/ (their own package, built with libFuzzer): the parsers of untrusted bytes.
        .library(name: "TheodoiParsers", targets: ["TheodoiCore", "TheodoiCatalog", "TheodoiExport", "TheodoiForms"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        // Tests only: reading the OpenAPI description the server serves.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: Domain

        /// Domain values and rules: dates, deadlines, status, reporting periods, Vietnamese text. Foundation only.
        .target(
            name: "TheodoiCore",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // MARK: Catalogue import

        /// Readers for catalogue formats (PDF text, CSV/TSV, Markdown, HTML, tables of cells) → catalogue + findings.
        .target(
            name: "TheodoiCatalog",
            dependencies: ["TheodoiCore"],
            exclude: ["README.md"],
            resources: [.copy("Resources/agencies.json"), .copy("Resources/343-QD-TU.txt")],
            swiftSettings: strictSettings
        ),

        // MARK: Storage

        /// The persistence interface: records and a client of closures; no SQL.
        .target(
            name: "TheodoiStore",
            dependencies: ["TheodoiCore", "TheodoiCatalog"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// The one store implementation: SQLKit over SQLite and PostgreSQL, numbered migrations.
        .target(
            name: "TheodoiStoreSQL",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // MARK: Request bytes

        /// Request bytes into values: multipart and url-encoded forms, bounded numbers. Never traps.
        .target(
            name: "TheodoiForms",
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // MARK: Use cases and presentation

        /// Use cases shared by web, CLI and scheduler: import, plan views, dashboard, demo data.
        .target(
            name: "TheodoiOperations",
            dependencies: ["TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiExport"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// CSV (UTF-8 with BOM) and XLSX writers, and the XLSX reader; bytes in memory.
        .target(
            name: "TheodoiExport",
            dependencies: ["TheodoiCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        /// Typed page models and Mustache templates; cannot see the store.
        .target(
            name: "TheodoiViews",
            dependencies: ["TheodoiCore", .product(name: "Mustache", package: "swift-mustache")],
            exclude: ["README.md"],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: strictSettings
        ),
        /// Routes, pages, the JSON API with DTOs, sessions, CSRF, bcrypt, one error middleware.
        .target(
            name: "TheodoiWeb",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiOperations", "TheodoiViews", "TheodoiExport",
                "TheodoiForms",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["README.md"],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: strictSettings
        ),
        /// Typed configuration read once, the composition root, services.
        .target(
            name: "TheodoiApp",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiStoreSQL", "TheodoiOperations", "TheodoiViews",
                "TheodoiWeb",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),

        // MARK: Entry points

        /// The command-line interface; commands validate, then call one operation.
        .target(
            name: "TheodoiCLI",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiOperations", "TheodoiApp", "TheodoiExport",
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
            dependencies: ["TheodoiCore", "TheodoiCatalog", "TheodoiOperations"],
            path: "Sources/TheodoiBenchmarks",
            swiftSettings: strictSettings
        ),

        // MARK: Tests

        /// Helpers the test suites share (snapshots).
        .target(
            name: "TheodoiTestSupport",
            path: "Tests/TheodoiTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiCoreTests",
            dependencies: ["TheodoiCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiFormsTests",
            dependencies: ["TheodoiForms"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiExportTests",
            dependencies: [
                "TheodoiCore", "TheodoiExport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiCatalogTests",
            dependencies: ["TheodoiCore", "TheodoiCatalog"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiStoreSQLTests",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiStoreSQL", "TheodoiOperations",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiOperationsTests",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiStoreSQL", "TheodoiOperations", "TheodoiExport",
                "TheodoiTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiWebTests",
            dependencies: [
                "TheodoiCore", "TheodoiCatalog", "TheodoiStore", "TheodoiStoreSQL", "TheodoiOperations", "TheodoiViews",
                "TheodoiWeb", "TheodoiApp", "TheodoiTestSupport", "TheodoiExport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TheodoiCLITests",
            dependencies: [
                "TheodoiCLI", "TheodoiCatalog", "TheodoiCore", "TheodoiTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["__Snapshots__"],
            swiftSettings: strictSettings
        ),
    ]
)
