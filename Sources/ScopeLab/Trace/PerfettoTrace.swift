public import AsyncScope
import LineEditor

/// `--perfetto FILE.json`: a run's trace as Chrome trace-event JSON, the format
/// ui.perfetto.dev and chrome://tracing open.
///
/// Made from the run's recorded events once the run has ended (like the timeline), since a
/// slice is named with what left its scope, which is known only at its `exit-done`; any
/// traced run that yields ``TraceEvent``s can be written this way.
///
/// - One process per run (`pid` 1, named by ``title``).
/// - One track (`tid`) per task. Events that carry their task's number
///   (``TraceEvent/task``: every producer today) are on that task's track: `tid` is the
///   number, track 1 is `main`, and a task group's task is named after its `task` scope and
///   its group (`task#1 in group#1`); an event without a number there is the run's own
///   (main). Only a trace with no task numbers at all (written before they existed) has
///   its tracks derived from its scopes, a guess: each `task` scope starts a track of its
///   own (tid 2, 3, ...); everything else is on track 1, `main`, or on the track of the
///   scope it is inside. A scope whose enclosing scope is open on more than one track
///   (sibling tasks whose bodies enter scopes at the same depth) cannot be placed from
///   such a trace: it gets a track of its own, named after it and the tracks it may belong
///   to. An event outside any scope's enter or exit (a `print` in a body) goes to the
///   track whose innermost open scope encloses it, or to `main` when that is not one
///   track.
/// - A `B`/`E` slice per scope, from its `enter` to its `exit-done` (or `enter-failed`),
///   named `ID: what left it` (`timeout#1: TimeoutError`, `A#1: ok`,
///   `A#1: ok (suppressed ValueError)`, `B#1: enter failed ValueError`); its args hold the
///   scope's name, depth, what exit received and what left it.
/// - An instant (`i`, thread scope) for every other event: `exit` (exit begins), `fired`,
///   `print`, `output`, `signal`, `interrupt`, `status`, `reaped`, `started`, `flag`,
///   `reschedule`, `suppressed`, and the `result`.
/// - `ts` in microseconds since the run started.
public struct PerfettoTrace: Sendable {
  /// The run's process id in the file.
  public static let processID = 1
  /// The main track's id: everything not inside a task.
  public static let mainTrack = 1

  public let events: [TraceEvent]
  /// The process's name: `scopelab run PROGRAM`.
  public let title: String

  public init(events: [TraceEvent], title: String) {
    self.events = events
    self.title = title
  }

  /// The whole file: a JSON object with `traceEvents` and `displayTimeUnit`.
  public var json: String {
    var layout = TrackLayout(
      endings: TrackLayout.endings(of: events), byTask: events.contains { $0.task != nil })
    var body: [String] = []
    for event in events { body += layout.place(event) }
    body += layout.closeRemaining(at: events.last?.time ?? .zero)
    let metadata =
      [
        JSONValue.object([
          ("name", .string("process_name")), ("ph", .string("M")),
          ("pid", .int(Self.processID)), ("tid", .int(Self.mainTrack)),
          ("args", .raw(JSONValue.object([("name", .string(title))]))),
        ])
      ]
      + layout.tracks.map { track in
        JSONValue.object([
          ("name", .string("thread_name")), ("ph", .string("M")),
          ("pid", .int(Self.processID)), ("tid", .int(track.id)),
          ("args", .raw(JSONValue.object([("name", .string(track.name))]))),
        ])
      }
    return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n"
      + (metadata + body).joined(separator: ",\n") + "\n]}\n"
  }
}

/// Which track each scope is on, and each track's open slices, as the events arrive.
struct TrackLayout {
  struct Track {
    let id: Int
    let name: String
    /// The open scopes on this track, outermost first.
    var open: [ScopeIdentity] = []
  }

  /// How a scope ended: its slice's name (`timeout#1: TimeoutError`), what its exit
  /// received and what left it.
  struct Ending {
    var name: String
    var received: String?
    var left: String?
  }

  private(set) var tracks = [Track(id: PerfettoTrace.mainTrack, name: "main")]
  /// The index in `tracks` of every scope entered so far.
  private var trackOf: [String: Int] = [:]
  /// How each scope ended, known before its slice begins: a slice's `B` already carries
  /// the name (viewers name a slice by its `B`).
  private let endings: [String: Ending]
  /// Whether the events tell their task: then each task's number is its track's id.
  private let byTask: Bool
  /// The index in `tracks` of each task's track, by task number.
  private var trackOfTask = [PerfettoTrace.mainTrack: 0]

