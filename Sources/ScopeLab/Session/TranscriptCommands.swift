/// `record` and `replay`: the commands that write the session to a transcript and run
/// transcripts in sessions of their own. They know both sessions and transcripts, so they
/// live outside the session (RecordReplay, ``RecordAndReplay``): whoever builds a session
/// plugs them in, and the session knows only this protocol.
public protocol TranscriptCommands: Sendable {
  /// `record FILE [--force]`, `record stop`.
  func record(_ record: Command.Record, in session: Session) async -> CommandResult
  /// `record` with arguments that do not fit.
  func recordProblem(_ problem: Command.Problem, in session: Session) -> CommandResult
  /// `replay FILE [--speed X] [--check] [--trust]`.
  func replay(_ replay: Command.Replay, in session: Session) async -> CommandResult
}
