/// A complete deterministic automaton over the symbols of a ``SymbolAlphabet``; state 0 is the start.
struct DFA: Sendable {
    let symbolCount: Int
    /// `next[state * symbolCount + symbol]`.
    let next: [Int32]
    let accepting: [Bool]

    var stateCount: Int { accepting.count }

    func step(_ state: Int, _ symbol: Int) -> Int { Int(next[state * symbolCount + symbol]) }

    /// The automaton of the empty language (`accepting == false`) or of every string.
    static func constant(_ accepting: Bool, symbolCount: Int) -> DFA {
        DFA(symbolCount: symbolCount, next: [Int32](repeating: 0, count: symbolCount), accepting: [accepting])
    }

    // MARK: Construction

    /// The automaton of the union of `globs` by subset construction; nil when it needs more than `limit` states.
    static func union(of globs: [Glob], alphabet: SymbolAlphabet, limit: Int) -> DFA? {
        let symbolCount = alphabet.count
        // NFA positions of every glob, numbered one after another; position `ends[g]` accepts.
        var offsets: [Int] = []
        var total = 0
        for glob in globs {
            offsets.append(total)
            total += glob.tokens.count + 1
        }
        // successors[position][symbol]: positions entered by reading the symbol, closed under empty `*`.
        var successors = [[[Int32]]](repeating: [], count: total)
        var isEnd = [Bool](repeating: false, count: total)
        var startSet: [Int32] = []
        for (g, glob) in globs.enumerated() {
            let tokens = glob.tokens
            func closure(_ position: Int) -> [Int32] {
                var result: [Int32] = [Int32(offsets[g] + position)]
                var cursor = position
                while cursor < tokens.count, case .anyString = tokens[cursor] {
                    cursor += 1
                    result.append(Int32(offsets[g] + cursor))
                }
                return result
            }
            startSet += closure(0)
            isEnd[offsets[g] + tokens.count] = true
            for position in 0...tokens.count {
                var row = [[Int32]](repeating: [], count: symbolCount)
                if position < tokens.count {
                    let token = tokens[position]
                    for symbol in 0..<symbolCount where accepts(token, symbol: symbol, glob: glob, alphabet: alphabet) {
                        if case .anyString = token { row[symbol] = closure(position) } else { row[symbol] = closure(position + 1) }
                    }
                }
                successors[offsets[g] + position] = row
            }
        }
        var sets: [[Int32]] = [normalized(startSet)]
        var numbers: [[Int32]: Int32] = [sets[0]: 0]
        var next: [Int32] = []
        var accepting: [Bool] = []
        var cursor = 0
        while cursor < sets.count {
            let set = sets[cursor]
            accepting.append(set.contains { isEnd[Int($0)] })
            for symbol in 0..<symbolCount {
                var target: [Int32] = []
                for position in set { target += successors[Int(position)][symbol] }
                target = normalized(target)
                if let number = numbers[target] {
                    next.append(number)
                } else {
                    guard sets.count < limit else { return nil }
                    let number = Int32(sets.count)
                    numbers[target] = number
                    sets.append(target)
                    next.append(number)
                }
            }
            cursor += 1
        }
        return DFA(symbolCount: symbolCount, next: next, accepting: accepting)
    }

    /// Whether `token` of `glob` accepts the scalars of `symbol`.
    private static func accepts(_ token: Glob.Token, symbol: Int, glob: Glob, alphabet: SymbolAlphabet) -> Bool {
        let key = alphabet.keys[symbol]
        switch token {
        case .literal(let literal):
            return glob.ignoresCase ? key.folded == literal : key.raw == literal
        case .anyScalar(let except), .anyString(let except):
            guard let scalar = key.raw else { return true }
            return !except.contains(scalar)
        }
    }

    private static func normalized(_ positions: [Int32]) -> [Int32] {
        Array(Set(positions)).sorted()
    }

