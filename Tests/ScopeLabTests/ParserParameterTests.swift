import AsyncScope
import Testing

@testable import ScopeLab

@Suite struct ParserParameterTests {
  static let defaults = ["sleep": "1s", "timeout": "2s", "grace": "1s"]

  @Test func parameterNamesInOrderOfFirstUse() throws {
    let program = try #require(
      parsed(
        """
        timeout $timeout { sleep $sleep; print "$who ${sleep}" '$not' }
        scope $name(slow-exit=$slow) { throw $err }
        try { } catch $err { return $value }
        process $cmd -c "$arg" { wait }
        """))
    #expect(
      program.parameterNames == [
        "timeout", "sleep", "who", "name", "slow", "err", "value", "cmd", "arg",
      ])
  }

  @Test func resolveDuration() throws {
    let program = try #require(parsed("timeout $timeout { sleep ${sleep}ms }"))
    guard case .scope(let scope) = program.statements[0].kind,
      case .timeout(let timeout) = scope.headers[0].kind,
      case .sleep(let sleep) = scope.body.statements[0].kind
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(timeout.literalValue == nil)
    #expect(try timeout.resolve(parameters: Self.defaults) == UserDuration(.seconds(2)))
    #expect(try timeout.resolve(parameters: ["timeout": "none"]) == .unlimited)
    #expect(try sleep.resolve(parameters: ["sleep": "500"]) == UserDuration(.milliseconds(500)))
  }

  @Test func unknownParameterSuggestsTheNearestName() throws {
    let program = try #require(parsed("print a\ntimeout $timout { }"))
    #expect(
      throws: ProgramError(
        "unknown parameter '$timout' - did you mean '$timeout'?", at: .init(line: 2, column: 9))
    ) {
      try program.validate(parameters: Self.defaults)
    }
    let other = try #require(parsed("sleep $zzz"))
    #expect(
      throws: ProgramError(
        "unknown parameter '$zzz' - known parameters: $grace, $sleep, $timeout",
        at: .init(line: 1, column: 7))
    ) {
      try other.validate(parameters: Self.defaults)
    }
    #expect(
      throws: ProgramError(
        "unknown parameter '$zzz' - no parameters are set", at: .init(line: 1, column: 7))
    ) {
      try other.validate(parameters: [:])
    }
  }

  @Test func badValuesAreErrorsAtTheWord() throws {
    let program = try #require(parsed("runner {\n  sleep $sleep }"))
    let error = try #require(
      #expect(throws: ProgramError.self) { try program.validate(parameters: ["sleep": "nan"]) })
    #expect(error.message == "$sleep is 'nan': 'nan' \(ParserErrorTests.notADuration)")
    #expect(error.position == SourcePosition(line: 2, column: 9))
    #expect(
      error.withSource("runner {\n  sleep $sleep }").rendered == """
        error: $sleep is 'nan': 'nan' is not a duration: write a number with a unit ns, us, ms, s, m (or min), h - bare numbers are seconds - or inf/none
         2 |   sleep $sleep }
           |         ^
        """)
  }

  @Test func namesFromParametersAreValidated() throws {
    let program = try #require(parsed("throw $err"))
    #expect(throws: Never.self) { try program.validate(parameters: ["err": "KeyError"]) }
    let error = try #require(
      #expect(throws: ProgramError.self) { try program.validate(parameters: ["err": "1 2"]) })
    #expect(error.message.hasPrefix("$err is '1 2': '1 2' is not a name"))
  }

  @Test func validateAcceptsTheDesignExamples() throws {
    let program = try #require(
      parsed("timeout $timeout { sleep $sleep; print \"done\" }; print \"after\""))
    #expect(throws: Never.self) { try program.validate(parameters: Self.defaults) }
    #expect(throws: Never.self) {
      try program.validate(parameters: ["sleep": "3", "timeout": "inf"])
    }
  }
}
