/// The built-in lesson files, embedded into the binary.
///
/// Each entry is a lesson's file name and its Markdown text. The lessons issue fills
/// this in; until then there are none.
public enum LessonFiles {
  public static let all: [(name: String, text: String)] = []
}
