import Testing

@testable import ScopeLab

@Suite struct ParserQuotingTests {
  /// The arguments of `process ARGS { }`, expanded with `parameters`.
  private func arguments(
    _ text: String, parameters: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> [String]? {
    guard let program = parsed("process \(text) { }", sourceLocation: sourceLocation),
      case .scope(let scope) = program.statements.first?.kind,
      case .process(let words) = scope.headers.first?.kind
    else { return nil }
    do throws(ProgramError) {
      return try words.map { word throws(ProgramError) in
        try word.resolve(parameters: parameters)
      }
    } catch {
      Issue.record("resolve failed: \(error)", sourceLocation: sourceLocation)
      return nil
    }
  }

  // MARK: - Shell-style words

  @Test func quotingRules() {
    #expect(arguments(#"sh -c "echo hi; exit 3""#) == ["sh", "-c", "echo hi; exit 3"])
    #expect(arguments(#"sh -c 'kill -9 $$'"#) == ["sh", "-c", "kill -9 $$"])
    #expect(arguments(#"a"b"'c' "" ''"#) == ["abc", "", ""])
    #expect(arguments(#"'{' "}" \; \, \( x\ y"#) == ["{", "}", ";", ",", "(", "x y"])
    #expect(arguments(#""a \"b\" \\ \$x \n""#) == [#"a "b" \ $x \n"#])
    #expect(arguments(#"'a \"b\" \\'"#) == [#"a \"b\" \\"#])
    #expect(arguments("\"two\nlines\" 'and\nmore'") == ["two\nlines", "and\nmore"])
    #expect(arguments("echo a#b #comment\n") == ["echo", "a#b"])
    #expect(arguments("echo a \\\n b") == ["echo", "a", "b"])
    #expect(arguments("echo ab\\\ncd \"x\\\ny\"") == ["echo", "abcd", "xy"])
    #expect(arguments("echo a(b) =c dd=ee") == ["echo", "a(b)", "=c", "dd=ee"])
    #expect(arguments("echo 'a,b' a\\,b") == ["echo", "a,b", "a,b"])
    #expect(
      arguments("echo \u{00E9}t\u{00E9} \u{1F600}") == ["echo", "\u{00E9}t\u{00E9}", "\u{1F600}"])
  }

  @Test func parametersExpandOutsideSingleQuotes() {
    let parameters = ["sleep": "3", "cmd": "sleep 10", "x": "X"]
    #expect(arguments("$cmd", parameters: parameters) == ["sleep 10"])
    #expect(
      arguments(#""$sleep" '$sleep' \$sleep"#, parameters: parameters) == ["3", "$sleep", "$sleep"])
    #expect(
      arguments(#"${x}y $x.y "a${x}b" $x$x"#, parameters: parameters) == ["Xy", "X.y", "aXb", "XX"])
  }

  @Test func parameterValuesAreNotExpandedAgain() {
    #expect(arguments("$a", parameters: ["a": "$b", "b": "no"]) == ["$b"])
  }

  @Test func wordPartsAreKeptAndNormalized() throws {
    let program = try #require(parsed(#"print a"b"'c'$x"d"${y}"#))
    guard case .print(let words) = program.statements.first?.kind else { return }
    #expect(words.count == 1)
    #expect(
      words[0].parts == [
        .literal("abc"), .parameter("x", position: .init(line: 1, column: 14)), .literal("d"),
        .parameter("y", position: .init(line: 1, column: 19)),
      ])
    #expect(words[0].literalText == nil)
    #expect(words[0].parameterNames == ["x", "y"])
  }

  // MARK: - print

  @Test func printWords() {
    #expect(statements("print done") == [printing("done")])
    #expect(statements("print \"text with spaces\"") == [printing("text with spaces")])
    #expect(statements("print  two   words ") == [printing("two", "words")])
    #expect(statements("print hello, world (again)") == [printing("hello,", "world", "(again)")])
    #expect(statements("print a,b ,c") == [printing("a,b", ",c")])
    let scopeA = scope([.named(word("A"), options: [])], [printing("b")])
    #expect(statements("scope A { print b}") == [scopeA])
    #expect(statements("scope A { print b }") == [scopeA])
    #expect(statements("print '{' \\} \"a}\"") == [printing("{", "}", "a}")])
    #expect(parseError("print b}")?.message == "unexpected '}' - there is no open block to close")
  }

  @Test func keywordsAreOnlyKeywordsAtTheStartOfAStatement() {
    #expect(
      statements("print sleep timeout { }".replacingBraces()) == [
        printing("sleep", "timeout", "{", "}")
      ])
    #expect(statements("scope scope { }") == [scope([.named(word("scope"), options: [])], [])])
    #expect(statements("\"sleep\" 1") == [statement(.sleep(duration("1")))])
  }
}

extension String {
  /// Quotes the braces, so a test can write the text it means.
  fileprivate func replacingBraces() -> String {
    var text = ""
    for character in self {
      text += character == "{" || character == "}" ? "'\(character)'" : String(character)
    }
    return text
  }
}