    /// The same language over a finer alphabet, given each new symbol's old symbol.
    func refined(_ mapping: [Int]) -> DFA {
        if mapping.count == symbolCount && mapping.enumerated().allSatisfy({ $0.offset == $0.element }) { return self }
        var table: [Int32] = []
        table.reserveCapacity(stateCount * mapping.count)
        for state in 0..<stateCount {
            for old in mapping { table.append(next[state * symbolCount + old]) }
        }
        return DFA(symbolCount: mapping.count, next: table, accepting: accepting)
    }

    /// The reachable product of two automata over the same alphabet; nil when it needs more than `limit` states.
    static func product(_ lhs: DFA, _ rhs: DFA, limit: Int, accept: (Bool, Bool) -> Bool) -> DFA? {
        precondition(lhs.symbolCount == rhs.symbolCount)
        let symbolCount = lhs.symbolCount
        var pairs: [(Int, Int)] = [(0, 0)]
        var numbers: [Int: Int32] = [0: 0]
        var next: [Int32] = []
        var accepting: [Bool] = []
        var cursor = 0
        while cursor < pairs.count {
            let (left, right) = pairs[cursor]
            accepting.append(accept(lhs.accepting[left], rhs.accepting[right]))
            for symbol in 0..<symbolCount {
                let pair = (lhs.step(left, symbol), rhs.step(right, symbol))
                let key = pair.0 * rhs.stateCount + pair.1
                if let number = numbers[key] {
                    next.append(number)
                } else {
                    guard pairs.count < limit else { return nil }
                    let number = Int32(pairs.count)
                    numbers[key] = number
                    pairs.append(pair)
                    next.append(number)
                }
            }
            cursor += 1
        }
        return DFA(symbolCount: symbolCount, next: next, accepting: accepting)
    }

    /// The automaton of the complement language.
    func complemented() -> DFA {
        DFA(symbolCount: symbolCount, next: next, accepting: accepting.map { !$0 })
    }

    /// The minimal automaton (Moore's partition refinement), its states numbered in breadth-first order
    /// from the start so that equal languages over one alphabet give equal automata.
    func minimized() -> DFA {
        var block = accepting.map { $0 ? 1 : 0 }
        var blockCount = Set(block).count
        while true {
            var numbers: [[Int]: Int] = [:]
            var refined = [Int](repeating: 0, count: stateCount)
            for state in 0..<stateCount {
                var signature = [block[state]]
                signature.reserveCapacity(symbolCount + 1)
                for symbol in 0..<symbolCount { signature.append(block[step(state, symbol)]) }
                if let number = numbers[signature] {
                    refined[state] = number
                } else {
                    refined[state] = numbers.count
                    numbers[signature] = numbers.count
                }
            }
            block = refined
            if numbers.count == blockCount { break }
            blockCount = numbers.count
        }
        // Renumber blocks breadth-first from the start block.
        var order: [Int] = [block[0]]
        var numberOfBlock = [Int: Int32](minimumCapacity: blockCount)
        numberOfBlock[block[0]] = 0
        var member = [Int](repeating: -1, count: blockCount)
        for state in 0..<stateCount where member[block[state]] < 0 { member[block[state]] = state }
        var next: [Int32] = []
        var accepting: [Bool] = []
        var cursor = 0
        while cursor < order.count {
            let state = member[order[cursor]]
            accepting.append(self.accepting[state])
            for symbol in 0..<symbolCount {
                let target = block[step(state, symbol)]
                if let number = numberOfBlock[target] {
                    next.append(number)
                } else {
                    let number = Int32(order.count)
                    numberOfBlock[target] = number
                    order.append(target)
                    next.append(number)
                }
            }
            cursor += 1
        }
        return DFA(symbolCount: symbolCount, next: next, accepting: accepting)
    }

    // MARK: Questions

    var isEmpty: Bool { !reachableAccepting }
    private var reachableAccepting: Bool {
        var seen = [Bool](repeating: false, count: stateCount)
        var queue = [0]
        seen[0] = true
        var cursor = 0
        while cursor < queue.count {
            let state = queue[cursor]
            if accepting[state] { return true }
            for symbol in 0..<symbolCount {
                let target = step(state, symbol)
                if !seen[target] {
                    seen[target] = true
                    queue.append(target)
                }
            }
            cursor += 1
        }
        return false
    }

