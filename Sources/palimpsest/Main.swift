import ArgumentParser
import Foundation

/// Entry point. Exit codes are stable: 0 success, 1 the job failed, 2 bad usage.
@main
enum Main {
    static func main() async {
        do {
            var command = try Palimpsest.parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    static func exit(with error: Error) -> Never {
        let code = Palimpsest.exitCode(for: error)
        let message = Palimpsest.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            Foundation.exit(0)
        }
        if let failure = error as? CommandFailure {
            FileHandle.standardError.write(Data("palimpsest: \(failure.message)\n".utf8))
            Foundation.exit(failure.code)
        }
        if code == .validationFailure || error is ValidationError || code.rawValue == 64 {
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            Foundation.exit(ExitStatus.usage)
        }
        if !message.isEmpty { FileHandle.standardError.write(Data("palimpsest: \(message)\n".utf8)) }
        Foundation.exit(code == .failure ? ExitStatus.failure : code.rawValue)
    }
}

enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// An error that ends a command with one clear line on stderr and a chosen exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32 = ExitStatus.failure
    var description: String { message }

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, code: ExitStatus.usage) }
}
