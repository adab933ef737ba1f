import AsyncScope
import ScopeLab
import Testing

/// The Swift view's generator: quoting, parameters and every construct.
@Suite struct SwiftViewTests {
  func body(_ source: String, _ settings: [String: String] = [:]) throws -> String {
    var parameters = Parameters.builtIn
    for (name, value) in settings { try parameters.set(name, to: value) }
    return SwiftView.render(try Program(parsing: source), parameters: parameters)
  }

  @Test func quotesStrings() throws {
    let text = try body(#"print "a \"q\"" 'b\c' "é \$" 'x$y'"#)
    #expect(text.contains(#"print("a \"q\" b\\c é $ x$y")"#))
  }

  @Test func parametersBecomeConstants() throws {
    let text = try body("timeout $timeout { sleep $sleep }", ["timeout": "inf"])
    #expect(text.contains("let timeout: Duration? = nil"))
    #expect(text.contains("let sleep: Duration = .seconds(1)"))
    #expect(text.contains("withScope(Timeout(timeout))"))
    #expect(text.contains("@main\nstruct Main {\n  static func main() async throws {"))
  }

  @Test func siblingsNestingAndLists() throws {
    let text = try body("scope A, scope B { runner { } }; scope C { }")
    // A list is nested: one scope per `withScope`.
    #expect(text.contains(#"  try await withScope(Scope(traceName: "A")) {"#))
    #expect(text.contains(#"    try await withScope(Scope(traceName: "B")) {"#))
    #expect(text.contains("      try await withScope(Runner()) {"))
    #expect(text.contains(#"  try await withScope(Scope(traceName: "C")) {"#))
  }

  @Test func durationTextIsTheValueAndOnlyDurationsGetConstants() throws {
    let text = try body("print $sleep; sleep $sleep; scope $sleep { }", ["sleep": "1.5"])
    #expect(text.contains(#"print("1.5s")"#))
    #expect(text.contains("try await Task.sleep(for: sleep)"))
    #expect(text.contains(#"Scope(traceName: "1.5s")"#))
    let printed = try body("print $sleep", ["sleep": "1.5"])
    #expect(!printed.contains("let sleep"), "a constant nothing uses is a warning")
  }

  @Test func sleepWithNoLimitSleepsAboutForever() throws {
    let text = try body("sleep inf; sleep $sleep", ["sleep": "inf"])
    #expect(text.contains("let sleep: Duration? = nil"))
    #expect(text.contains("    try await Task.sleep(for: .seconds(1_000_000_000))\n"))
    #expect(text.contains("try await Task.sleep(for: sleep ?? .seconds(1_000_000_000))"))
  }

  /// The whole view of a program with a scope of its own: the `Scope` it declares has a
  /// field for each option used and nothing else; the errors are plain structs.
  @Test func userScopesAndErrorsAreDeclaredInTheFile() throws {
    let text = try body(
      "scope A(suppress) { scope B(throw-exit) { throw KeyError } }; "
        + "try { throw Key-Error } catch Key-Error { print caught }")
    #expect(
      text == #"""
        import AsyncScope

        @main
        struct Main {
          /// `scope NAME`: a scope of its own that does nothing but what its options say.
          struct Scope: AsyncScope, TraceNamed {
            let traceName: String
            var suppress = false
            var throwExit = false

            func enter() async throws {}

            func exit(_ context: ExitContext<Void>) async throws -> ExitDecision {
              if throwExit { throw ExitError() }
              return suppress ? .suppress : .propagate
            }
          }

          struct ExitError: Error {}
          struct KeyError: Error {}
          struct `Key-Error`: Error {}

          static func main() async throws {
            try await withScope(Scope(traceName: "A", suppress: true)) {
              try await withScope(Scope(traceName: "B", throwExit: true)) {
                throw KeyError()
              }
            }
            do {
              throw `Key-Error`()
            } catch is `Key-Error` {
              print("caught")
            }
          }
        }

        """#)
  }

  @Test func errorsTheLibraryHasAreTheLibrarys() throws {
    let text = try body(
      "try { throw CancellationError } catch TimeoutError { } catch CancellationError { } "
        + "catch RuntimeError { } catch FileNotFoundError { } catch Runner { }")
    #expect(text.contains("throw CancellationError()"))
    #expect(text.contains("} catch is TimeoutError {"))
    #expect(text.contains("} catch is CancellationError {"))
    #expect(text.contains("} catch is ScopeUsageError {"))
    #expect(
      text.contains(
        #"catch let error as ProcessSpawnError where error.name == "FileNotFoundError""#))
    // An error named like a type the view uses must not hide it.
    #expect(text.contains("struct Runner_: Error {}"))
    #expect(!text.contains("struct CancellationError"))
    #expect(!text.contains("struct TimeoutError"))
  }

  @Test func longScopeCallsGetOneArgumentALine() throws {
    let text = try body(
      "scope A(slow-enter=1, fail-enter, throw-exit, slow-exit=2ms, suppress) { }")
    #expect(
      text.contains(
        """
            let scope = Scope(
              traceName: "A",
              suppress: true,
              failEnter: true,
              throwExit: true,
              slowEnter: .seconds(1),
              slowExit: .milliseconds(2)
            )
        """))
    #expect(text.contains("try await Task { try await Task.sleep(for: slowExit) }.value"))
    #expect(text.contains("if let slowEnter { try await Task.sleep(for: slowEnter) }"))
    #expect(text.contains("if failEnter { throw EnterError() }"))
  }

  @Test func tryCatchReturnRescheduleGroups() throws {
    let text = try body(
      "try { timeout 1 { reschedule 0.5 } } catch KeyError { return 1 } catch { print x }; "
        + "group { task { busy 10ms } }")
    #expect(text.contains(#"} catch is KeyError {"#))
    #expect(text.contains("try TimeoutStack.innermost?.reschedule(after: .milliseconds(500))"))
    #expect(text.contains("    group.addTask {\n        await busy(for: .milliseconds(10))\n"))
    #expect(text.contains("  static func busy(for duration: Duration) async {"))
    let nested = try body("scope A { return 42 }; print never")
    #expect(nested.contains("enum Flow {"))
    #expect(nested.contains("if case .returned? = flow { return }"))
  }

  /// The done-when of issue 18: no teaching helper in any corpus program's Swift.
  @Test(arguments: ProgramCorpus.all)
  func noTeachingHelpers(_ entry: ProgramCorpus.Entry) throws {
    var parameters = Parameters.builtIn
    for (name, value) in entry.settings { try parameters.set(name, to: value) }
    let text = SwiftView.render(try Program(parsing: entry.source), parameters: parameters)
    for helper in [
      "Demo.", "DemoScope", "NamedError", "Trace.print", "UserDuration", "errorName", "startTask",
      "rootError",
    ] {
      #expect(!text.contains(helper), "\(entry.name): \(helper)")
    }
    // `withScope` is `@discardableResult`: no `_ =` anywhere.
    #expect(!text.contains("_ ="), "\(entry.name)")
  }
}
