import AsyncScope

/// What the learner has done: for each lesson the step they are at, the steps they have
/// completed and the exercises they have solved; and the lesson opened last.
///
/// Kept in `$XDG_STATE_HOME/scopelab/progress.json` (``ProgressFile``).
public struct LessonProgress: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    /// The step to resume at, from 1.
    public var step: Int = 1
    /// Steps completed: the exercise solved, or for a step with none, run or moved past.
    public var completed: Set<Int> = []
    /// Steps whose exercise is solved.
    public var solved: Set<Int> = []

    public init() {}
  }

  public var lessons: [String: Entry] = [:]
  /// The lesson opened last, for the greeting.
  public var current: String?

  public init() {}

  /// The entry for `id`, empty if the lesson was never opened.
  public subscript(id: String) -> Entry {
    get { lessons[id] ?? Entry() }
    set { lessons[id] = newValue }
  }

  /// This progress merged into `onDisk` (what another session may have saved meanwhile),
  /// where `base` is what this progress was when last loaded or saved:
  /// - a lesson this progress changed since `base` takes its step from here, one it did
  ///   not change keeps the disk's (another session may have moved on);
  /// - completed and solved steps are the union of both: nothing done is lost;
  /// - the lesson opened last is this one's if it changed since `base`, else the disk's.
  public func merged(into onDisk: LessonProgress, since base: LessonProgress) -> LessonProgress {
    var result = onDisk
    for (id, entry) in lessons {
      guard var merged = onDisk.lessons[id] else {
        result.lessons[id] = entry
        continue
      }
      if entry != base.lessons[id] { merged.step = entry.step }
      merged.completed.formUnion(entry.completed)
      merged.solved.formUnion(entry.solved)
      result.lessons[id] = merged
    }
    if current != base.current || result.current == nil { result.current = current }
    return result
  }

  /// The file's text.
  public var json: String {
    var members: [String: JSONTree] = ["version": .number(1)]
    if let current { members["current"] = .string(current) }
    var entries: [String: JSONTree] = [:]
    for (id, entry) in lessons {
      entries[id] = .object([
        "step": .number(Double(entry.step)),
        "completed": .array(entry.completed.sorted().map { .number(Double($0)) }),
        "solved": .array(entry.solved.sorted().map { .number(Double($0)) }),
      ])
    }
    members["lessons"] = .object(entries)
    return JSONTree.object(members).printed() + "\n"
  }

  /// Reads the file's text; the message says what is wrong with it.
  public init(json text: String) throws(ProgressError) {
    let value: JSONTree
    do {
      value = try JSONTree.parse(text)
    } catch {
      throw ProgressError(message: "not JSON (\(error))")
    }
    guard value.object != nil else { throw ProgressError(message: "not a JSON object") }
    guard value["version"]?.int == 1 else {
      throw ProgressError(message: "not version 1 of the progress format")
    }
    if let current = value["current"] {
      guard let id = current.string else {
        throw ProgressError(message: "'current' is not a string")
      }
      self.current = id
    }
    guard let lessons = value["lessons"]?.object else {
      throw ProgressError(message: "no 'lessons' object")
    }
    for (id, item) in lessons {
      func numbers(_ key: String) throws(ProgressError) -> Set<Int> {
        guard let items = item[key]?.array else { return [] }
        var result: Set<Int> = []
        for item in items {
          guard let number = item.int, number >= 1 else {
            throw ProgressError(message: "'\(key)' of '\(id)' holds something that is no step")
          }
          result.insert(number)
        }
        return result
      }
      var entry = Entry()
      guard let step = item["step"]?.int, step >= 1 else {
        throw ProgressError(message: "'\(id)' has no step number")
      }
      entry.step = step
      entry.completed = try numbers("completed")
      entry.solved = try numbers("solved")
      self.lessons[id] = entry
    }
  }
}

/// A progress file that cannot be read.
public struct ProgressError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}
