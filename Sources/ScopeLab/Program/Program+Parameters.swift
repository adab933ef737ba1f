import AsyncScope

extension Program {
  /// The names of the parameters the program uses, each once, in order of first use.
  public var parameterNames: [String] {
    var names: [String] = []
    ProgramWalker.forEachWord(in: self) { word, _ in
      for name in word.parameterNames where !names.contains(name) { names.append(name) }
    }
    return names
  }

  /// Checks, before running, that every parameter the program uses is in `parameters`
  /// and that every word expands to something usable (durations, names); throws the
  /// first problem in source order.
  public func validate(parameters: [String: String]) throws(ProgramError) {
    var firstError: ProgramError?
    ProgramWalker.forEachWord(in: self) { word, role in
      guard firstError == nil else { return }
      do throws(ProgramError) {
        switch role {
        case .text: _ = try word.resolve(parameters: parameters)
        case .name: _ = try word.resolveName(parameters: parameters)
        case .duration: _ = try DurationExpr(word).resolve(parameters: parameters)
        case .busyDuration: try Self.checkBusy(DurationExpr(word), parameters: parameters)
        }
      } catch {
        firstError = error
      }
    }
    if let firstError { throw firstError }
  }
}

extension Program {
  /// The longest `busy` a program may ask for. `busy` never checks cancellation, so
  /// neither a deadline nor Ctrl-C can cut it short: an unbounded one would hang.
  public static let maximumBusy = Duration.seconds(60)

  static func checkBusy(_ expr: DurationExpr, parameters: [String: String]) throws(ProgramError) {
    let value = try expr.resolve(parameters: parameters)
    guard let duration = value.duration, duration <= maximumBusy else {
      throw ProgramError(
        expr.word.describeExpansion(value.description)
          + "'busy' needs a finite duration of at most \(formatDuration(maximumBusy)): "
          + "it never checks cancellation, so nothing could stop it",
        at: expr.position)
    }
  }
}

extension Word {
  /// The word's text with every `$name` replaced by `parameters[name]`. Values are not
  /// expanded again or split: `$cmd` stays one process argument whatever it holds.
  public func resolve(parameters: [String: String]) throws(ProgramError) -> String {
    var text = ""
    for part in parts {
      switch part {
      case .literal(let literal):
        text += literal
      case .parameter(let name, let position):
        guard let value = parameters[name] else {
          throw Self.unknownParameter(name, at: position, known: parameters.keys.sorted())
        }
        text += value
      }
    }
    return text
  }

  /// The expanded word, which must be a name (a scope or error name).
  public func resolveName(parameters: [String: String]) throws(ProgramError) -> String {
    let text = try resolve(parameters: parameters)
    if let problem = Names.problem(with: text) {
      throw ProgramError(describeExpansion(text) + problem, at: position)
    }
    return text
  }

  /// "$sleep is 'abc': " when the word holds parameters, so a message can say where a
  /// bad value came from.
  func describeExpansion(_ text: String) -> String {
    guard literalText == nil else { return "" }
    return "\(self) is '\(Names.shortened(text))': "
  }

  static func unknownParameter(
    _ name: String, at position: SourcePosition, known: [String]
  ) -> ProgramError {
    if let suggestion = Suggestion.nearest(to: name, in: known) {
      return ProgramError(
        "unknown parameter '$\(name)' - did you mean '$\(suggestion)'?", at: position)
    }
    guard !known.isEmpty else {
      return ProgramError("unknown parameter '$\(name)' - no parameters are set", at: position)
    }
    let list = known.map { "$" + $0 }.joined(separator: ", ")
    return ProgramError("unknown parameter '$\(name)' - known parameters: \(list)", at: position)
  }
}

extension DurationExpr {
  /// The duration with parameters expanded and validated (NaN and garbage are errors,
  /// `inf`/`none` mean no limit, huge values are clamped).
  public func resolve(parameters: [String: String]) throws(ProgramError) -> UserDuration {
    let text = try word.resolve(parameters: parameters)
    do throws(DurationError) {
      return try UserDuration(parsing: text)
    } catch {
      throw ProgramError(word.describeExpansion(text) + error.description, at: position)
    }
  }
}
