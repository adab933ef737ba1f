/// A parsed scope program: what `run` executes (DESIGN.md, "Contract: scope programs").
///
/// ```swift
/// let program = try Program(parsing: "timeout $timeout { sleep $sleep; print done }")
/// program.parameterNames  // ["timeout", "sleep"]
/// ```
///
/// Grammar, beyond the contract:
/// - Statements are separated by `;` or line breaks; empty statements are allowed. A
///   block's `{` and a `catch` may start on the next line.
/// - `#` where a word would start begins a comment to the end of the line (`a#b` is a
///   word).
/// - Words are shell words: `'...'` is literal, `"..."` expands `$name` and takes `\"`,
///   `\\`, `\$` as escapes, a backslash outside quotes escapes the next character.
///   `{ } ( ) , ;` end a word unless quoted. In `print` and process arguments, `(`, `)`
///   (and for `print`, `,`) touching other text are part of it: `print hello, world`.
/// - `$name` and `${name}` are parameters wherever they are not in single quotes. A `$`
///   that starts no name (`$$`, `5$`) is an error: write `\$` or use single quotes, as in
///   `process sh -c 'kill -9 $$'`. Values are not split or expanded again.
/// - `A, B { ... }` takes any scopes: `timeout 1, runner { ... }`.
/// - Process arguments end at `{` or `,` (quote a comma that belongs to an argument).
/// - `scope NAME(OPTIONS)`: `suppress`, `fail-enter`, `throw-exit`, `slow-enter=D`,
///   `slow-exit=D`, separated by commas, each at most once.
/// - Names (`scope A`, `throw KeyError`, `catch KeyError`) are a letter or `_`, then
///   letters, digits, `_`, `-`, `.`; `return` takes at most one word.
/// - `wait` must be inside a `process` block and `reschedule` inside a `timeout` block
///   (lexically, at any depth).
/// - A `try` has one or more `catch` clauses; a bare `catch` can only be the last.
/// - Scopes and `try`/`catch` blocks nest at most 100 deep, and the source is at most
///   ``maximumSourceBytes`` long. Control characters other than tab are errors.
public struct Program: Sendable, Equatable, CustomStringConvertible {
  /// The top-level statements in order.
  public var statements: [Statement]

  /// A program made of `statements`.
  public init(_ statements: [Statement]) {
    self.statements = statements
  }

  /// The longest source accepted, in UTF-8 bytes (1 MB).
  public static let maximumSourceBytes = 1_000_000

  /// Parses `source`; a ``ProgramError`` carries the line, column and source line.
  public init(parsing source: String) throws(ProgramError) {
    let size = source.utf8.count
    guard size <= Self.maximumSourceBytes else {
      throw ProgramError(
        "the program is too long: \(size) bytes, the limit is \(Self.maximumSourceBytes)",
        at: .start
      ).withSource(source)
    }
    do throws(ProgramError) {
      var lexer = Lexer(source)
      var parser = Parser(tokens: try lexer.tokenize())
      self = try parser.parseProgram()
    } catch {
      throw error.withSource(source)
    }
  }

  /// The program in canonical form, one statement per line.
  public var description: String { formatted(.multiline) }

  /// The program as source text that parses back to the same program.
  public func formatted(_ layout: ProgramPrinter.Layout = .multiline) -> String {
    ProgramPrinter(layout: layout).program(self)
  }
}
