/// Scopes around a block: `A { ... }`, or the list form `A, B, C { ... }`.
///
/// The list form means `A { B { C { ... } } }`: enter A, then B, then C; exit C, B, A.
/// The parser keeps the list as written (so the program prints back as written);
/// ``nested`` gives the one-scope-per-statement form.
public struct ScopeStatement: Sendable, Equatable {
  /// The scopes, outermost first; never empty.
  public var headers: [ScopeHeader]
  /// The block the innermost scope runs.
  public var body: Block

  /// Scopes `headers` (outermost first) around `body`.
  public init(headers: [ScopeHeader], body: Block) {
    self.headers = headers
    self.body = body
  }

  /// The outermost scope and what it runs: the rest of the list around the body, or
  /// the body itself when the list has one scope.
  public var nested: (header: ScopeHeader, body: Block)? {
    guard let first = headers.first else { return nil }
    guard headers.count > 1 else { return (first, body) }
    let inner = ScopeStatement(headers: Array(headers.dropFirst()), body: body)
    let position = headers[1].position
    let statement = Statement(.scope(inner), position: position)
    return (first, Block([statement], position: position, end: body.end))
  }
}
