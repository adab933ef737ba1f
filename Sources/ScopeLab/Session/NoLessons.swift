/// The navigator until lessons exist: every lesson command says so, and no lesson is open.
public struct NoLessons: LessonNavigator {
  public init() {}

  public var position: String? { nil }
  public var currentProgram: String? { nil }
  public var lessonIDs: [String] { [] }

  public mutating func perform(
    _ command: LessonCommand,
    parameters: inout Parameters
  ) -> LessonReply {
    .failed("no lessons yet: '\(command.name)' will work once lessons are added")
  }
}
