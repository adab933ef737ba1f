import AsyncScope
import Testing

@testable import ScopeLab

/// A duration in one unit as typed, and how scopelab shows it back.
struct UnitCase: Sendable, CustomTestStringConvertible {
  var typed: String
  var duration: Duration
  var shown: String

  init(_ typed: String, _ duration: Duration, _ shown: String) {
    self.typed = typed
    self.duration = duration
    self.shown = shown
  }

  var testDescription: String { typed }
}

/// One set of duration forms everywhere a person types one: in a program, in `set`,
/// in `scopelab run --set`, and in what `params` and the messages say.
@Suite struct DurationUnitTests {
  static let units: [UnitCase] = [
    .init("5ns", .nanoseconds(5), "5ns"), .init("250us", .microseconds(250), "250us"),
    .init("5ms", .milliseconds(5), "5ms"), .init("1.5s", .milliseconds(1500), "1.5s"),
    .init("2m", .seconds(120), "2min"), .init("1min", .seconds(60), "1min"),
    .init("1.5min", .seconds(90), "90s"), .init("2h", .seconds(7200), "2h"),
    .init("3", .seconds(3), "3s"), .init("0.5", .milliseconds(500), "500ms"),
    .init("-1", .seconds(-1), "-1s"), .init("-20ms", .milliseconds(-20), "-20ms"),
  ]

  static let notADuration = ParserErrorTests.notADuration

  // MARK: - In a program

  @Test("sleep D: every unit", arguments: units)
  func sleepLiteral(unit: UnitCase) throws {
    let program = try #require(parsed("sleep \(unit.typed)"))
    guard case .sleep(let expr) = program.statements.first?.kind else {
      Issue.record("not a sleep: \(program)")
      return
    }
    #expect(expr.literalValue == UserDuration(unit.duration))
  }

  @Test("timeout D { }: every unit", arguments: units)
  func timeoutLiteral(unit: UnitCase) throws {
    let program = try #require(parsed("timeout \(unit.typed) { }"))
    guard case .scope(let scope) = program.statements.first?.kind,
      case .timeout(let expr) = scope.headers.first?.kind
    else {
      Issue.record("not a timeout: \(program)")
      return
    }
    #expect(expr.literalValue == UserDuration(unit.duration))
  }

  @Test("busy, reschedule and slow-exit take the same forms")
  func otherDurations() throws {
    _ = try Program(
      parsing: "busy 5ms; timeout 1min { reschedule 2h; scope A(slow-exit=250us) { } }",
      checkedAgainst: .builtIn)
  }

  @Test(
    "a bad duration in a program names the forms",
    arguments: ["sleep 3x", "timeout 1mins { }", "sleep never", "sleep infinity", "sleep nan"])
  func badLiteral(source: String) throws {
    let error = try #require(parseError(source))
    #expect(error.message.hasSuffix(Self.notADuration), "\(error.message)")
  }

  @Test("a parameter expands to text that parses back to its value", arguments: units)
  func parameterExpansion(unit: UnitCase) throws {
    var parameters = Parameters.builtIn
    try parameters.set("sleep", to: unit.typed)
    let program = try #require(parsed("sleep $sleep"))
    guard case .sleep(let expr) = program.statements.first?.kind else { return }
    #expect(try expr.resolve(parameters: parameters.values) == UserDuration(unit.duration))
  }

  // MARK: - set

  @Test("set: every unit, shown back in its own unit", arguments: units)
  func set(unit: UnitCase) async throws {
    let harness = SessionHarness()
    let reply = await harness.execute("set timeout \(unit.typed)")
    #expect(reply.errors.isEmpty)
    #expect(reply.output == "timeout = \(unit.shown) (was 2s)\n")
    #expect(try harness.session.parameters.value("timeout").duration == unit.duration)
  }

  @Test("set: a bad value names every form")
  func setBadValue() async {
    let harness = SessionHarness()
    let reply = await harness.execute("set sleep 3x")
    reply.expectOneLineError(
      containing:
        "bad value for sleep: '3x' is not a duration: write a number with a unit ns, us, ms, s,"
        + " m (or min), h - bare numbers are seconds - or inf/none")
  }

  @Test(
    "set grace: negative and no limit are refused, 0 is fine",
    arguments: [
      ("-1", "'-1' is negative - grace must be 0 or more"),
      ("-0.5ms", "'-0.5ms' is negative - grace must be 0 or more"),
      ("inf", "'inf' means no limit - grace must be finite"),
      ("none", "'none' means no limit - grace must be finite"),
    ])
  func setGraceRefused(typed: String, message: String) async {
    let harness = SessionHarness()
    let reply = await harness.execute("set grace \(typed)")
    reply.expectOneLineError(containing: "bad value for grace: \(message)")
    #expect(harness.session.parameters == Parameters.builtIn)
  }

