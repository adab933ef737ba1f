import AsyncScope

extension Session {
  /// Runs `command` as it was recorded: each Ctrl-C its transcript kept (`% interrupt`)
  /// is pressed again at its moment after the command starts, so an interrupted run
  /// replays as the interrupted run it was. `pressed` shows each press (live replay
  /// writes `^C`, as a terminal echoes it).
  func execute(
    recorded command: RecordedCommand, pressed: (@Sendable () -> Void)? = nil
  ) async -> CommandResult {
    guard !command.interrupts.isEmpty else { return await execute(command.text) }
    let controller = controller
    let start = ContinuousClock.now
    let presses = Task {
      for moment in command.interrupts {
        try await Task.sleep(until: start + moment, clock: .continuous)
        // The run may not have begun at that moment on a slow machine: give it a little.
        for _ in 0..<100 where !controller.isRunning {
          try await Task.sleep(for: .milliseconds(10))
        }
        pressed?()
        controller.interrupt(scripted: true)
      }
    }
    defer { presses.cancel() }
    return await execute(command.text)
  }
}
