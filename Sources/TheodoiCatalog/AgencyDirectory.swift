import Foundation
import TheodoiCore

/// Danh mục cơ quan: canonical agency names with their aliases, matched by longest token sequence
/// with case and diacritics ignored (DESIGN §4.2).
public struct AgencyDirectory: Sendable {
    /// One agency of the directory.
    public struct Entry: Sendable, Hashable, Codable {
        public var name: String
        public var short: String
        public var kind: AgencyKind
        public var aliases: [String]

        public init(name: String, short: String, kind: AgencyKind, aliases: [String]) {
            self.name = name
            self.short = short
            self.kind = kind
            self.aliases = aliases
        }
    }

    private struct File: Codable {
        var version: Int
        var agencies: [Entry]
    }

    /// A directory that cannot be loaded.
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public let entries: [Entry]
    private let trie: TokenTrie

    /// A directory of `entries`; names and aliases that fold to the same tokens resolve to the first.
    public init(entries: [Entry]) {
        self.entries = entries
        var trie = TokenTrie()
        for (index, entry) in entries.enumerated() {
            for form in [entry.name, entry.short] + entry.aliases {
                let keys = AgencyTokenizer.tokens(of: form).filter(\.isMatchable).map(\.folded)
                if !keys.isEmpty { trie.insert(keys, value: index) }
            }
        }
        self.trie = trie
    }

    /// Reads the JSON form `{"version": 1, "agencies": [{name, short, kind, aliases}]}`.
    public init(json: Data) throws {
        do {
            let file = try JSONDecoder().decode(File.self, from: json)
            self.init(entries: file.agencies)
        } catch {
            throw LoadError(description: "agency directory is not valid: \(error)")
        }
    }

    /// The directory shipped with theodoi (`Resources/agencies.json`).
    public static func bundled() throws -> AgencyDirectory {
        guard let url = Bundle.module.url(forResource: "agencies", withExtension: "json") else {
            throw LoadError(description: "agencies.json is missing from the TheodoiCatalog resources")
        }
        return try AgencyDirectory(json: Data(contentsOf: url))
    }

    /// The entry whose name or alias is exactly `text` (ignoring case, diacritics and punctuation).
    public func entry(named text: String) -> Entry? {
        let keys = AgencyTokenizer.tokens(of: text).filter(\.isMatchable).map(\.folded)
        guard let match = trie.longestMatch(keys[...]), match.length == keys.count else { return nil }
        return entries[match.value]
    }

    /// The longest entry matching the matchable tokens from `start`: its index and how many tokens
    /// (including skipped commas and dashes) it covers.
    func longestMatch(in tokens: [AgencyToken], from start: Int) -> (entry: Int, end: Int)? {
        var node = 0
        var best: (entry: Int, end: Int)?
        var index = start
        while index < tokens.count {
            let token = tokens[index]
            if !token.isMatchable {
                // Commas and dashes inside a name ("Sở Văn hóa, Thể thao và Du lịch") are optional.
                if token.folded == "," || token.folded == "-" {
                    index += 1
                    continue
                }
                break
            }
            guard let next = trie.child(of: node, token.folded) else { break }
            node = next
            index += 1
            if let value = trie.value(at: node) { best = (value, index) }
        }
        return best
    }
}

/// A trie over folded tokens.
private struct TokenTrie: Sendable {
    private var children: [[String: Int]] = [[:]]
    private var values: [Int?] = [nil]

    mutating func insert(_ keys: [String], value: Int) {
        var node = 0
        for key in keys {
            if let next = children[node][key] {
                node = next
            } else {
                children.append([:])
                values.append(nil)
                children[node][key] = children.count - 1
                node = children.count - 1
            }
        }
        if values[node] == nil { values[node] = value }
    }

    func child(of node: Int, _ key: String) -> Int? { children[node][key] }
    func value(at node: Int) -> Int? { values[node] }

    func longestMatch(_ keys: ArraySlice<String>) -> (value: Int, length: Int)? {
        var node = 0
        var best: (value: Int, length: Int)?
        for (offset, key) in keys.enumerated() {
            guard let next = children[node][key] else { break }
            node = next
            if let value = values[node] { best = (value, offset + 1) }
        }
        return best
    }
}
