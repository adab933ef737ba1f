import AsyncScope

/// What the learner has done: for each lesson the step they are at, the steps they have
/// completed and the exercises they have solved; and the lesson opened last.
///
/// A lesson is known by its key (``LessonGuide/key(of:)``: a built-in lesson's id, or
/// `file:` and the path of the file it came from), and each step by its stable id
/// (``LessonStep/id``), never by position: a file lesson that reuses a built-in id, or two
/// files with one id, keep apart, and a step inserted into a lesson moves nothing.
///
/// Kept in `$XDG_STATE_HOME/scopelab/progress.json` (``ProgressFile``), version 2. A
/// version 1 file (steps by number) still loads: its entries wait in ``legacy`` until the
/// lesson they belong to maps their numbers to ids.
public struct LessonProgress: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    /// The id of the step to resume at; `nil` for the first.
    public var step: String?
    /// Steps completed: the exercise solved, or for a step with none, run or moved past.
    public var completed: Set<String> = []
    /// Steps whose exercise is solved.
    public var solved: Set<String> = []
    /// Steps with an after-run text (`### After the run`) whose own program has run: the
    /// text is shown from then on. In the file as `ran`, when not empty.
    public var ran: Set<String> = []

    public init() {}
  }

  /// A version 1 entry: steps by number, from 1.
  public struct NumberedEntry: Sendable, Equatable {
    public var step = 1
    public var completed: Set<Int> = []
    public var solved: Set<Int> = []

    /// The entry for `lesson`, its numbers turned into the ids of its steps now.
    public func entry(for lesson: Lesson) -> Entry {
      func id(_ number: Int) -> String? {
        lesson.steps.indices.contains(number - 1) ? lesson.steps[number - 1].id : nil
      }
      var entry = Entry()
      entry.step = id(step)
      entry.completed = Set(completed.compactMap(id))
      entry.solved = Set(solved.compactMap(id))
      return entry
    }
  }

  public var lessons: [String: Entry] = [:]
  /// Version 1 entries not yet mapped to step ids, by lesson id.
  public var legacy: [String: NumberedEntry] = [:]
  /// The key of the lesson opened last, for the greeting.
  public var current: String?

  public init() {}

  /// The entry for `key`, empty if the lesson was never opened.
  public subscript(key: String) -> Entry {
    get { lessons[key] ?? Entry() }
    set { lessons[key] = newValue }
  }

  /// The progress with each `file:PATH` key made `newKey(PATH)`; a recording keeps the
  /// paths relative to itself, a replay makes them whole again.
  public func rekeyingFiles(_ newKey: (String) -> String) -> LessonProgress {
    func rekey(_ key: String) -> String {
      key.hasPrefix("file:") ? newKey(String(key.dropFirst("file:".count))) : key
    }
    var result = self
    result.lessons = Dictionary(lessons.map { (rekey($0.key), $0.value) }) { first, _ in first }
    result.current = current.map(rekey)
    return result
  }

  /// The version 1 entry for `lesson`, if one waits, moved to the lesson's `key` with its
  /// numbers mapped to step ids (unless the key already has an entry of its own).
  public mutating func adopt(legacyOf lesson: Lesson, as key: String) {
    guard let numbered = legacy.removeValue(forKey: lesson.id), lessons[key] == nil else {
      return
    }
    lessons[key] = numbered.entry(for: lesson)
  }

  /// This progress merged into `onDisk` (what another session may have saved meanwhile),
  /// where `base` is what this progress was when last loaded or saved:
  /// - a lesson this progress changed since `base` takes its step from here, one it did
  ///   not change keeps the disk's (another session may have moved on);
  /// - completed, solved and ran steps are the union of both: nothing done is lost;
  /// - a version 1 entry this progress adopted since `base` leaves the disk too;
  /// - the lesson opened last is this one's if it changed since `base`, else the disk's.
  public func merged(into onDisk: LessonProgress, since base: LessonProgress) -> LessonProgress {
    var result = onDisk
    for (key, entry) in lessons {
      guard var merged = onDisk.lessons[key] else {
        result.lessons[key] = entry
        continue
      }
      if entry != base.lessons[key] { merged.step = entry.step }
      merged.completed.formUnion(entry.completed)
      merged.solved.formUnion(entry.solved)
      merged.ran.formUnion(entry.ran)
      result.lessons[key] = merged
    }
    for id in base.legacy.keys where legacy[id] == nil { result.legacy[id] = nil }
    if current != base.current || result.current == nil { result.current = current }
    return result
  }

  /// The file's text.
  public var json: String {
    tree.printed() + "\n"
  }

  /// The progress as a JSON value.
  var tree: JSONTree {
    var members: [String: JSONTree] = ["version": .number(2)]
    if let current { members["current"] = .string(current) }
    var entries: [String: JSONTree] = [:]
    for (key, entry) in lessons {
      var item: [String: JSONTree] = [
        "completed": .array(entry.completed.sorted().map { .string($0) }),
        "solved": .array(entry.solved.sorted().map { .string($0) }),
      ]
      if let step = entry.step { item["step"] = .string(step) }
      if !entry.ran.isEmpty { item["ran"] = .array(entry.ran.sorted().map { .string($0) }) }
      entries[key] = .object(item)
    }
    members["lessons"] = .object(entries)
    if !legacy.isEmpty {
      members["numbered"] = .object(legacy.mapValues(Self.tree))
    }
    return .object(members)
  }

  private static func tree(_ entry: NumberedEntry) -> JSONTree {
    .object([
      "step": .number(Double(entry.step)),
      "completed": .array(entry.completed.sorted().map { .number(Double($0)) }),
      "solved": .array(entry.solved.sorted().map { .number(Double($0)) }),
    ])
  }

  /// Reads the file's text (version 1 or 2); the message says what is wrong with it.
  public init(json text: String) throws(ProgressError) {
    let value: JSONTree
    do {
      value = try JSONTree.parse(text)
    } catch {
      throw ProgressError(message: "not JSON (\(error))")
    }
    try self.init(tree: value)
  }

  init(tree value: JSONTree) throws(ProgressError) {
    guard value.object != nil else { throw ProgressError(message: "not a JSON object") }
    let version = value["version"]?.int
    guard version == 1 || version == 2 else {
      throw ProgressError(message: "not version 1 or 2 of the progress format")
    }
    if let current = value["current"] {
      guard let key = current.string else {
        throw ProgressError(message: "'current' is not a string")
      }
      self.current = key
    }
    guard let lessons = value["lessons"]?.object else {
      throw ProgressError(message: "no 'lessons' object")
    }
    if version == 1 {
      for (id, item) in lessons { legacy[id] = try Self.numbered(item, id: id) }
      return
    }
    for (key, item) in lessons {
      func ids(_ name: String) throws(ProgressError) -> Set<String> {
        guard let items = item[name]?.array else { return [] }
        var result: Set<String> = []
        for item in items {
          guard let id = item.string else {
            throw ProgressError(message: "'\(name)' of '\(key)' holds something that is no step id")
          }
          result.insert(id)
        }
        return result
      }
      var entry = Entry()
      if let step = item["step"] {
        guard let id = step.string else {
          throw ProgressError(message: "the step of '\(key)' is no step id")
        }
        entry.step = id
      }
      entry.completed = try ids("completed")
      entry.solved = try ids("solved")
      entry.ran = try ids("ran")
      self.lessons[key] = entry
    }
    for (id, item) in value["numbered"]?.object ?? [:] {
      legacy[id] = try Self.numbered(item, id: id)
    }
  }

  private static func numbered(_ item: JSONTree, id: String) throws(ProgressError)
    -> NumberedEntry
  {
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
    var entry = NumberedEntry()
    guard let step = item["step"]?.int, step >= 1 else {
      throw ProgressError(message: "'\(id)' has no step number")
    }
    entry.step = step
    entry.completed = try numbers("completed")
    entry.solved = try numbers("solved")
    return entry
  }
}

/// A progress file that cannot be read.
public struct ProgressError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}