    /// A shortest accepted word, trying symbols in `preference` order (breadth-first search); nil when empty.
    func shortestWord(preference: [Int]) -> [Int]? {
        var parent = [(state: Int, symbol: Int)?](repeating: nil, count: stateCount)
        var seen = [Bool](repeating: false, count: stateCount)
        var queue = [0]
        seen[0] = true
        var cursor = 0
        while cursor < queue.count {
            let state = queue[cursor]
            if accepting[state] {
                var word: [Int] = []
                var current = state
                while let link = parent[current] {
                    word.append(link.symbol)
                    current = link.state
                }
                return word.reversed()
            }
            for symbol in preference {
                let target = step(state, symbol)
                if !seen[target] {
                    seen[target] = true
                    parent[target] = (state, symbol)
                    queue.append(target)
                }
            }
            cursor += 1
        }
        return nil
    }

    /// An accepted word with the fewest empty segments, then the fewest symbols; nil when empty.
    ///
    /// A segment is a maximal run between separator symbols (and the word's ends): `repo:acme/` has an empty
    /// last segment, `repo:acme/x` has none, and the empty word is one empty segment. Ties go to the word met
    /// first when symbols are tried in `preference` order (Dijkstra's algorithm over state × "at a segment
    /// start").
    func readableWord(preference: [Int], isSeparator: (Int) -> Bool) -> [Int]? {
        struct Cost: Comparable {
            var empties: Int
            var length: Int
            var order: Int
            static func < (lhs: Cost, rhs: Cost) -> Bool {
                (lhs.empties, lhs.length, lhs.order) < (rhs.empties, rhs.length, rhs.order)
            }
        }
        let separator = (0..<symbolCount).map(isSeparator)
        // Node n = state * 2 + (at segment start ? 1 : 0); node `final` = 2 * stateCount ends the word.
        let final = stateCount * 2
        var best = [Cost?](repeating: nil, count: final + 1)
        var parent = [(node: Int, symbol: Int)?](repeating: nil, count: final + 1)
        var done = [Bool](repeating: false, count: final + 1)
        var heap = MinHeap<Cost, Int>()
        var order = 0
        func relax(_ node: Int, _ cost: Cost, from: (Int, Int)?) {
            if let known = best[node], !(cost < known) { return }
            best[node] = cost
            parent[node] = from.map { (node: $0.0, symbol: $0.1) }
            heap.push(cost, node)
        }
        relax(1, Cost(empties: 0, length: 0, order: 0), from: nil)
        while let (cost, node) = heap.pop() {
            if done[node] || best[node].map({ $0 < cost }) == true { continue }
            done[node] = true
            if node == final {
                var word: [Int] = []
                var current = node
                while let link = parent[current] {
                    if link.symbol >= 0 { word.append(link.symbol) }
                    current = link.node
                }
                return word.reversed()
            }
            let state = node / 2, atStart = node % 2 == 1
            if accepting[state] {
                order += 1
                relax(final, Cost(empties: cost.empties + (atStart ? 1 : 0), length: cost.length, order: order), from: (node, -1))
            }
            for symbol in preference {
                let target = step(state, symbol)
                let isSep = separator[symbol]
                order += 1
                let next = Cost(empties: cost.empties + (isSep && atStart ? 1 : 0), length: cost.length + 1, order: order)
                relax(target * 2 + (isSep ? 1 : 0), next, from: (node, symbol))
            }
        }
        return nil
    }
}

/// A binary min-heap of (priority, value) pairs.
struct MinHeap<Priority: Comparable, Value> {
    private var items: [(Priority, Value)] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ priority: Priority, _ value: Value) {
        items.append((priority, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].0 < items[parent].0 else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Priority, Value)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = parent * 2 + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left].0 < items[smallest].0 { smallest = left }
            if right < items.count && items[right].0 < items[smallest].0 { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
