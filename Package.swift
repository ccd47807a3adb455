// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Parley",
    products: [
        .library(name: "ParleyLog", targets: ["ParleyLog"]),
        .library(name: "ParleyEvents", targets: ["ParleyEvents"]),
        .library(name: "ParleyProjections", targets: ["ParleyProjections"]),
        .library(name: "ParleyService", targets: ["ParleyService"]),
        .library(name: "ParleyReport", targets: ["ParleyReport"]),
        .library(name: "ParleyIntake", targets: ["ParleyIntake"]),
        .library(name: "ParleyImport", targets: ["ParleyImport"]),
        .library(name: "ParleyCLI", targets: ["ParleyCLI"]),
        .executable(name: "parley", targets: ["parley"]),
    ],
    targets: [
        // Bytes on disk: CRC32C, file header, frames, writer, reader, recovery. Knows nothing of conversations.
        .target(name: "ParleyLog"),
        // The event model and its two encodings: the binary payload codec and JSON Lines.
        .target(name: "ParleyEvents", dependencies: ["ParleyLog"]),
        // Views rebuilt by replaying the log: conversations and their episodes, KPIs.
        .target(name: "ParleyProjections", dependencies: ["ParleyLog", "ParleyEvents"]),
        // Between the engine and the front ends: the one write path (decode, validate, batch, append) and
        // typed queries that return values. Formats no text.
        .target(
            name: "ParleyService", dependencies: ["ParleyLog", "ParleyEvents", "ParleyProjections", "ParleyReport"]),
        // The weekly report as one self-contained HTML page: an HTML builder, an SVG chart kit, the report's
        // model and its renderer. Plain values in, text out; depends on nothing.
        .target(name: "ParleyReport"),
        // Reading other systems' data (issue #14): RFC 4180 CSV, MIME messages, mail containers (mbox, .eml,
        // Maildir) and threading. Bytes in, plain values out; depends on nothing.
        .target(name: "ParleyIntake"),
        // Other systems' data as Parley events (issue #14): mail threads and help-desk CSV rows, read with
        // ParleyIntake and mapped to typed events, each with an idempotency key so that imports can repeat.
        .target(name: "ParleyImport", dependencies: ["ParleyIntake", "ParleyEvents"]),
        // Commands, argument parsing, rendering, help and exit codes; a library so tests can drive it.
        .target(
            name: "ParleyCLI",
            dependencies: [
                "ParleyLog", "ParleyEvents", "ParleyProjections", "ParleyService", "ParleyReport", "ParleyIntake",
                "ParleyImport",
            ]),
        .executableTarget(name: "parley", dependencies: ["ParleyCLI"]),
        // Shared by the test targets: the trait that keeps tests that block off Swift's cooperative pool.
        .target(name: "ParleyTestSupport", path: "Tests/ParleyTestSupport"),
        .testTarget(name: "ParleyLogTests", dependencies: ["ParleyLog", "ParleyTestSupport"]),
        .testTarget(name: "ParleyEventsTests", dependencies: ["ParleyEvents", "ParleyLog", "ParleyTestSupport"]),
        .testTarget(
            name: "ParleyProjectionsTests",
            dependencies: ["ParleyProjections", "ParleyEvents", "ParleyLog", "ParleyCLI", "ParleyTestSupport"]),
        .testTarget(
            name: "ParleyServiceTests",
            dependencies: ["ParleyService", "ParleyProjections", "ParleyEvents", "ParleyLog", "ParleyTestSupport"]),
        .testTarget(
            name: "ParleyCLITests",
            dependencies: ["ParleyCLI", "ParleyService", "ParleyEvents", "ParleyLog", "ParleyTestSupport", "parley"],
            resources: []
        ),
        .testTarget(name: "ParleyIntakeTests", dependencies: ["ParleyIntake", "ParleyLog", "ParleyTestSupport"]),
        .testTarget(
            name: "ParleyImportTests",
            dependencies: ["ParleyImport", "ParleyIntake", "ParleyEvents", "ParleyLog", "ParleyTestSupport"]),
        .testTarget(
            name: "ParleyReportTests",
            dependencies: ["ParleyReport", "ParleyCLI", "ParleyService", "ParleyTestSupport"]),
    ]
)
