import AsyncScope

/// `params`, `set NAME VALUE` and `reset`: the parameters a program's `$name` reads.
extension Session {
  func showParameters(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'params' takes no arguments") }
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

  func set(_ rest: String) -> CommandResult {
    if let (name, value) = assignment(rest) {
      return fail(
        "set takes NAME VALUE, with no '=' - did you mean 'set \(name) \(value.echoed())'?")
    }
    let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    guard let name = words.first else {
      return fail("usage: set NAME VALUE (for example: set sleep 3)")
    }
    guard let previous = parameters.entries[name]?.value else {
      let hint = Suggestion.nearest(to: name, in: parameters.order).map {
        " - did you mean '\($0)'?"
      }
      return fail("unknown parameter '\(name.echoed())'\(hint ?? "") (type 'params' for the list)")
    }
    guard words.count == 2 else {
      return fail(
        words.count == 1
          ? "set \(name): missing a value (for example: set \(name) 3)"
          : "set \(name): one value please, not \(words.count - 1) (for example: set \(name) 3)")
    }
    let clamped: Bool
    do {
      clamped = try parameters.set(name, to: words[1])
    } catch .invalidValue(_, let problem) {
      return fail("bad value for \(name): '\(problem.text.echoed())' \(problem.reason)")
    } catch {
      return fail(error.description)
    }
    let value = (try? parameters.value(name))?.description ?? words[1]
    // 1e400 is a duration, clamped to the longest one: said, not silently changed.
    let note = clamped ? " (\(Parameters.clampedNote))" : ""
    say("\(name) = \(value) (was \(previous))\(note)\n")
    return .done
  }

  func reset(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'reset' takes no arguments") }
    parameters.reset()
    let values = parameters.order.compactMap { name in
      (try? parameters.value(name)).map { "\(name) = \($0)" }
    }
    let whose = lessons.position == nil ? "their defaults" : "this step's values"
    var text = "parameters reset to \(whose): \(values.joined(separator: ", "))\n"
    // In a lesson, reset goes back to the step as it was: its program too.
    if lessons.position != nil, let edited = editedProgram, edited.position == lessons.position {
      editedProgram = nil
      text += "(and 'run' runs the step's program again, not your edited one)\n"
    }
    say(text)
    return .done
  }

  /// `sleep=3` or `sleep = 3` after `set`, when `sleep` is a parameter: its name and value.
  func assignment(_ rest: String) -> (String, String)? {
    guard let equals = rest.firstIndex(of: "=") else { return nil }
    let name = String(rest[..<equals]).trimmingSpaces()
    let value = String(rest[rest.index(after: equals)...]).trimmingSpaces()
    guard parameters.entries[name] != nil, !value.isEmpty,
      !value.contains(where: \.isWhitespace)
    else { return nil }
    return (name, value)
  }
}
