import ArgumentParser
import LineEditor
import ScopeLab

/// `--color auto|always|never`, taken before or after the subcommand: ArgumentParser
/// decodes the root's options from the whole command line and hands the same group to
/// the subcommand. So that a bad word is reported with the subcommand's usage, the root
/// takes any word and the subcommand checks it (``ColorCommand``).
struct ColorOptions: ParsableArguments {
  @Option(help: ArgumentHelp("When to colour the output.", valueName: "color"))
  var color = ColorWord(argument: ColorChoice.auto.rawValue)

  /// The choice; a usage error for a word that names none.
  func choice() throws -> ColorChoice {
    guard let choice = ColorChoice(rawValue: color.text) else {
      let words = ColorChoice.allCases.map { "'\($0.rawValue)'" }
      throw ValidationError(
        "The value '\(color.text)' is invalid for '--color <color>'. Please provide one of "
          + "\(words.dropLast().joined(separator: ", ")) or \(words.last ?? "").")
    }
    return choice
  }

  func palette(isTerminal: Bool) throws -> Palette {
    Palette.decide(
      choice: try choice(), isTerminal: isTerminal, environment: ProcessEnvironment.current())
  }
}

/// The word given to `--color`, checked later (``ColorOptions``).
struct ColorWord: ExpressibleByArgument {
  let text: String
  init(argument: String) { text = argument }
  var defaultValueDescription: String { text }
  static var allValueStrings: [String] { ColorChoice.allCases.map(\.rawValue) }
}

/// A subcommand that checks the `--color` the root took (every one: the root takes it
/// from anywhere on the line).
protocol ColorCommand: ParsableCommand {
  var color: ColorOptions { get }
}

extension ColorCommand {
  func validate() throws {
    _ = try color.choice()
  }
}
