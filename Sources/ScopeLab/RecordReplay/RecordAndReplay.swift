/// The `record` and `replay` commands as a session is given them (``TranscriptCommands``):
/// the REPL, a replay's own sessions and the tests plug this in.
public struct RecordAndReplay: TranscriptCommands {
  public init() {}

  public func record(_ record: Command.Record, in session: Session) async -> CommandResult {
    await session.record(record)
  }

  public func recordProblem(_ problem: Command.Problem, in session: Session) -> CommandResult {
    session.recordProblem(problem)
  }

  public func replay(_ replay: Command.Replay, in session: Session) async -> CommandResult {
    await session.replay(replay)
  }
}