  init(endings: [String: Ending], byTask: Bool = false) {
    self.endings = endings
    self.byTask = byTask
  }

  /// Every scope's ending in `events`, by scope id; a scope that never ends has none.
  static func endings(of events: [TraceEvent]) -> [String: Ending] {
    var received: [String: String] = [:]
    var suppressed: [String: String] = [:]
    var endings: [String: Ending] = [:]
    for event in events {
      guard let id = event.scope?.id else { continue }
      switch event.kind {
      case .exit(let error, _):
        received[id] = error
      case .suppressed(let error):
        suppressed[id] = error
      case .enterFailed(let error):
        endings[id] = Ending(name: "\(id): enter failed \(error)", received: nil, left: error)
      case .exitDone(let error, _):
        var outcome = error ?? "ok"
        if error == nil, let gone = suppressed[id] { outcome += " (suppressed \(gone))" }
        endings[id] = Ending(name: "\(id): \(outcome)", received: received[id], left: error)
      default:
        break
      }
    }
    return endings
  }

  /// The JSON events for `event`.
  mutating func place(_ event: TraceEvent) -> [String] {
    let ts = Self.microseconds(event.time)
    let task = byTask ? trackOfTask(event) : nil
    guard let scope = event.scope else {
      return [instant(event, on: task ?? trackEnclosing(depth: event.depth), ts: ts)]
    }
    switch event.kind {
    case .enter:
      let index = task ?? trackForEntering(scope)
      trackOf[scope.id] = index
      tracks[index].open.append(scope)
      return [slice("B", scope, on: index, ts: ts)]
    case .enterFailed, .exitDone:
      return end(scope, ts: ts)
    default:
      break
    }
    return [
      instant(event, on: task ?? trackOf[scope.id] ?? trackEnclosing(depth: scope.depth), ts: ts)
    ]
  }

  /// The track of the task `event` happened in (main when it does not say), started at
  /// the task's first event: a task group's task begins with its `task` scope's enter,
  /// and is named after it and the group it was entered in, when one open scope one level
  /// out is a group.
  private mutating func trackOfTask(_ event: TraceEvent) -> Int {
    let task = event.task ?? PerfettoTrace.mainTrack
    if let index = trackOfTask[task] { return index }
    var name = "task \(task)"
    if let scope = event.scope, scope.name == "task", case .enter = event.kind {
      let groups = tracks.compactMap { track in
        track.open.last { $0.depth == scope.depth - 1 }.flatMap { $0.name == "group" ? $0 : nil }
      }
      name = scope.id + (groups.count == 1 ? " in \(groups[0].id)" : "")
    }
    tracks.append(Track(id: task, name: name))
    trackOfTask[task] = tracks.count - 1
    return tracks.count - 1
  }

  /// `E` for every slice still open (a run cut short), innermost first.
  mutating func closeRemaining(at time: Duration) -> [String] {
    var lines: [String] = []
    for index in tracks.indices {
      while let scope = tracks[index].open.last {
        lines += end(scope, ts: Self.microseconds(time))
      }
    }
    return lines
  }

  /// The `E` of `scope`'s slice; the slices opened on its track after it (which the trace
  /// never does) are closed first, so every track stays balanced.
  private mutating func end(_ scope: ScopeIdentity, ts: Int) -> [String] {
    guard let index = trackOf[scope.id], tracks[index].open.contains(scope) else { return [] }
    var lines: [String] = []
    while let inner = tracks[index].open.popLast() {
      lines.append(slice("E", inner, on: index, ts: ts))
      if inner == scope { break }
    }
    return lines
  }

  /// A `task` scope starts a track; any other scope goes on the one track whose innermost
  /// open scope is one level out, or on a track of its own when that is not one track.
  private mutating func trackForEntering(_ scope: ScopeIdentity) -> Int {
    if scope.name == "task" {
      tracks.append(Track(id: tracks.count + 1, name: scope.id))
      return tracks.count - 1
    }
    let candidates = candidates(enclosingDepth: scope.depth)
    if candidates.count == 1 { return candidates[0] }
    let among = candidates.map { tracks[$0].name }.joined(separator: " or ")
    let name = among.isEmpty ? "\(scope.id) (task not known)" : "\(scope.id) (in \(among))"
    tracks.append(Track(id: tracks.count + 1, name: name))
    return tracks.count - 1
  }