  @Test("set grace 0 and set sleep -1 are fine")
  func setGraceZero() async throws {
    let harness = SessionHarness()
    #expect(await harness.execute("set grace 0").output == "grace = 0s (was 1s)\n")
    #expect(await harness.execute("set sleep -1").output == "sleep = -1s (was 1s)\n")
    #expect(await harness.execute("set timeout inf").output == "timeout = inf (was 2s)\n")
    #expect(harness.session.parameters.grace == .zero)
  }

  @Test("a lesson redeclaring grace keeps its constraint")
  func redeclaredGrace() {
    var parameters = Parameters.builtIn
    parameters.declare("grace", default: UserDuration(.seconds(3)), summary: "longer")
    #expect(throws: ParameterError.self) { try parameters.set("grace", to: "-1") }
    parameters.declare("patience", default: UserDuration(.seconds(3)), summary: "a lesson's")
    #expect(throws: Never.self) { try parameters.set("patience", to: "-1") }
  }

  // MARK: - params

  @Test("params shows the durations and names every unit")
  func params() async {
    let harness = SessionHarness()
    _ = await harness.execute("set sleep 90")
    _ = await harness.execute("set timeout 2h")
    _ = await harness.execute("set grace 500us")
    let reply = await harness.execute("params")
    let rows = reply.outputLines.map { $0.split(separator: " ").prefix(3).map(String.init) }
    #expect(rows.contains(["sleep", "90s", "1s"]), "\(reply.output)")
    #expect(rows.contains(["timeout", "2h", "2s"]), "\(reply.output)")
    #expect(rows.contains(["grace", "500us", "1s"]), "\(reply.output)")
    let footer = reply.outputLines.filter { $0.hasPrefix("Durations:") }
    #expect(footer == ["Durations: \(UserDuration.examples)."], "\(reply.output)")
    for unit in UserDuration.units {
      #expect(footer.first?.contains(unit.suffix) == true, "\(unit.suffix)")
    }
    #expect(reply.outputLines.allSatisfy { $0.count <= 80 }, "\(reply.output)")
  }

  // MARK: - scopelab run --set

  /// `scopelab run SOURCE --set ...`, with its status, output and errors.
  private func run(_ source: String, settings: [String]) async -> (Int32, String, String) {
    let output = CapturedOutput()
    let errors = CapturedOutput()
    let core = RunCommandCore(source: source, settings: settings)
    let status = await core.run(output: output, errors: errors)
    return (status, output.text, errors.text)
  }

  @Test("--set: every unit", arguments: units)
  func runSet(unit: UnitCase) async {
    let (status, output, errors) = await run("print $timeout", settings: ["timeout=\(unit.typed)"])
    #expect(status == 0, "\(errors)")
    #expect(output.contains("  \(unit.shown)\n"), "\(output)")
  }

  @Test("--set: a bad value names every form, status 2")
  func runSetBadValue() async {
    let (status, output, errors) = await run("sleep $sleep", settings: ["sleep=3x"])
    #expect(status == 2)
    #expect(output.isEmpty)
    #expect(errors == "error: --set: bad value for sleep: '3x' \(Self.notADuration)\n")
  }

  @Test(
    "--set grace: negative and no limit are refused with status 2",
    arguments: ["grace=-1", "grace=-1ms", "grace=inf", "grace=none"])
  func runSetGraceRefused(setting: String) async {
    let (status, output, errors) = await run("print $grace", settings: [setting])
    #expect(status == 2)
    #expect(output.isEmpty, "nothing runs: \(output)")
    #expect(errors.hasPrefix("error: --set: bad value for grace: "), "\(errors)")
    #expect(errors.contains("negative") || errors.contains("no limit"), "\(errors)")
  }

  @Test("--set grace=0 is fine")
  func runSetGraceZero() async {
    let (status, output, _) = await run("print $grace", settings: ["grace=0"])
    #expect(status == 0)
    #expect(output.contains("  0s\n"), "\(output)")
  }

  @Test("--set: a clamped value runs, and a note on stderr says it was clamped")
  func runSetClamped() async {
    let (status, output, errors) = await run("print $sleep", settings: ["sleep=1e400"])
    #expect(status == 0, "\(errors)")
    #expect(output.contains("  1000000000s\n"), "\(output)")
    #expect(
      errors == "note: --set sleep: clamped: the longest duration, about 31 years (1000000000s)\n")
    let (_, _, quiet) = await run("print $sleep", settings: ["sleep=1e9"])
    #expect(quiet.isEmpty, "1e9 is the longest itself, not clamped: \(quiet)")
  }
}
