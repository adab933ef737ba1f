import Testing

@testable import ScopeLab

@Suite struct ParserPrinterTests {
  @Test func multilineLayout() throws {
    let program = try #require(
      parsed(
        "timeout 2 { sleep 1; print \"done\" }; print \"after\";"
          + "try { scope A(suppress, slow-exit=0.5), runner { } } "
          + "catch KeyError { return 1 } catch { }"
      ))
    #expect(
      program.description == """
        timeout 2 {
          sleep 1
          print done
        }
        print after
        try {
          scope A(suppress, slow-exit=0.5), runner { }
        } catch KeyError {
          return 1
        } catch { }
        """)
  }

  @Test(arguments: [
    "timeout 2 { sleep 1; print done }; print after",
    "timeout $timeout { sleep $sleep; print done }; print after",
    "process sh -c \"echo hi; exit 3\" { wait }",
    "process sh -c 'kill -9 $$' { wait }",
    "try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }",
    "print \"a b\" ${x}y \"\" \"it's\" '\"q\"'",
    "timeout 1 { scope A(fail-enter, throw-exit, slow-enter=${d}ms) { busy 1; reschedule 2 } }",
    "scope A { }; runner { }; process a { }; print",
  ])
  func singleLineLayoutIsTheCanonicalSource(source: String) throws {
    let program = try #require(parsed(source))
    #expect(program.formatted(.singleLine) == source)
  }

  @Test func wordsPrintBackToTheSameText() {
    let texts = [
      "plain", "", "a b", "it's", "$x", "back\\slash", "\"q\"", "{", "#x", "a,b", "tab\there",
    ]
    for text in texts {
      let source = "print " + Word(literal: text, position: .start).description
      #expect(statements(source) == [printing(text)], "\(source)")
    }
  }
}
