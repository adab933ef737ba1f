/// What a ``LessonNavigator`` answers to a lesson command.
public enum LessonReply: Sendable, Equatable {
  /// Text for the output (a lesson list, a step, a hint); it ends with a newline.
  case shown(String)
  /// One line saying what is wrong, without `error:` (the session adds it).
  case failed(String)
}
