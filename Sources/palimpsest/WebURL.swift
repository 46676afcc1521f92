import ArgumentParser
import PalimpsestRender
import Foundation

/// Only http and https URLs with a host are accepted on the command line.
func validateWebURL(_ url: String) throws {
    guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
          let host = u.host, !host.isEmpty
    else {
        throw ValidationError("'\(url)' is not an http or https URL")
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    print(try JSONOutput.encode(value))
}
