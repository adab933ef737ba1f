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
    #expect(text.contains(#"Trace.print("a \"q\" b\\c é $ x$y")"#))
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
    #expect(text.contains(#"  _ = try await withScope(DemoScope("A")) {"#))
    #expect(text.contains(#"    _ = try await withScope(DemoScope("B")) {"#))
    #expect(text.contains("      _ = try await withScope(Runner()) {"))
    #expect(text.contains(#"  _ = try await withScope(DemoScope("C")) {"#))
  }

  @Test func tryCatchReturnRescheduleGroups() throws {
    let text = try body(
      "try { timeout 1 { reschedule 0.5 } } catch KeyError { return 1 } catch { print x }; "
        + "group { task { busy 10ms } }")
    #expect(text.contains(#"} catch let error where errorName(error) == "KeyError" {"#))
    #expect(text.contains("try TimeoutStack.innermost?.reschedule(after: .milliseconds(500))"))
    #expect(text.contains("await group.startTask {\n        await Demo.busy(.milliseconds(10))"))
    let nested = try body("scope A { return 42 }; print never")
    #expect(nested.contains("enum Flow {"))
    #expect(nested.contains("if case .returned? = flow { return }"))
  }
}
