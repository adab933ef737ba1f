import AsyncScope
import Testing

@testable import ScopeLab

@Suite struct ParserStatementTests {
  // MARK: - DESIGN.md examples

  @Test(arguments: [
    "timeout 2 { sleep 1; print \"done\" }; print \"after\"",
    "timeout $timeout { sleep $sleep; print \"done\" }; print \"after\"",
    "runner { sleep 0.5 }",
    "process sh -c \"echo hi; exit 3\" { wait }",
    "timeout 0.5 { runner { process sleep 10 { wait } } }",
    "scope A { scope B { print body } }",
    "try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }",
  ])
  func designExampleParses(source: String) {
    #expect(parsed(source) != nil)
  }

  @Test func sleepVersusTimeout() {
    #expect(
      statements("timeout 2 { sleep 1; print \"done\" }; print \"after\"") == [
        scope([.timeout(duration("2"))], [statement(.sleep(duration("1"))), printing("done")]),
        printing("after"),
      ])
  }

  @Test func parametersStayReferences() {
    let timeout = DurationExpr(Word([param("timeout")], position: here))
    let sleep = DurationExpr(Word([param("sleep")], position: here))
    #expect(
      statements("timeout $timeout { sleep $sleep; print \"done\" }; print \"after\"") == [
        scope([.timeout(timeout)], [statement(.sleep(sleep)), printing("done")]),
        printing("after"),
      ])
  }

  @Test func processArgumentsEndAtTheBrace() {
    #expect(
      statements("process sh -c \"echo hi; exit 3\" { wait }") == [
        scope([.process([word("sh"), word("-c"), word("echo hi; exit 3")])], [statement(.wait)])
      ])
  }

  @Test func nestedScopes() {
    #expect(
      statements("timeout 0.5 { runner { process sleep 10 { wait } } }") == [
        scope(
          [.timeout(duration("0.5"))],
          [scope([.runner], [scope([.process([word("sleep"), word("10")])], [statement(.wait)])])])
      ])
    #expect(
      statements("scope A { scope B { print body } }") == [
        scope(
          [.named(word("A"), options: [])],
          [scope([.named(word("B"), options: [])], [printing("body")])])
      ])
  }

  @Test func tryCatchNamed() {
    let expected = statement(
      .tryCatch(
        TryStatement(
          body: block([scope([.timeout(duration("1"))], [statement(.sleep(duration("3")))])]),
          catches: [
            CatchClause(
              errorName: word("TimeoutError"), body: block([printing("caught")]), position: here)
          ])))
    #expect(
      statements("try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }") == [expected])
  }

  // MARK: - Every statement

  @Test func simpleStatements() {
    #expect(
      statements("busy 2s; throw KeyError; return; return 42; print") == [
        statement(.busy(duration("2s"))),
        statement(.throwError(word("KeyError"))),
        statement(.returnValue(nil)),
        statement(.returnValue(word("42"))),
        statement(.print([])),
      ])
    #expect(
      statements("timeout 5 { reschedule 500ms }") == [
        scope([.timeout(duration("5"))], [statement(.reschedule(duration("500ms")))])
      ])
  }

  @Test(arguments: [
    "2", "2s", "1.5", "500ms", "0", "-1", "inf", "none", "2m", "5ns", "5us", "1min", "2h", "-3ms",
  ])
  func durationLiterals(text: String) throws {
    let program = try #require(parsed("sleep \(text)"))
    guard case .sleep(let duration) = program.statements.first?.kind else {
      Issue.record("not a sleep: \(program)")
      return
    }
    #expect(duration.word.literalText == text)
    #expect(duration.literalValue == (try UserDuration(parsing: text)))
  }

  @Test func scopeOptions() {
    let options: [ScopeOption] = [
      option(.suppress), option(.throwExit), option(.failEnter),
      option(.slowEnter(duration("0.5"))), option(.slowExit(duration("1s"))),
    ]
    #expect(
      statements("scope A(suppress, throw-exit,fail-enter, slow-enter=0.5, slow-exit=1s) { }")
        == [scope([.named(word("A"), options: options)], [])])
    #expect(
      statements("scope A (suppress) { }") == [
        scope([.named(word("A"), options: [option(.suppress)])], [])
      ])
  }

  @Test func listFormKeepsEveryScope() {
    #expect(
      statements("timeout 1, runner { }") == [scope([.timeout(duration("1")), .runner], [])])
    #expect(
      statements("scope A, scope B(suppress),\n process sleep 1 { wait }") == [
        scope(
          [
            .named(word("A"), options: []), .named(word("B"), options: [option(.suppress)]),
            .process([word("sleep"), word("1")]),
          ], [statement(.wait)])
      ])
  }

  @Test func listFormNestsLikeSeparateScopes() throws {
    let program = try #require(parsed("scope A, scope B { print x }"))
    guard case .scope(let list) = program.statements.first?.kind,
      let (outer, body) = list.nested
    else {
      Issue.record("not a scope statement")
      return
    }
    #expect(outer.keyword == "scope")
    #expect(
      body.erasingPositions().statements == [
        scope([.named(word("B"), options: [])], [printing("x")])
      ])
  }

  @Test func severalCatchClauses() {
    let expected = statement(
      .tryCatch(
        TryStatement(
          body: block([statement(.throwError(word("KeyError")))]),
          catches: [
            CatchClause(errorName: word("KeyError"), body: block([printing("k")]), position: here),
            CatchClause(errorName: word("Boom"), body: block([]), position: here),
            CatchClause(errorName: nil, body: block([printing("any")]), position: here),
          ])))
    #expect(
      statements(
        "try { throw KeyError } catch KeyError { print k } catch Boom { }\ncatch { print any }")
        == [expected])
  }

  // MARK: - Separators, comments, layout

  @Test func separatorsAndEmptyStatements() {
    let expected = [printing("a"), printing("b")]
    #expect(statements(";;print a;;\n\n  print b;\n") == expected)
    #expect(statements("print a\r\nprint b\r\n") == expected)
    #expect(statements("") == [])
    #expect(statements(" ;\n; ") == [])
  }

  @Test func comments() {
    #expect(
      statements("# setup\nprint a # trailing\nprint b#c  # not a comment inside a word") == [
        printing("a"), printing("b#c"),
      ])
  }

  @Test func blocksAndCatchMayStartOnTheNextLine() {
    let source = """
      try
      {
        timeout 1
        {
          sleep 3
        }
      }
      catch TimeoutError
      {
        print caught
      }
      """
    #expect(
      statements(source)
        == statements("try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }"))
  }

  @Test func positionsPointAtTheFirstCharacter() throws {
    let program = try #require(parsed("print a\n  timeout 2 {\n    sleep $sleep }"))
    #expect(
      program.statements.map(\.position) == [.init(line: 1, column: 1), .init(line: 2, column: 3)])
    guard case .scope(let scope) = program.statements[1].kind else { return }
    #expect(scope.headers[0].position == SourcePosition(line: 2, column: 3))
    #expect(scope.body.position == SourcePosition(line: 2, column: 13))
    #expect(scope.body.end == SourcePosition(line: 3, column: 18))
    let sleep = scope.body.statements[0]
    #expect(sleep.position == SourcePosition(line: 3, column: 5))
    guard case .sleep(let duration) = sleep.kind else { return }
    #expect(duration.position == SourcePosition(line: 3, column: 11))
    #expect(duration.word.parts == [.parameter("sleep", position: .init(line: 3, column: 11))])
  }
}
