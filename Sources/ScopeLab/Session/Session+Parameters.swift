import AsyncScope

/// `params`, `set NAME VALUE` and `reset`: the parameters a program's `$name` reads.
extension Session {
  func showParameters() -> CommandResult {
    let entries = parameters.order.compactMap { name in
      parameters.entries[name].map { (name, $0) }
    }
    let nameWidth = max(4, entries.map(\.0.count).max() ?? 0)
    let valueWidth = max(5, entries.map(\.1.value.description.count).max() ?? 0)
    let defaultWidth = max(7, entries.map(\.1.defaultValue.description.count).max() ?? 0)
    var text = "  " + "name".padded(to: nameWidth) + "  " + "value".padded(to: valueWidth)
    text += "  " + "default".padded(to: defaultWidth) + "  (durations)\n"
    for (name, entry) in entries {
      text += "  \(name.padded(to: nameWidth))  \(entry.value.description.padded(to: valueWidth))"
      text += "  \(entry.defaultValue.description.padded(to: defaultWidth))  \(entry.summary)\n"
    }
    text += "Durations: \(UserDuration.examples).\nChange one: set NAME VALUE\n"
    say(text)
    return .done
  }

  func set(_ arguments: Command.SetArguments) -> CommandResult {
    if let assignment = arguments.assignment, parameters.entries[assignment.name] != nil {
      return fail(
        "set takes NAME VALUE, with no '=' - did you mean"
          + " 'set \(assignment.name) \(assignment.value.echoed())'?")
    }
    let name = arguments.name
    guard parameters.entries[name] != nil else { return unknownParameter(name) }
    guard arguments.values.count == 1, let value = arguments.values.first else {
      return fail(
        arguments.values.isEmpty
          ? "set \(name): missing a value (for example: set \(name) 3)"
          : "set \(name): one value please, not \(arguments.values.count) (for example: set \(name) 3)"
      )
    }
    return setParameter(name, to: value)
  }

  /// Sets the parameter `name` to `value` (as typed: `3`, `250ms`) and says so, or says why
  /// it cannot: what `set NAME VALUE` does once its words are right, and what a replay
  /// does for each of its transcript's `set:` settings.
  public func setParameter(_ name: String, to text: String) -> CommandResult {
    guard let previous = parameters.entries[name]?.value else { return unknownParameter(name) }
    let clamped: Bool
    do {
      clamped = try parameters.set(name, to: text)
    } catch .invalidValue(_, let problem) {
      return fail("bad value for \(name): '\(problem.text.echoed())' \(problem.reason)")
    } catch {
      return fail(error.description)
    }
    let value = (try? parameters.value(name))?.description ?? text
    // 1e400 is a duration, clamped to the longest one: said, not silently changed.
    let note = clamped ? " (\(Parameters.clampedNote))" : ""
    say("\(name) = \(value) (was \(previous))\(note)\n")
    return .done
  }

  func reset() -> CommandResult {
    parameters.reset()
    let values = parameters.order.compactMap { name in
      (try? parameters.value(name)).map { "\(name) = \($0)" }
    }
    let whose = lessons.position == nil ? "their defaults" : "this step's values"
    var text = "parameters reset to \(whose): \(values.joined(separator: ", "))\n"
    // In a lesson, reset goes back to the step as it was: its program too.
    if lessons.position != nil, let edited = editedProgram, edited.position == lessons.position {
      text += "(and 'run' runs the step's program again, not your edited one)\n"
      text += codeKeptNote(edited.program)
      editedProgram = nil
    }
    say(text)
    return .done
  }

  private func unknownParameter(_ name: String) -> CommandResult {
    let hint = Suggestion.nearest(to: name, in: parameters.order).map { " - did you mean '\($0)'?" }
    return fail("unknown parameter '\(name.echoed())'\(hint ?? "") (type 'params' for the list)")
  }
}
