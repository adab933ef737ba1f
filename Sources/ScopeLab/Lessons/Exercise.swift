import AsyncScope

/// What a step asks the learner to do.
public enum Exercise: Sendable, Equatable {
  /// Say the outcome of the step's program before running it: `predict TimeoutError`.
  /// `look` says what to look at in the trace when the prediction does not hold.
  case predict(answer: String, look: String?)
  /// Write a program whose trace reaches a goal.
  case challenge(Challenge)

  /// `predict` or `challenge`, for progress and messages.
  public var kind: String {
    switch self {
    case .predict: "predict"
    case .challenge: "challenge"
    }
  }
}