  /// The track an event at body depth `depth` belongs to: the one whose innermost open
  /// scope is at `depth - 1`, else `main`.
  private func trackEnclosing(depth: Int) -> Int {
    let candidates = candidates(enclosingDepth: depth)
    return candidates.count == 1 ? candidates[0] : 0
  }

  /// The tracks whose innermost open scope is at `depth - 1` (for depth 0: an empty main).
  private func candidates(enclosingDepth depth: Int) -> [Int] {
    tracks.indices.filter { index in
      let innermost = tracks[index].open.last?.depth
      return innermost.map { $0 == depth - 1 } ?? (depth == 0 && index == 0)
    }
  }

  /// A `B` or `E` of `scope`'s slice: both carry its name and what it ended with.
  private func slice(_ phase: String, _ scope: ScopeIdentity, on index: Int, ts: Int) -> String {
    let ending = endings[scope.id]
    let args: [(String, JSONValue)] = [
      ("scope", .string(scope.name)), ("id", .string(scope.id)), ("depth", .int(scope.depth)),
      ("received", ending?.received.map(JSONValue.string) ?? .null),
      ("left", ending?.left.map(JSONValue.string) ?? .null),
    ]
    return JSONValue.object([
      ("name", .string(ending?.name ?? "\(scope.id): not ended")), ("cat", .string("scope")),
      ("ph", .string(phase)), ("ts", .int(ts)), ("pid", .int(PerfettoTrace.processID)),
      ("tid", .int(tracks[index].id)), ("args", .raw(JSONValue.object(args))),
    ])
  }

  private func instant(_ event: TraceEvent, on index: Int, ts: Int) -> String {
    JSONValue.object([
      ("name", .string(Self.instantName(event))), ("cat", .string(event.kind.name)),
      ("ph", .string("i")), ("s", .string("t")), ("ts", .int(ts)),
      ("pid", .int(PerfettoTrace.processID)), ("tid", .int(tracks[index].id)),
      // The JSONL line, as the args: every key the trace has for the event.
      ("args", .raw(JSONLTraceSink.encode(event))),
    ])
  }

  /// `fired timeout#1`, `print: done`, `signal SIGTERM`, `=> TimeoutError`.
  static func instantName(_ event: TraceEvent) -> String {
    let about = event.scope.map { " " + $0.id } ?? ""
    switch event.kind {
    case .print(let text), .output(let text, _): return "\(event.kind.name): \(text)"
    case .signal(_, let signal, _), .interrupt(let signal, _, _):
      return "\(event.kind.name) \(signal)\(about)"
    case .status(_, let status): return "status \(status)\(about)"
    case .exit(let error, _): return "exit\(about) (received \(error ?? "nothing"))"
    case .suppressed(let error): return "suppressed \(error)\(about)"
    case .result(let outcome, _, _, _): return "=> \(outcome)"
    default: return event.kind.name + about
    }
  }

  /// Microseconds since the run started, never negative.
  static func microseconds(_ time: Duration) -> Int {
    max(0, Int((time.inSeconds * 1_000_000).rounded()))
  }
}

extension PerfettoTrace {
  /// `--perfetto PATH [--force]`, opened before a run starts, so that a file that cannot
  /// be written is refused before anything runs: `opened` is false after a one-line error
  /// on `errors` (an existing file without `--force`, or why it cannot be created); `file`
  /// is nil without `--perfetto`.
  static func openOutput(
    _ path: String?, force: Bool, errors: any TextOutput
  ) -> (opened: Bool, file: RegularFile.Output?) {
    guard let path else { return (true, nil) }
    do throws(OutputFileError) {
      return (true, try RegularFile.Output(creating: path, overwrite: force))
    } catch {
      let shown = error.path.controlCharactersEscaped
      errors.write(
        "error: "
          + (error.exists
            ? "--perfetto \(shown) exists: add --force to replace it"
            : "--perfetto: \(error.description.controlCharactersEscaped)") + "\n")
      return (false, nil)
    }
  }

  /// Writes the trace to `file` (from ``openOutput(_:force:errors:)``): false after a
  /// one-line error on `errors` when the write failed (the disk is full, ...).
  func write(to file: RegularFile.Output, errors: any TextOutput) -> Bool {
    guard let problem = file.write(json) else { return true }
    let failure = OutputFileError(path: file.path, problem: problem, writing: true)
    errors.write("error: \(failure.description.controlCharactersEscaped)\n")
    return false
  }
}
