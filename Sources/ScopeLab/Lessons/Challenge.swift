public import AsyncScope

/// A goal the learner's own program must reach, checked against its trace: an outcome,
/// events that must or must not happen, an order, a time window.
public struct Challenge: Sendable, Equatable {
  /// The goal in words, as the step states it.
  public let goal: String
  /// `outcome: TimeoutError`: how the run must end (`ok`, an error name,
  /// `KeyboardInterrupt`).
  public var outcome: String?
  /// `has: fired timeout`: events that must happen.
  public var has: [EventPattern] = []
  /// `lacks: print done`: events that must not happen.
  public var lacks: [EventPattern] = []
  /// `before: print done, print after`: the first must happen before the second.
  public var before: [Order] = []
  /// `time: fired timeout 0.9s..1.2s`: when an event must happen.
  public var times: [Window] = []
  /// `solution: PROGRAM`: a program that solves it, run by the lesson tests.
  public var solution: String?

  public init(goal: String) {
    self.goal = goal
  }

  /// Two events, the first of which must happen (first) before the other.
  public struct Order: Sendable, Equatable {
    public let first: EventPattern
    public let then: EventPattern

    public init(_ first: EventPattern, _ then: EventPattern) {
      self.first = first
      self.then = then
    }
  }

  /// An event whose first occurrence must fall within `range` of the run's start.
  public struct Window: Sendable, Equatable {
    public let event: EventPattern
    public let range: ClosedRange<Duration>

    public init(_ event: EventPattern, _ range: ClosedRange<Duration>) {
      self.event = event
      self.range = range
    }
  }

  /// Whether the challenge has anything to check.
  public var isEmpty: Bool {
    outcome == nil && has.isEmpty && lacks.isEmpty && before.isEmpty && times.isEmpty
  }

  /// The parts of the goal `events` (a whole run's trace) missed, each in one line;
  /// empty when the challenge is solved.
  ///
  /// `lateBy` moves the upper edge of every `time:` window later: the allowance a check
  /// gives a busy machine (``SchedulingProbe``). The lower edge never moves.
  public func missed(in events: [TraceEvent], lateBy allowance: Duration = .zero) -> [String] {
    var missed: [String] = []
    let outcome = events.outcome
    if let wanted = self.outcome, outcome != wanted {
      missed.append("the outcome was \(outcome ?? "missing"), the goal is \(wanted)")
    }
    for pattern in has where !events.contains(where: pattern.matches) {
      missed.append("no '\(pattern)' in the trace")
    }
    for pattern in lacks {
      if let event = events.first(where: pattern.matches) {
        missed.append(
          "'\(pattern)' happened (at \(formatSeconds(event.time, digits: 3))), "
            + "and the goal is that it does not")
      }
    }
    for order in before {
      let (first, second) = (order.first, order.then)
      let a = events.firstIndex(where: first.matches)
      let b = events.firstIndex(where: second.matches)
      switch (a, b) {
      case (nil, _): missed.append("no '\(first)' in the trace (it should come before '\(second)')")
      case (_, nil): missed.append("no '\(second)' in the trace (it should come after '\(first)')")
      case (let a?, let b?) where a > b: missed.append("'\(second)' came before '\(first)'")
      default: break
      }
    }
    for requirement in times {
      let (pattern, window) = (requirement.event, requirement.range)
      let range =
        "\(formatSeconds(window.lowerBound, digits: 3))..\(formatSeconds(window.upperBound, digits: 3))"
      guard let event = events.first(where: pattern.matches) else {
        missed.append("no '\(pattern)' in the trace (it should happen at \(range))")
        continue
      }
      // The goal is shown as written: the same line whatever the allowance.
      if event.time < window.lowerBound || event.time > window.upperBound + max(.zero, allowance) {
        missed.append(
          "'\(pattern)' happened at \(formatSeconds(event.time, digits: 3)), "
            + "the goal is \(range)")
      }
    }
    return missed
  }
}

/// How a run's challenge is judged in time: on a person's machine, by its `time:` windows
/// as written; in a check on a busy machine, with their late edges moved by
/// ``lateAllowance`` (``SchedulingProbe``).
public struct ChallengeTiming: Sendable, Equatable {
  /// How much later than a window's upper edge an event may happen.
  public var lateAllowance: Duration
  /// In a check, the lines the transcript recorded for the command. When the machine was
  /// too busy to tell whether an event was in time (it is with the allowance and not
  /// without), and the transcript recorded the verdict without the allowance, that
  /// verdict is given: an example of a run that misses its window by a little still
  /// checks on a busy machine. Otherwise the verdict with the allowance is given.
  public var recorded: [String]

  public init(lateAllowance: Duration = .zero, recorded: [String] = []) {
    self.lateAllowance = lateAllowance
    self.recorded = recorded
  }

  /// The parts of `challenge` that `events` missed, judged as this timing says.
  /// `verdict` is the lines a list of misses is shown as.
  public func missed(
    _ challenge: Challenge, in events: [TraceEvent], verdict: ([String]) -> [String]
  ) -> [String] {
    let lenient = challenge.missed(in: events, lateBy: lateAllowance)
    guard lateAllowance > .zero else { return lenient }
    let strict = challenge.missed(in: events)
    guard strict != lenient else { return lenient }
    // A verdict's line holds the time the event happened at, which a busy machine makes
    // late too: it is the recorded line when it matches it as an output line matches a
    // transcript's, timing windows and all (not only when it is the same text).
    let patterns = recorded.map { LinePattern($0, slack: 1, widening: lateAllowance) }
    let holds = verdict(strict).allSatisfy { line in
      let output = OutputLine(line)
      return patterns.contains { $0.compare(with: output) == .match }
    }
    return holds ? strict : lenient
  }
}
