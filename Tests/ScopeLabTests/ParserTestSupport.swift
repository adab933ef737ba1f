import AsyncScope
import Testing

@testable import ScopeLab

// MARK: - Parsing helpers

/// Parses `source`, recording an issue (with the rendered error) when it fails.
func parsed(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> Program? {
  do throws(ProgramError) {
    return try Program(parsing: source)
  } catch {
    Issue.record("parse failed:\n\(error.rendered)", sourceLocation: sourceLocation)
    return nil
  }
}

/// The statements of `source`, positions erased.
func statements(_ source: String, sourceLocation: SourceLocation = #_sourceLocation)
  -> [Statement]
{
  parsed(source, sourceLocation: sourceLocation)?.erasingPositions().statements ?? []
}

/// The error parsing `source` gives, recording an issue when it parses.
func parseError(_ source: String, sourceLocation: SourceLocation = #_sourceLocation)
  -> ProgramError?
{
  do throws(ProgramError) {
    let program = try Program(parsing: source)
    Issue.record("expected an error, parsed: \(program)", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

// MARK: - Building expected ASTs (positions erased)

let here = SourcePosition(line: 0, column: 0)

func word(_ text: String) -> Word { Word(literal: text, position: here) }
func param(_ name: String) -> Word.Part { .parameter(name, position: here) }
func duration(_ text: String) -> DurationExpr { DurationExpr(word(text)) }
func statement(_ kind: Statement.Kind) -> Statement { Statement(kind, position: here) }
func block(_ statements: [Statement]) -> Block { Block(statements, position: here, end: here) }
func header(_ kind: ScopeHeader.Kind) -> ScopeHeader { ScopeHeader(kind, position: here) }
func option(_ kind: ScopeOption.Kind) -> ScopeOption { ScopeOption(kind, position: here) }

func scope(_ headers: [ScopeHeader.Kind], _ body: [Statement]) -> Statement {
  statement(.scope(ScopeStatement(headers: headers.map(header), body: block(body))))
}

func printing(_ words: String...) -> Statement { statement(.print(words.map(word))) }

// MARK: - Erasing positions, so structure can be compared

extension Program {
  func erasingPositions() -> Program { Program(statements.map { $0.erasingPositions() }) }
}

extension Statement {
  func erasingPositions() -> Statement {
    let kind: Kind
    switch self.kind {
    case .scope(let scope):
      kind = .scope(
        ScopeStatement(
          headers: scope.headers.map { $0.erasingPositions() },
          body: scope.body.erasingPositions()))
    case .sleep(let duration): kind = .sleep(duration.erasingPositions())
    case .busy(let duration): kind = .busy(duration.erasingPositions())
    case .reschedule(let duration): kind = .reschedule(duration.erasingPositions())
    case .print(let words): kind = .print(words.map { $0.erasingPositions() })
    case .throwError(let name): kind = .throwError(name.erasingPositions())
    case .returnValue(let value): kind = .returnValue(value?.erasingPositions())
    case .wait: kind = .wait
    case .task(let body): kind = .task(body.erasingPositions())
    case .tryCatch(let statement):
      kind = .tryCatch(
        TryStatement(
          body: statement.body.erasingPositions(),
          catches: statement.catches.map {
            CatchClause(
              errorName: $0.errorName?.erasingPositions(), body: $0.body.erasingPositions(),
              position: here)
          }))
    }
    return Statement(kind, position: here)
  }
}

extension Block {
  func erasingPositions() -> Block {
    Block(statements.map { $0.erasingPositions() }, position: here, end: here)
  }
}

extension ScopeHeader {
  func erasingPositions() -> ScopeHeader {
    switch kind {
    case .timeout(let duration):
      return ScopeHeader(.timeout(duration.erasingPositions()), position: here)
    case .runner:
      return ScopeHeader(.runner, position: here)
    case .group:
      return ScopeHeader(.group, position: here)
    case .process(let words):
      return ScopeHeader(.process(words.map { $0.erasingPositions() }), position: here)
    case .named(let name, let options):
      let options = options.map { option in
        switch option.kind {
        case .slowEnter(let duration):
          return ScopeOption(.slowEnter(duration.erasingPositions()), position: here)
        case .slowExit(let duration):
          return ScopeOption(.slowExit(duration.erasingPositions()), position: here)
        case .suppress, .failEnter, .throwExit:
          return ScopeOption(option.kind, position: here)
        }
      }
      return ScopeHeader(.named(name.erasingPositions(), options: options), position: here)
    }
  }
}

extension DurationExpr {
  func erasingPositions() -> DurationExpr { DurationExpr(word.erasingPositions()) }
}

extension Word {
  func erasingPositions() -> Word {
    let parts = parts.map { part -> Part in
      if case .parameter(let name, _) = part { return .parameter(name, position: here) }
      return part
    }
    return Word(parts, position: here)
  }
}

// MARK: - Deterministic randomness

/// SplitMix64: a small seeded generator, so a failing fuzz case can be reproduced.
struct SeededRandom: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
