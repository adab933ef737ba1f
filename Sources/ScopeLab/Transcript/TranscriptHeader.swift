import AsyncScope

/// A transcript's front matter: what it is, the lesson and step open when recording
/// began, and the parameters that were not at their defaults then.
///
/// ```
/// ---
/// scopelab: transcript
/// lesson: sleep-vs-timeout
/// step: 2
/// set: sleep=3s, timeout=500ms
/// ---
/// ```
public struct TranscriptHeader: Sendable, Equatable {
  /// The open lesson's id, if one is open.
  public var lesson: String?
  /// The open step's number, from 1.
  public var step: Int?
  /// The parameters that differ from their defaults, in declaration order, with their
  /// values as ``UserDuration`` prints them.
  public var changed: [(name: String, value: String)]
  /// The learner's progress when recording began, as one line of JSON: a replay starts
  /// from it, so what `lesson` and `run` said then ("Resuming at step 2") is what they say
  /// again, whatever the replaying machine's own progress.
  public var progress: String?

  public init(lesson: String? = nil, step: Int? = nil, changed: [(name: String, value: String)]) {
    self.lesson = lesson
    self.step = step
    self.changed = changed
  }

  /// The header for a session now: `position` as ``LessonNavigator/position`` gives it
  /// (`sleep-vs-timeout 2/5`), and the parameters.
  public init(position: String?, parameters: Parameters) {
    if let position {
      let words = position.split(separator: " ")
      let last = words.last.map(String.init) ?? ""
      if words.count > 1, let slash = last.firstIndex(of: "/"), let step = Int(last[..<slash]) {
        lesson = words.dropLast().joined(separator: " ")
        self.step = step
      } else {
        lesson = position
        step = nil
      }
    } else {
      lesson = nil
      step = nil
    }
    changed = parameters.order.compactMap { name in
      guard let entry = parameters.entries[name], entry.value != entry.defaultValue else {
        return nil
      }
      return (name, entry.value.description)
    }
  }

  /// The front matter's lines, each ending with a line break.
  public var text: String {
    var lines = ["---", "scopelab: transcript"]
    if let lesson { lines.append("lesson: \(lesson)") }
    if let step { lines.append("step: \(step)") }
    if !changed.isEmpty {
      lines.append("set: " + changed.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))
    }
    if let progress { lines.append("progress: " + progress) }
    lines.append("---")
    return lines.map { $0 + "\n" }.joined()
  }

  public static func == (left: TranscriptHeader, right: TranscriptHeader) -> Bool {
    left.lesson == right.lesson && left.step == right.step && left.progress == right.progress
      && left.changed.map(\.name) == right.changed.map(\.name)
      && left.changed.map(\.value) == right.changed.map(\.value)
  }
}
