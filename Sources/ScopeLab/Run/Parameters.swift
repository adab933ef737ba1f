import AsyncScope

/// The values `$name` stands for in a program: built-in defaults, a lesson's own, and
/// what the user `set`.
///
/// Every parameter is a duration, validated when it is set (TO7), so a program never
/// sees NaN or garbage.
public struct Parameters: Sendable, Equatable {
  /// One parameter: its current value, its default, and what it is for.
  public struct Entry: Sendable, Equatable {
    public var value: UserDuration
    public var defaultValue: UserDuration
    public var summary: String
    public var constraint: Constraint = .none
  }

  /// Which durations a parameter takes.
  public enum Constraint: Sendable, Equatable {
    /// Any duration: negative ones (a sleep that returns at once, a deadline already
    /// passed) and `inf` included.
    case none
    /// A finite duration, 0 or more - a grace period: a negative one means nothing,
    /// and with no limit a process that ignores SIGTERM would never be killed, so the
    /// scope's exit would wait for it forever.
    case finiteNotNegative

    /// Why `value` is refused, or `nil` if it is allowed.
    func problem(with value: UserDuration, of name: String) -> String? {
      switch self {
      case .none:
        return nil
      case .finiteNotNegative:
        guard let duration = value.duration else {
          return "means no limit - \(name) must be finite: "
            + "after it, a process that ignores SIGTERM gets SIGKILL"
        }
        guard duration >= .zero else { return "is negative - \(name) must be 0 or more" }
        return nil
      }
    }
  }

  public private(set) var entries: [String: Entry]
  /// Names in the order they were declared, for `params`.
  public private(set) var order: [String]

  /// The built-in parameters: `sleep = 1s`, `timeout = 2s`, `grace = 1s`.
  public static let builtIn: Parameters = {
    var parameters = Parameters(entries: [:], order: [])
    parameters.declare(
      "sleep", default: UserDuration(.seconds(1)), summary: "how long `sleep $sleep` sleeps")
    parameters.declare(
      "timeout", default: UserDuration(.seconds(2)), summary: "the deadline of `timeout $timeout`")
    parameters.declare(
      "grace", default: UserDuration(.seconds(1)),
      summary: "process teardown: SIGTERM, then SIGKILL after this",
      constraint: .finiteNotNegative)
    return parameters
  }()

  /// Adds a parameter (a lesson's own), or changes the default of an existing one.
  /// Redeclaring a parameter keeps its constraint unless another is given.
  public mutating func declare(
    _ name: String, default value: UserDuration, summary: String, constraint: Constraint? = nil
  ) {
    if entries[name] == nil { order.append(name) }
    let constraint = constraint ?? entries[name]?.constraint ?? .none
    entries[name] = Entry(
      value: value, defaultValue: value, summary: summary, constraint: constraint)
  }

  /// Sets `name` from what the user typed (`set NAME VALUE`, `--set NAME=VALUE`); true
  /// when the value was beyond the longest duration and clamped to it (`1e400`), which
  /// the caller says rather than changing the value silently.
  @discardableResult
  public mutating func set(_ name: String, to text: String) throws(ParameterError) -> Bool {
    guard let entry = entries[name] else {
      throw .unknown(name, suggestion: Suggestion.nearest(to: name, in: order))
    }
    let parsed: (duration: UserDuration, clamped: Bool)
    do {
      parsed = try UserDuration.parse(text)
    } catch {
      throw .invalidValue(name, error)
    }
    if let problem = entry.constraint.problem(with: parsed.duration, of: name) {
      throw .invalidValue(name, DurationError(text: text.trimmingSpaces(), reason: problem))
    }
    entries[name]?.value = parsed.duration
    return parsed.clamped
  }

  /// What a clamped value is followed by, wherever it was set.
  public static let clampedNote = "clamped: the longest duration, about 31 years"

  /// Applies `--set NAME=VALUE` settings in order. `problem` is the first that is wrong, a
  /// one-line message (without `error: `); `notes` say which values were clamped.
  public mutating func apply(settings: [String]) -> (problem: String?, notes: [String]) {
    var notes: [String] = []
    for setting in settings {
      guard let assignment = Assignment(setting) else {
        return ("--set takes NAME=VALUE, got '\(setting)'", notes)
      }
      let (name, value) = (assignment.name, assignment.value)
      do {
        if try set(name, to: value) {
          notes.append("--set \(name): \(Self.clampedNote) (\(try self.value(name)))")
        }
      } catch {
        return ("--set: \(error)", notes)
      }
    }
    return (nil, notes)
  }

  /// Puts every parameter back to its default.
  public mutating func reset() {
    for name in order {
      guard let entry = entries[name] else { continue }
      entries[name]?.value = entry.defaultValue
    }
  }

  /// The value of `name`.
  public func value(_ name: String) throws(ParameterError) -> UserDuration {
    guard let entry = entries[name] else {
      throw .unknown(name, suggestion: Suggestion.nearest(to: name, in: order))
    }
    return entry.value
  }

  /// Each parameter's current value as the text `$name` expands to.
  public var values: [String: String] {
    entries.mapValues { $0.value.description }
  }

  /// The grace period for process teardown.
  public var grace: Duration {
    (try? value("grace"))?.duration ?? .seconds(1)
  }
}

/// A parameter that does not exist or a value that is not a duration.
public enum ParameterError: Error, Equatable, CustomStringConvertible {
  case unknown(String, suggestion: String?)
  case invalidValue(String, DurationError)

  public var description: String {
    switch self {
    case .unknown(let name, let suggestion):
      let hint = suggestion.map { " - did you mean '\($0)'?" } ?? ""
      return "unknown parameter '\(name)'\(hint)"
    case .invalidValue(let name, let error):
      return "bad value for \(name): \(error)"
    }
  }
}
