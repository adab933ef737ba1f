// swift-tools-version: 6.2

import PackageDescription

// CI sets SCOPELAB_WARNINGS_AS_ERRORS=1: a warning in our own code fails the build there.
let warnings: [SwiftSetting] =
  Context.environment["SCOPELAB_WARNINGS_AS_ERRORS"] == "1"
  ? [.treatAllWarnings(as: .error)] : []

let upcoming: [SwiftSetting] =
  [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
  ] + warnings

let package = Package(
  name: "scopelab",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "AsyncScope", targets: ["AsyncScope"]),
    // What `scopelab trace FILE.swift` links the learner's program against (swiftc
    // -lAsyncScopeDynamic), next to the scopelab executable it was built with.
    .library(name: "AsyncScopeDynamic", type: .dynamic, targets: ["AsyncScope"]),
    .library(name: "ScopeLab", targets: ["ScopeLab"]),
    .executable(name: "scopelab", targets: ["scopelab"]),
    .executable(name: "scopelab-bench", targets: ["scopelab-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.1.1"),
    // `swift package generate-documentation` / `preview-documentation` (scripts/docs).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .target(
      name: "AsyncScope",
      dependencies: [
        "CAsyncScope", "PosixThread", .product(name: "Subprocess", package: "swift-subprocess"),
      ],
      swiftSettings: upcoming
    ),
    // The exec trampoline that makes a process scope's child die with its parent.
    .target(name: "CAsyncScope"),
    // The one thread starter, for AsyncScope's timer and LineEditor's readers and signals,
    // and the one syscalls layer (`Syscall`, `Errno`) every target's C calls go through.
    .target(name: "PosixThread", swiftSettings: upcoming),
    .systemLibrary(
      name: "CEditLine",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    .target(
      name: "LineEditor", dependencies: ["CEditLine", "PosixThread"], swiftSettings: upcoming),
    .target(
      name: "Lessons",
      path: "Lessons",
      // How to write a lesson: for authors, not embedded.
      exclude: ["README.md"],
      // The curriculum, in order; LessonFiles.all lists the same files.
      resources: [
        .embedInCode("runner-flag.md"), .embedInCode("sleep-vs-timeout.md"),
        .embedInCode("process-scope.md"), .embedInCode("async-protocol.md"),
        .embedInCode("errors-and-suppression.md"), .embedInCode("cancellation.md"),
        .embedInCode("task-groups.md"), .embedInCode("your-own-timeout.md"),
        // The rules every run keeps, as `rules` and `help RULE` show them.
        .embedInCode("rules.md"),
      ],
      swiftSettings: upcoming
    ),
    .target(
      name: "ScopeLab",
      dependencies: [
        "AsyncScope", "LineEditor", "Lessons", "PosixThread",
        .product(name: "Subprocess", package: "swift-subprocess"),
      ],
      // The tracer `scopelab trace FILE.py` runs under CPython (PythonTracer.script).
      resources: [
        .embedInCode("RealCode/scopelab_trace.py"), .embedInCode("RealCode/scopelab_check.py"),
        // The rule programs of `scopelab check FILE.swift`, compiled with the learner's file.
        .embedInCode("RealCode/scopelab_check_swift.txt"),
      ],
      swiftSettings: upcoming),
    .executableTarget(
      name: "scopelab",
      dependencies: [
        "ScopeLab", "LineEditor", "AsyncScope", "PosixThread",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: upcoming
    ),
    .executableTarget(
      name: "scopelab-bench",
      dependencies: [
        "AsyncScope", "PosixThread",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: upcoming),
    .testTarget(
      name: "AsyncScopeTests",
      dependencies: [
        "AsyncScope", "TestSupport", .product(name: "Clocks", package: "swift-clocks"),
      ],
      swiftSettings: upcoming
    ),
    // Drivers the end-to-end tests share: a pseudo-terminal, piped processes, /proc.
    .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: upcoming),
    .testTarget(
      name: "LineEditorTests", dependencies: ["LineEditor", "PosixThread", "TestSupport"],
      swiftSettings: upcoming
    ),
    // A tiny REPL over LineEditor, driven in a pseudo-terminal by LineEditorTests.
    .executableTarget(
      name: "lineeditor-demo", dependencies: ["LineEditor"], swiftSettings: upcoming
    ),
    .testTarget(
      name: "ScopeLabTests",
      dependencies: ["ScopeLab", "AsyncScope", "PosixThread", "TestSupport"],
      swiftSettings: upcoming
    ),
    // The Swift view of every corpus program (scripts/generate-swift-corpus), compiled and
    // run against the interpreter's trace; the Python view of each, run under CPython
    // against the same run.
    .testTarget(
      name: "GeneratedCorpusTests", dependencies: ["ScopeLab", "AsyncScope", "TestSupport"],
      path: "Tests/GeneratedCorpus", swiftSettings: upcoming
    ),
    .testTarget(
      name: "EndToEndTests", dependencies: ["scopelab", "TestSupport"], swiftSettings: upcoming
    ),
  ]
)
