import AsyncScope

/// One scope's bar in the ``Timeline``: from its `enter` to its `exit-done`, with what
/// happened on the way and what left the scope.
struct TimelineBar {
  var identity: ScopeIdentity
  var start: Duration
  /// When exit began (`exit`), if it did.
  var exitBegan: Duration?
  /// When the scope was over: exit returned (`exit-done`) or enter failed.
  var end: Duration?
  /// Marks along the bar: `F` fired, `S` signalled, `R` deadline moved.
  var marks: [(time: Duration, mark: Character)] = []
  var failedEnter: String?
  /// The error exit suppressed.
  var suppressed: String?
  /// What left the scope, from `exit-done`.
  var leaving: String?
  var step: TraceEvent.ExitStep?

  init(identity: ScopeIdentity, start: Duration) {
    self.identity = identity
    self.start = start
  }

  /// The bars of a run's scopes, in order of entry.
  static func bars(of events: [TraceEvent]) -> [TimelineBar] {
    var bars: [TimelineBar] = []
    var index: [String: Int] = [:]
    for event in events {
      guard let scope = event.scope else { continue }
      let bar: Int
      if let existing = index[scope.id] {
        bar = existing
      } else {
        bars.append(TimelineBar(identity: scope, start: event.time))
        bar = bars.count - 1
        index[scope.id] = bar
      }
      bars[bar].record(event)
    }
    return bars
  }

  private mutating func record(_ event: TraceEvent) {
    switch event.kind {
    case .fired: marks.append((event.time, "F"))
    case .signal: marks.append((event.time, "S"))
    case .reschedule: marks.append((event.time, "R"))
    case .enterFailed(let error):
      end = event.time
      failedEnter = error
    case .exit:
      exitBegan = event.time
    case .suppressed(let error):
      suppressed = error
    case .exitDone(let error, let step):
      end = event.time
      leaving = error
      self.step = step
    default: break
    }
  }

  /// The mark at the bar's end: `]` nothing left the scope, `c` cancellation did, `x`
  /// another error did (or enter failed), `>` the scope never finished.
  var closing: Character {
    if failedEnter != nil { return "x" }
    guard end != nil else { return ">" }
    guard let leaving else { return "]" }
    return leaving == "CancellationError" ? "c" : "x"
  }

  /// The words after the bar: what left the scope and how, or what was suppressed.
  var outcome: String? {
    if let failedEnter { return "enter failed: \(failedEnter)" }
    guard end != nil else { return exitBegan == nil ? nil : "exit unfinished" }
    guard let leaving else {
      if step == .bodyFinished { return "expired, body finished" }
      return suppressed.map { "\($0) (suppressed)" }
    }
    switch step {
    case .raised(let replacing?): return "\(leaving) (raised by exit, replacing \(replacing))"
    case .raised(nil): return "\(leaving) (raised by exit)"
    case .suppressRefused: return "\(leaving) (suppress refused)"
    case .exitConverted(let replacing):
      return "\(leaving) (converted by exit from \(replacing))"
    case .converted, .passedOn, .bodyFinished, nil: return leaving
    }
  }
}
