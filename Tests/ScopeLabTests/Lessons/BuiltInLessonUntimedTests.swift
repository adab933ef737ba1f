import Testing

@testable import ScopeLab

/// The curriculum's claims whose verdict does not move with lateness, so they run beside
/// other tests: names, hints and headings, the checked snippets with no timing in their
/// output (under every CPython there is, and swiftc), and each real-code challenge's
/// `check:` (its solution passes, its starter does not). The timed ones are
/// BuiltInLessonTests', which run with nothing beside them.
@Suite("Built-in lessons: names, hints, snippets, real code", .serialized)
struct BuiltInLessonUntimedTests {
  @Test(
    "scopelab verify's untimed checks hold for every lesson and the guide: names, hints, snippets, real code"
  )
  func verified() async throws {
    let problems = try await BuiltInLessonTests.verified(checks: .untimed)
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }
}
