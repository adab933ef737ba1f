import AsyncScope

/// `replay FILE [--speed X] [--check] [--trust]` in the REPL: the transcript replayed
/// live (or checked) in a fresh session of its own, so this session's parameters and
/// last run stay as they were.
extension Session {
  func replay(_ replay: Command.Replay) async -> CommandResult {
    if let refused = refusal(withoutConsentTo: .replay(replay.arguments)) { return refused }
    var core = ReplayCommandCore(files: [TranscriptDocument.path(replay.file, in: fileBase)])
    core.check = replay.check
    core.trust = replay.trust
    core.speed = replay.speed
    // Inside a replay, the files it replays may do only what the person agreed to for it.
    core.agreed = consent
    let ask = confirmation
    let status = await core.run(
      output: output, errors: errors, palette: palette, width: timelineWidth(),
      controller: controller,
      confirm: { question in
        guard let ask else { return nil }
        return await ask(question)
      })
    return status == 2 ? .invalid : .done
  }
}
