/// The version of Palimpsest, named in the User-Agent and recorded with each capture.
public enum PalimpsestVersion {
    public static let string = "0.1.0"
    /// Bumped whenever extraction changes what it reads from a page; recorded with each capture, so that
    /// `palimpsest reextract` knows which captures an improved extractor would read differently.
    public static let extractor = 1
    public static var userAgent: String { "Palimpsest/\(string) (archival scraper of articles and comment threads)" }
}
