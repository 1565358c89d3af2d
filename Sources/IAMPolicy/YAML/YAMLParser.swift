/// A syntax error in a YAML stream, or a construct outside the subset `YAMLParser` reads, with its position: the
/// JSON parser's error type, so callers report both alike.
public typealias YAMLSyntaxError = JSONSyntaxError

/// A YAML 1.2 parser for the subset CloudFormation, SAM and GitHub Actions workflows use, yielding the same
/// `JSONNode` tree as `JSONParser`, with the 1-based line and column of every value and key.
///
/// It reads block and flow mappings and sequences, plain, single- and double-quoted, literal (`|`) and folded (`>`)
/// scalars, comments, `---`/`...` documents, `%YAML 1.x` and `%TAG` directives, anchors and aliases (each alias is
/// expanded into a copy of its anchored node whose root spans the alias text), merge keys (`<<`, explicit keys
/// win), a UTF-8 byte order mark and `\r\n` line breaks. Plain scalars are typed by the core schema (null, bool,
/// int and float; numbers keep their source text); mapping keys are always strings and duplicates are kept in
/// source order, as the JSON parser keeps them. The core tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`,
/// `!!map` and `!!seq` are honoured, and with `Options.cloudFormationTags` the CloudFormation short forms
/// (`!Ref`, `!Sub`, `!GetAtt`, …) become their long-form objects.
///
/// Anything else stops with a `YAMLSyntaxError` naming its position: invalid UTF-8, tabs used as indentation,
/// complex (non-scalar) keys, other tags, undefined aliases, nesting deeper than `Options.maxDepth`, or aliases
/// expanding to more than `Options.maxAliasExpansion` nodes. The caller bounds the input's size.
public struct YAMLParser: Sendable {
    /// What the parser accepts beyond plain YAML, and its bounds.
    public struct Options: Sendable, Equatable {
        /// Whether CloudFormation's short-form tags (`!Ref`, `!Sub`, …) become long-form objects; when off, every
        /// local tag is an error.
        public var cloudFormationTags: Bool
        /// The deepest nesting of mappings and sequences read, as `JSONParser.maxDepth`.
        public var maxDepth: Int
        /// How many nodes the aliases of one stream may copy in all, counting every node of each copied tree.
        public var maxAliasExpansion: Int

        /// The default alias budget: many times what a real template repeats, far below a tree that would take
        /// the rules long to walk.
        public static let defaultMaxAliasExpansion = 100_000

        /// Options for plain YAML by default, bounded as the JSON parser is.
        public init(cloudFormationTags: Bool = false, maxDepth: Int = JSONParser.defaultMaxDepth,
                    maxAliasExpansion: Int = Options.defaultMaxAliasExpansion) {
            self.cloudFormationTags = cloudFormationTags
            self.maxDepth = maxDepth
            self.maxAliasExpansion = maxAliasExpansion
        }
    }

    /// The options every parse of this parser uses.
    public var options: Options

    /// A parser with `options`; by default plain YAML, without CloudFormation's short forms.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Parses a stream that holds exactly one document; an empty stream, or a second document, is an error.
    public func parse(_ bytes: [UInt8]) throws(YAMLSyntaxError) -> JSONNode {
        var reader = try YAMLReader(bytes, options: options)
        guard let document = try reader.nextDocument() else {
            throw YAMLSyntaxError(message: bytes.isEmpty ? "the file is empty" : "the file holds no YAML document",
                                  position: reader.position(at: reader.index))
        }
        if try reader.nextDocument() != nil {
            throw YAMLSyntaxError(message: "a second YAML document starts here; expected one document",
                                  position: reader.position(at: reader.documentStart))
        }
        return document
    }

    /// Parses one document from a string.
    public func parse(_ text: String) throws(YAMLSyntaxError) -> JSONNode {
        try parse(Array(text.utf8))
    }

    /// Parses every document of a stream (`---` separated), in order; an empty stream has none.
    public func parseDocuments(_ bytes: [UInt8]) throws(YAMLSyntaxError) -> [JSONNode] {
        var reader = try YAMLReader(bytes, options: options)
        var documents: [JSONNode] = []
        while let document = try reader.nextDocument() {
            documents.append(document)
        }
        return documents
    }

    /// Parses every document of a stream given as a string.
    public func parseDocuments(_ text: String) throws(YAMLSyntaxError) -> [JSONNode] {
        try parseDocuments(Array(text.utf8))
    }
}
