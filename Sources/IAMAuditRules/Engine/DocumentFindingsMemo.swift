import Foundation
import IAMPolicy

/// The rule violations of the trust policies already audited in this run, so that a trust policy written again
/// elsewhere is analysed once. An account repeats its trust policies (the roles of one pipeline, of one service, of
/// one identity provider share one), an account dump lists each in full, and the trust analysis (whole tokens, threat
/// scenarios, automata) is the costliest a document gets. Permission policies are cheaper to audit than to keep.
///
/// A rule's violations are a function of the policy's content, its kind and container, and the rule context (the
/// run's design and the policy's environment); rules do no I/O and keep no state. The key holds all of them, and the
/// content is the whole tree with the position of every value and key relative to the document's start, so that a
/// document with the same key has the same text laid out the same way: its violations are the stored ones with their
/// pointers moved onto the new document's pointer and their spans moved by the distance between the two documents.
///
/// Only trust policies whose tree is all the rules read are kept: a bare policy, AWS CLI output and an account dump's
/// documents, not written as a string inside another document and not read from a template (whose values depend on
/// the stack it is read for). A violation outside its document's span or pointer keeps the document out. Bounded:
/// a document whose key is over ``largestKey`` bytes is not kept, and nothing more is kept once the keys held
/// reach ``byteBudget`` bytes.
final class DocumentFindingsMemo: @unchecked Sendable {
    static let largestKey = 64 * 1024
    static let byteBudget = 16 * 1024 * 1024

    struct Key: Hashable {
        var layout: [UInt8]
        var kind: PolicyKind
        var container: PolicyContainer
        var environment: String?
        var compactLength: Int
        /// The layout's hash, made once: hashing an array feeds the hasher a byte at a time.
        var layoutHash: UInt64

        func hash(into hasher: inout Hasher) {
            hasher.combine(layoutHash)
            hasher.combine(environment)
        }
    }

    /// The violations each rule reported (after precedence), by the rule's index in the auditor's list, with the
    /// document's span and pointer they were found in.
    struct Entry {
        var span: SourceSpan
        var pointer: JSONPointer
        var violations: [(rule: Int, violations: [Violation])]
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var heldBytes = 0

    /// The key of `policy` in `environment`, or nil when the policy's findings are not kept.
    static func key(of policy: Policy, environment: String?) -> Key? {
        guard policy.kind == .trust, policy.embedding == nil, policy.readingValues.isEmpty, !policy.spansInFile else { return nil }
        switch policy.container {
        case .bare, .getRole, .getPolicyVersion, .getRolePolicy, .accountRoleTrust, .accountRoleInline, .accountUserInline,
             .accountGroupInline, .accountManagedPolicy:
            break
        case .templateRoleTrust, .templateInline, .templateManagedPolicy, .templateResourcePolicy:
            return nil
        }
        var writer = LayoutWriter(origin: policy.root.span.start)
        guard writer.write(policy.root) else { return nil }
        return Key(layout: writer.bytes, kind: policy.kind, container: policy.container, environment: environment,
                   compactLength: policy.compactLength, layoutHash: FNV1a.hash64(writer.bytes))
    }

    /// The violations stored for `key`, moved onto `policy`.
    func violations(for key: Key, in policy: Policy) -> [(rule: Int, violations: [Violation])]? {
        lock.lock()
        let entry = entries[key]
        lock.unlock()
        guard let entry else { return nil }
        let move = Relocation(from: entry.span.start, fromPointer: entry.pointer, to: policy.root.span.start, toPointer: policy.document.pointer)
        return entry.violations.map { ($0.rule, $0.violations.map(move.apply)) }
    }

    /// Keeps `violations` of `policy` under `key`, unless one lies outside the document.
    func store(_ violations: [(rule: Int, violations: [Violation])], for key: Key, of policy: Policy) {
        let span = policy.root.span, pointer = policy.document.pointer
        for (_, found) in violations {
            for violation in found {
                guard violation.pointer.hasPrefix(pointer), violation.span.start.offset >= span.start.offset,
                      violation.span.end.offset <= span.end.offset, violation.span.start.line >= span.start.line else { return }
            }
        }
        lock.lock()
        defer { lock.unlock() }
        guard entries[key] == nil, heldBytes + key.layout.count <= Self.byteBudget else { return }
        entries[key] = Entry(span: span, pointer: pointer, violations: violations)
        heldBytes += key.layout.count
    }

    /// Moves a violation found in one document onto an identical document elsewhere.
    private struct Relocation {
        let from: SourcePosition
        let to: SourcePosition
        let fromDepth: Int
        let toPointer: JSONPointer

        init(from: SourcePosition, fromPointer: JSONPointer, to: SourcePosition, toPointer: JSONPointer) {
            self.from = from
            self.to = to
            self.fromDepth = fromPointer.count
            self.toPointer = toPointer
        }

        func apply(_ violation: Violation) -> Violation {
            var moved = violation
            moved.pointer = toPointer
            for token in violation.pointer.tokens.dropFirst(fromDepth) { moved.pointer = moved.pointer.appending(token) }
            moved.span = SourceSpan(start: move(violation.span.start), end: move(violation.span.end))
            return moved
        }

        /// Lines move by the distance between the documents' first lines; columns only on the first line, the
        /// rest of each later line being the same text.
        private func move(_ position: SourcePosition) -> SourcePosition {
            SourcePosition(line: position.line - from.line + to.line,
                           column: position.line == from.line ? position.column - from.column + to.column : position.column,
                           offset: position.offset - from.offset + to.offset)
        }
    }

    /// Writes a tree's values, keys and their positions relative to `origin` (the document's start).
    private struct LayoutWriter {
        let origin: SourcePosition
        var bytes: [UInt8] = []

        init(origin: SourcePosition) {
            self.origin = origin
            bytes.reserveCapacity(512)
        }

        /// False when the key grows past ``DocumentFindingsMemo/largestKey``.
        mutating func write(_ node: JSONNode) -> Bool {
            write(node.span)
            switch node.value {
            case .null: bytes.append(0)
            case .bool(let value): bytes.append(value ? 2 : 1)
            case .number(let text):
                bytes.append(3)
                write(text)
            case .string(let text):
                bytes.append(4)
                write(text)
            case .array(let elements):
                bytes.append(5)
                write(elements.count)
                for element in elements where !write(element) { return false }
            case .object(let members):
                bytes.append(6)
                write(members.count)
                for member in members {
                    write(member.key)
                    write(member.keySpan)
                    guard write(member.value) else { return false }
                }
            }
            return bytes.count <= DocumentFindingsMemo.largestKey
        }

        private mutating func write(_ text: String) {
            write(text.utf8.count)
            bytes.append(contentsOf: text.utf8)
        }

        private mutating func write(_ span: SourceSpan) {
            write(span.start)
            write(span.end)
        }

        private mutating func write(_ position: SourcePosition) {
            write(position.line - origin.line)
            write(position.line == origin.line ? position.column - origin.column : position.column)
            write(position.offset - origin.offset)
        }

        /// A signed integer, zigzag then seven bits a byte.
        private mutating func write(_ value: Int) {
            var rest = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
            while rest >= 0x80 {
                bytes.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }
    }
}
