import Foundation
import Glibc
import TestSupport
import Testing

/// `scopelab check FILE.swift --scope NAME --kind timeout|scope`, run as a process: the
/// learner's file and the rule programs compiled into one program with swiftc, run once
/// per rule under the trace. Compiling is slow on a loaded machine (seconds each), so each
/// test compiles as few programs as it can: one per check, reused from the cache.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct SwiftCheckEndToEndTests {
  let scopelab: Scopelab

  init() throws {
    scopelab = try Scopelab()
    // swiftc where the tests' own toolchain is.
    scopelab.extraEnvironment["PATH"] = getenv("PATH").map { String(cString: $0) }
    // A verdict on one line, however long (the width is wrappedToTheWidth's to test).
    scopelab.extraEnvironment["COLUMNS"] = "1000"
  }

  /// Writes `source` as `name` in this instance's home; its path.
  private func file(_ source: String, named name: String) throws -> String {
    try scopelab.home.write(name, source)
    return scopelab.home.path + "/" + name
  }

  private func check(_ path: String, scope: String, kind: String = "timeout") throws -> Finished {
    try scopelab.run(checking(path, scope: scope, kind: kind), timeout: 400)
  }

  /// The arguments of `check`.
  private func checking(_ path: String, scope: String, kind: String = "timeout") -> [String] {
    ["check", path, "--scope", scope, "--kind", kind]
  }

  /// Runs each of `runs` at the same time (their compiles overlap), each to its end.
  private func runAll(_ runs: [[String]]) throws -> [Finished] {
    try scopelab.runAll(runs, timeout: 400)
  }

  /// What `finished` wrote on standard error but the line that says it compiles.
  private func complaint(_ finished: Finished) -> String {
    finished.errors.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.hasPrefix("compiling the rule programs with ") }
      .joined(separator: "\n")
  }

  /// The compiled programs in this instance's cache.
  private var cachedPrograms: [String] {
    BuiltProduct.list(scopelab.home.path + "/.cache/scopelab/swift/programs")
  }

  /// The verdict line of the rule `rule` (`TO3` and the start of its title).
  private func verdict(_ output: String, _ rule: String) -> String? {
    output.split(separator: "\n").map(String.init).first {
      ($0.hasPrefix("held    ") || $0.hasPrefix("broken  ")) && $0.dropFirst(8).hasPrefix(rule)
    }
  }

  /// The seed course's Timeout, typed in as Swift: at the deadline it cancels the task
  /// that entered it (through `withUnsafeCurrentTask`, the only handle Swift gives), and
  /// exit turns the CancellationError into a TimeoutError once it fired. Its demo, under
  /// `@main`, must not run under check.
  static let naive = """
    import AsyncScope
    import Synchronization

    final class NaiveTimeout: AsyncScope {
      struct CurrentTask: @unchecked Sendable { let task: UnsafeCurrentTask }

      let limit: Duration
      private let fired = Mutex(false)
      private let timer = Mutex<Task<Void, Never>?>(nil)

      init(_ limit: Duration) { self.limit = limit }

      func enter() async throws {
        let current = withUnsafeCurrentTask { CurrentTask(task: $0!) }
        let limit = self.limit
        timer.withLock {
          $0 = Task {
            do { try await Task.sleep(for: limit) } catch { return }
            self.fired.withLock { $0 = true }
            current.task.cancel()
          }
        }
      }

      func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
        timer.withLock { $0?.cancel() }
        if fired.withLock({ $0 }), context.error is CancellationError {
          return .convert(to: TimeoutError(limit: limit, elapsed: limit))
        }
        return .propagate
      }
    }

    @main
    struct Demo {
      static func main() async throws {
        print("the demo ran under check")
        try await withScope(NaiveTimeout(.milliseconds(50))) {
          try await Task.sleep(for: .seconds(1))
        }
      }
    }

    """

  @Test(
    "AsyncScope's Timeout holds every rule (a second check compiles nothing); the naive one breaks TO1, TO3 and TO6"
  )
  func libraryTimeoutAndNaiveTimeout() throws {
    // A script whose top-level code must not run: the rules run instead.
    let library = try file(
      "import AsyncScope\n\nprint(\"the demo ran under check\")\n", named: "uses_timeout.swift")
    let naivePath = try file(Self.naive, named: "NaiveTimeout.swift")
    let both = try runAll([
      checking(library, scope: "Timeout"), checking(naivePath, scope: "NaiveTimeout"),
    ])
    let (passed, naive) = (both[0], both[1])
    #expect(passed.status == 0, "\(passed)")
    #expect(passed.errors.contains("compiling"), "\(passed)")
    #expect(passed.output.hasSuffix("every rule held (13)\n"), "\(passed)")
    for rule in ["W1", "W2", "W3", "W4", "TO1", "TO2", "TO3", "TO4", "TO5", "TO6"] {
      #expect(verdict(passed.output, rule)?.hasPrefix("held") == true, "\(rule): \(passed)")
    }
    // In Swift's words: a cancellation is a CancellationError.
    #expect(
      passed.output.contains(
        "held    TO3 an outside cancellation after the deadline fired stays CancellationError"),
      "\(passed)")
    #expect(!passed.output.contains("demo ran"), "\(passed)")
    // One program per check: the library's and the naive one's.
    #expect(cachedPrograms.count == 2, "\(cachedPrograms)")
    let again = try check(library, scope: "Timeout")
    #expect(again.status == 0, "\(again)")
    #expect(!again.errors.contains("compiling"), "\(again)")
    #expect(cachedPrograms.count == 2, "\(cachedPrograms)")

    #expect(naive.status == 1, "\(naive)")
    #expect(naive.errors.contains("compiling"), "\(naive)")
    #expect(!naive.output.contains("demo ran"), "\(naive)")
    // What holds: the body runs in the caller's task, so exit runs once, after the body.
    for rule in ["W1", "W2", "W3", "W4", "TO2", "TO3 its own", "TO4", "TO5 nested"] {
      #expect(verdict(naive.output, rule)?.hasPrefix("held") == true, "\(rule): \(naive)")
    }
    // TO1: its deadline cancelled the caller, and Swift's cancellation is sticky.
    let to1 = try #require(verdict(naive.output, "TO1"), "\(naive)")
    #expect(to1.hasPrefix("broken"), "\(to1)")
    #expect(to1.contains("the next await threw CancellationError"), "\(to1)")
    // TO3 (#229): it converted the outside cancellation, since it had fired; the trace
    // shows the exit that received the CancellationError and converted it.
    let outside = try #require(verdict(naive.output, "TO3 an outside"), "\(naive)")
    #expect(outside.hasPrefix("broken"), "\(outside)")
    #expect(outside.contains("came out as TimeoutError"), "\(outside)")
    let lines = naive.output.split(separator: "\n").map(String.init)
    let start = try #require(lines.firstIndex(of: outside))
    let trace = lines[(start + 1)...].prefix { $0.hasPrefix(" ") }.joined(separator: "\n")
    #expect(
      trace.containsInOrder([
        "the trace that broke it:", "enter NaiveTimeout#1",
        "check: the deadline fired, the body is cleaning up; task.cancel() from outside",
        "exit NaiveTimeout#1 (received CancellationError)",
        "exit-done NaiveTimeout#1: CancellationError -> TimeoutError",
      ]), "\(trace)")
    // TO6: a timer armed for a deadline already passed loses the race with the body.
    let to6 = try #require(verdict(naive.output, "TO6"), "\(naive)")
    #expect(to6.hasPrefix("broken") && to6.contains("came out as ok"), "\(to6)")
    // TO5 with equal deadlines is broken too in nearly every run (the inner one converts
    // when its own timer fired before its exit ran), but not in every one: not asserted.
    let summary = try #require(lines.last)
    #expect(summary.contains(" of 13 rules broken: "), "\(summary)")
    // In Swift's reading: no uncancel(), the caller must never be cancelled.
    #expect(
      summary.contains("TO1 (a handled timeout leaves the calling task uncancelled)"),
      "\(summary)")
    #expect(
      summary.contains(
        "TO3 (an outside cancellation after the deadline fired stays CancellationError)"),
      "\(summary)")
  }

  /// A Timeout gone "deadline wins": once its deadline fired, exit converts whatever the
  /// body did - a value it returned after ignoring its cancellation becomes TimeoutError
  /// (TO4). The file starts with `#!` and has `@main`, and its demo declares a value it
  /// never uses (a warning); the demo traces it beside AsyncScope's own Timeout.
  static let deadlineWins = """
    #!/usr/bin/env swift
    import AsyncScope
    import Synchronization

    final class DeadlineWins: SupervisingScope {
      let delay: Duration
      let fired = Atomic(false)

      init(_ delay: Duration) { self.delay = delay }

      func enter() async throws {}

      func runBody<R: Sendable>(
        _ value: Value, _ body: @Sendable (Value) async throws -> R
      ) async throws -> R {
        try await withoutActuallyEscaping(body) { body in
          let task = Task { try await body(value) }
          let timer = Task {
            try await Task.sleep(for: delay)
            fired.store(true, ordering: .relaxed)
            task.cancel()
          }
          defer { timer.cancel() }
          return try await withTaskCancellationHandler {
            try await task.value
          } onCancel: {
            task.cancel()
          }
        }
      }

      func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
        if fired.load(ordering: .relaxed) && !context.callerCancelled {
          return .convert(to: TimeoutError(limit: delay, elapsed: delay))
        }
        return .propagate
      }
    }

    @main
    struct Demo {
      static func main() async throws {
        let unused = 1
        print("the demo ran")
        for limit in [Duration.milliseconds(50)] {
          do {
            try await withScope(DeadlineWins(limit)) { try await Task.sleep(for: .seconds(5)) }
          } catch is TimeoutError {
            print("DeadlineWins timed out")
          }
          do {
            try await withScope(Timeout(limit)) { try await Task.sleep(for: .seconds(5)) }
          } catch is TimeoutError {
            print("Timeout timed out")
          }
        }
      }
    }

    """

  /// The warning swiftc gives for `let unused = 1` in ``deadlineWins``, in the learner's
  /// terms: the file as given, its line and column.
  static func unusedWarning(_ path: String) -> String {
    "\(path):43:9: warning: initialization of immutable value 'unused' was never used"
  }

  @Test(
    "a Timeout that converts whenever its deadline fired breaks TO4 (a body's value lost); a file with #! compiles; its warnings are shown, cached too, never the rule programs'"
  )
  func deadlineWinsTimeout() throws {
    let path = try file(Self.deadlineWins, named: "deadline_wins.swift")
    let lines = Self.deadlineWins.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[42].hasPrefix("    let unused = 1"), "the warning's line moved: \(lines[42])")
    // The check's program and the trace's, compiled at the same time.
    let first = try runAll([checking(path, scope: "DeadlineWins"), ["trace", path]])
    let (finished, traced) = (first[0], first[1])
    #expect(finished.status == 1, "\(finished)")
    #expect(!finished.output.contains("demo ran"), "\(finished)")
    let title = "TO4 a body that ignores its cancellation returns its value"
    let value = try #require(verdict(finished.output, title), "\(finished)")
    #expect(value.hasPrefix("broken"), "\(value)")
    #expect(
      value.contains(
        "a body that ignored its cancellation and returned a value came out as"
          + " TimeoutError"), "\(value)")
    #expect(verdict(finished.output, "TO4 an error after")?.hasPrefix("broken") == true)
    for rule in ["W1", "W2", "W3", "W4", "TO1", "TO2", "TO3 its own", "TO3 an outside"] {
      #expect(verdict(finished.output, rule)?.hasPrefix("held") == true, "\(rule): \(finished)")
    }
    // The learner's warning, where the learner's file has it; nothing of the rule
    // programs' nor a temporary path.
    let warning = Self.unusedWarning(path)
    #expect(finished.errors.contains(warning), "\(finished)")
    #expect(complaint(finished).hasPrefix(warning), "\(finished)")
    #expect(!finished.errors.contains("scopelab-check"), "\(finished)")
    #expect(!finished.errors.contains("scopelab_check"), "\(finished)")
    #expect(!finished.errors.contains("ScopelabCheck"), "\(finished)")
    // One program for the check, one for the trace; a cached program tells its warnings
    // again.
    #expect(cachedPrograms.count == 2, "\(cachedPrograms)")
    let cachedRuns = try runAll([checking(path, scope: "DeadlineWins"), ["trace", path]])
    let (again, cached) = (cachedRuns[0], cachedRuns[1])
    #expect(again.status == 1, "\(again)")
    #expect(!again.errors.contains("compiling"), "\(again)")
    #expect(again.errors.contains(warning), "\(again)")
    #expect(cachedPrograms.count == 2, "\(cachedPrograms)")

    // Traced: the conversion is told as its exit's own, not as TO3 - that is for
    // AsyncScope's Timeout, whose exit converts only its own deadline's cancellation.
    #expect(traced.status == 0, "\(traced)")
    #expect(traced.errors.contains("compiling"), "\(traced)")
    #expect(traced.errors.contains(warning), "\(traced)")
    #expect(!traced.errors.contains("scopelab-check"), "\(traced)")
    #expect(
      traced.output.containsInOrder([
        "the demo ran", "enter DeadlineWins#1",
        "exit-done DeadlineWins#1: CancellationError -> TimeoutError (converted by exit, W3)",
        "DeadlineWins timed out", "enter timeout#1",
        "exit-done timeout#1: CancellationError -> TimeoutError (deadline passed, TO3)",
        "Timeout timed out",
      ]), "\(traced)")
    #expect(!traced.output.contains("DeadlineWins#1: CancellationError -> TimeoutError (deadline"))
    #expect(!cached.errors.contains("compiling"), "\(cached)")
    #expect(cached.errors.contains(warning), "\(cached)")
  }

  @Test("a compile error, a missing type and a type that is no scope are exit 2 in one line")
  func invalidInput() throws {
    let broken = try file(
      """
      import AsyncScope

      struct Door: AsyncScope {
        func enter() async throws { undefinedCall() }
        func exit(_ context: ExitContext<Void>) async throws -> ExitDecision { .propagate }
      }

      """, named: "broken door.swift")
    let scopes = try file(
      """
      import AsyncScope

      struct Door: AsyncScope {
        func enter() async throws {}
        func exit(_ context: ExitContext<Void>) async throws -> ExitDecision { .propagate }
      }

      struct Plain {
        init(_ limit: Duration) {}
      }

      """, named: "doors.swift")
    // Each a compile of its own, at the same time.
    let runs = try runAll([
      checking(broken, scope: "Door", kind: "scope"), checking(scopes, scope: "Dor", kind: "scope"),
      checking(scopes, scope: "Plain"), checking(scopes, scope: "Door"),
    ])
    let (failed, missing, plain, door) = (runs[0], runs[1], runs[2], runs[3])
    #expect(failed.status == 2, "\(failed)")
    #expect(failed.output.isEmpty, "\(failed)")
    // swiftc's own words, on the learner's file and line; nothing of the rule programs.
    #expect(
      failed.errors.contains("\(broken):4:31: error: cannot find 'undefinedCall' in scope"),
      "\(failed)")
    #expect(!failed.errors.contains("scopelab_check"), "\(failed)")
    #expect(!failed.errors.contains("main.swift"), "\(failed)")
    // No program that failed to compile is cached.
    #expect(cachedPrograms.isEmpty, "\(cachedPrograms)")

    #expect(missing.status == 2, "\(missing)")
    #expect(complaint(missing) == "error: \(scopes): no scope 'Dor' in it\n", "\(missing)")
    #expect(missing.output.isEmpty, "\(missing)")
    #expect(plain.status == 2, "\(plain)")
    #expect(
      complaint(plain)
        == "error: \(scopes): Plain(duration) is not an AsyncScope (check enters it with"
        + " withScope)\n", "\(plain)")
    // --kind timeout builds NAME(duration): a scope that takes none is refused so.
    #expect(door.status == 2, "\(door)")
    #expect(complaint(door).hasPrefix("error: \(scopes): Door(duration): "), "\(door)")
    #expect(complaint(door).split(separator: "\n").count == 1, "\(door)")
    // A NAME that is not a Swift name never reaches swiftc.
    let odd = try check(scopes, scope: "Door()", kind: "scope")
    #expect(odd.status == 2, "\(odd)")
    #expect(odd.errors == "error: \(scopes): 'Door()' is not the name of a Swift type\n", "\(odd)")
  }
}
