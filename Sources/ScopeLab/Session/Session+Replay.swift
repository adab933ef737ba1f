import AsyncScope

/// `replay FILE [--speed X] [--check] [--trust]` in the REPL: the transcript replayed
/// live (or checked) in a fresh session of its own, so this session's parameters and
/// last run stay as they were.
extension Session {
  func replay(_ rest: String) async -> CommandResult {
    let usage = "usage: replay FILE [--speed X] [--check] [--trust]"
    var words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    var core = ReplayCommandCore(files: [])
    while let word = words.first {
      words.removeFirst()
      switch word {
      case "--check": core.check = true
      case "--trust": core.trust = true
      case "--speed":
        guard let text = words.first, let speed = Double(text), speed.isFinite, speed > 0 else {
          return fail("replay: --speed takes a number above 0, like 2 or 0.5 (\(usage))")
        }
        words.removeFirst()
        core.speed = speed
      case _ where word.hasPrefix("-"):
        return fail("replay: unknown option '\(word.echoed())' (\(usage))")
      default:
        core.files.append(TranscriptDocument.path(word, in: fileBase))
      }
    }
    guard core.files.count == 1 else {
      return fail(core.files.isEmpty ? usage : "replay: one FILE please (\(usage))")
    }
    if let refused = refusal(withoutConsentTo: .replay(rest)) { return refused }
    // Inside a replay, the files it replays may do only what the person agreed to for it.
    core.agreed = consent
    let tap = transcript
    let status = await core.run(
      output: output, errors: errors, palette: palette, width: timelineWidth(),
      controller: controller,
      confirm: { question in
        guard let ask = tap.confirmation else { return nil }
        return await ask(question)
      })
    return status == 2 ? .invalid : .done
  }
}
