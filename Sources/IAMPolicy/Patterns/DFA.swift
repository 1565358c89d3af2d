/// A complete deterministic automaton over the symbols of a ``SymbolAlphabet``; state 0 is the start.
struct DFA: Sendable, Hashable {
    let symbolCount: Int
    /// `next[state * symbolCount + symbol]`.
    let next: [Int32]
    let accepting: [Bool]

    var stateCount: Int { accepting.count }

    /// FNV-1a over the transition table and the accepting flags: a cheap hash of the whole automaton.
    var fingerprint: UInt64 {
        let table = next.withUnsafeBytes { FNV1a.hash64($0, seed: FNV1a.offsetBasis64 ^ UInt64(symbolCount)) }
        return accepting.withUnsafeBytes { FNV1a.hash64($0, seed: table) }
    }

    func step(_ state: Int, _ symbol: Int) -> Int { Int(next[state * symbolCount + symbol]) }

    /// The automaton of the empty language (`accepting == false`) or of every string.
    static func constant(_ accepting: Bool, symbolCount: Int) -> DFA {
        DFA(symbolCount: symbolCount, next: [Int32](repeating: 0, count: symbolCount), accepting: [accepting])
    }

    // MARK: Construction

    /// The automaton of the union of `globs` by subset construction; nil when it needs more than `limit` states.
    static func union(of globs: [Glob], alphabet: SymbolAlphabet, limit: Int) -> DFA? {
        let symbolCount = alphabet.count
        // NFA positions of every glob, numbered one after another; the last position of each accepts.
        var isEnd: [Bool] = []
        // The positions entered from each position by reading a symbol it accepts, closed under empty `*`.
        var successors: [[Int32]] = []
        // accepted[position * symbolCount + symbol]
        var accepted: [Bool] = []
        // The symbols on which a position behaves otherwise than on symbol 0 (any other scalar).
        var special: [[Int]] = []
        var startSet: [Int32] = []
        // A position at a glob's final unrestricted `*` accepts every continuation: once a set holds one, every
        // string from there on is in the union, so such sets are all one state. Without this, the other globs'
        // positions keep sets apart that accept the same strings, and a union of a dozen `*…*` patterns
        // exceeds any bound before minimisation could merge them.
        var universal: Int32?
        var isUniversal: [Bool] = []
        // Whether the position is a `*` excluding nothing.
        var isOpenStar: [Bool] = []
        for glob in globs {
            let offset = isEnd.count, tokens = glob.tokens
            func closure(_ position: Int) -> [Int32] {
                var result: [Int32] = [Int32(offset + position)]
                var cursor = position
                while cursor < tokens.count, case .anyString = tokens[cursor] {
                    cursor += 1
                    result.append(Int32(offset + cursor))
                }
                return result
            }
            startSet += closure(0)
            for position in 0...tokens.count {
                isEnd.append(position == tokens.count)
                var final = false
                if position == tokens.count - 1, case .anyString(let except) = tokens[position], except.isEmpty { final = true }
                isUniversal.append(final)
                if final, universal == nil { universal = Int32(offset + position) }
                var openStar = false
                if position < tokens.count, case .anyString(let except) = tokens[position], except.isEmpty { openStar = true }
                isOpenStar.append(openStar)
                guard position < tokens.count else {
                    successors.append([])
                    accepted += repeatElement(false, count: symbolCount)
                    special.append([])
                    continue
                }
                let token = tokens[position]
                if case .anyString = token { successors.append(closure(position)) } else { successors.append(closure(position + 1)) }
                let row = (0..<symbolCount).map { accepts(token, symbol: $0, glob: glob, alphabet: alphabet) }
                accepted += row
                special.append((1..<symbolCount).filter { row[$0] != row[0] })
            }
        }
        // Positions every set holds: an unrestricted `*` of the start set reads every symbol and enters itself
        // again, so it and the positions it enters (`persistent`) are in every set but the universal one. A set is
        // numbered by the positions it holds besides these: in a union of many `*…` patterns (a Deny list of
        // `*:environment:NAME` values) that is a handful instead of hundreds, to gather, sort and hash per
        // transition. The sets, and so the states and their order, are those of the plain construction.
        var persistent = [Bool](repeating: false, count: isEnd.count)
        if !startSet.contains(where: { isUniversal[Int($0)] }) {
            for position in startSet where isOpenStar[Int(position)] {
                persistent[Int(position)] = true
                for entered in successors[Int(position)] { persistent[Int(entered)] = true }
            }
        }
        let persistentPositions = (0..<isEnd.count).filter { persistent[$0] }
        let persistentAccepts = persistentPositions.contains { isEnd[$0] }
        var persistentSpecial: [Int] = []
        // For each symbol, the positions the persistent ones enter on it that are not persistent themselves.
        var enteredFromPersistent = [[Int32]](repeating: [], count: symbolCount)
        if !persistentPositions.isEmpty {
            var marked = [Bool](repeating: false, count: symbolCount)
            for position in persistentPositions {
                for symbol in special[position] where !marked[symbol] {
                    marked[symbol] = true
                    persistentSpecial.append(symbol)
                }
            }
            for symbol in 0..<symbolCount {
                var entered: [Int32] = []
                for position in persistentPositions where accepted[position * symbolCount + symbol] {
                    for target in successors[position] where !persistent[Int(target)] { entered.append(target) }
                }
                enteredFromPersistent[symbol] = normalized(entered)
            }
        }
        // Successor lists in one array, read without copying: `successorList[successorStart[p]..<successorStart[p + 1]]`.
        var successorStart: [Int] = [0]
        var successorList: [Int32] = []
        for list in successors {
            successorList += list
            successorStart.append(successorList.count)
        }
        let universalSet: [Int32]? = universal.map { [$0, $0 + 1] }
        var sets: [[Int32]] = [canonical(startSet)]
        var numbers: [[Int32]: Int32] = [sets[0]: 0]
        var next: [Int32] = []
        var accepting: [Bool] = []
        var overLimit = false
        /// The set without its persistent positions, sorted without repeats; every set holding a final
        /// unrestricted `*` as the first such one (with no persistent position).
        func canonical(_ positions: [Int32]) -> [Int32] {
            if let universalSet, positions.contains(where: { isUniversal[Int($0)] }) { return universalSet }
            return normalized(positions.filter { !persistent[Int($0)] })
        }
        func number(of target: [Int32]) -> Int32 {
            let target = canonical(target)
            if let number = numbers[target] { return number }
            if sets.count >= limit { overLimit = true }
            let number = Int32(sets.count)
            numbers[target] = number
            sets.append(target)
            return number
        }
        var cursor = 0
        var target: [Int32] = []
        var isSymbolListed = [Bool](repeating: false, count: symbolCount)
        var symbols: [Int] = []
        while cursor < sets.count {
            let set = sets[cursor]
            let holdsPersistent = set != universalSet
            accepting.append(set.contains { isEnd[Int($0)] } || (holdsPersistent && persistentAccepts))
            symbols.removeAll(keepingCapacity: true)
            func list(_ symbol: Int) {
                guard !isSymbolListed[symbol] else { return }
                isSymbolListed[symbol] = true
                symbols.append(symbol)
            }
            list(0)
            for position in set { for symbol in special[Int(position)] { list(symbol) } }
            if holdsPersistent { for symbol in persistentSpecial { list(symbol) } }
            symbols.sort()
            var row = [Int32](repeating: 0, count: symbolCount)
            for symbol in symbols {
                isSymbolListed[symbol] = false
                target.removeAll(keepingCapacity: true)
                if holdsPersistent { target += enteredFromPersistent[symbol] }
                for position in set where accepted[Int(position) * symbolCount + symbol] {
                    target += successorList[successorStart[Int(position)]..<successorStart[Int(position) + 1]]
                }
                row[symbol] = number(of: target)
                if symbol == 0 {
                    for other in 1..<symbolCount { row[other] = row[0] }
                }
            }
            guard !overLimit else { return nil }
            next += row
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
        guard positions.count > 1 else { return positions }
        let sorted = positions.sorted()
        var result: [Int32] = [sorted[0]]
        for position in sorted.dropFirst() where position != result[result.count - 1] { result.append(position) }
        return result
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
        // Pair numbers in a flat table when every pair fits in a small one (the usual case), else in a dictionary.
        let pairCount = lhs.stateCount * rhs.stateCount
        let flat = pairCount <= 1 << 18
        var table = [Int32](repeating: -1, count: flat ? pairCount : 0)
        var numbers: [Int: Int32] = [:]
        if flat { table[0] = 0 } else { numbers[0] = 0 }
        var next: [Int32] = []
        next.reserveCapacity(symbolCount * 16)
        var accepting: [Bool] = []
        var cursor = 0
        while cursor < pairs.count {
            let (left, right) = pairs[cursor]
            accepting.append(accept(lhs.accepting[left], rhs.accepting[right]))
            for symbol in 0..<symbolCount {
                let pair = (lhs.step(left, symbol), rhs.step(right, symbol))
                let key = pair.0 * rhs.stateCount + pair.1
                let known = flat ? (table[key] >= 0 ? table[key] : nil) : numbers[key]
                if let number = known {
                    next.append(number)
                } else {
                    guard pairs.count < limit else { return nil }
                    let number = Int32(pairs.count)
                    if flat { table[key] = number } else { numbers[key] = number }
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

    /// The minimal automaton (Hopcroft's partition refinement), its states numbered in breadth-first order
    /// from the start so that equal languages over one alphabet give equal automata.
    func minimized() -> DFA {
        let block = equivalenceClasses()
        let blockCount = (block.max() ?? 0) + 1
        var member = [Int](repeating: -1, count: blockCount)
        for state in 0..<stateCount where member[block[state]] < 0 { member[block[state]] = state }
        var order: [Int] = [block[0]]
        var numberOfBlock = [Int32](repeating: -1, count: blockCount)
        numberOfBlock[block[0]] = 0
        var next: [Int32] = []
        next.reserveCapacity(blockCount * symbolCount)
        var accepting: [Bool] = []
        var cursor = 0
        while cursor < order.count {
            let state = member[order[cursor]]
            accepting.append(self.accepting[state])
            for symbol in 0..<symbolCount {
                let target = block[Int(self.next[state * symbolCount + symbol])]
                if numberOfBlock[target] < 0 {
                    numberOfBlock[target] = Int32(order.count)
                    order.append(target)
                }
                next.append(numberOfBlock[target])
            }
            cursor += 1
        }
        return DFA(symbolCount: symbolCount, next: next, accepting: accepting)
    }

    /// The block of each state in the coarsest partition compatible with acceptance and transitions.
    private func equivalenceClasses() -> [Int] {
        let count = stateCount
        // Predecessors by (symbol, target), in compressed rows.
        var rowStart = [Int](repeating: 0, count: symbolCount * count + 1)
        for state in 0..<count {
            for symbol in 0..<symbolCount { rowStart[symbol * count + Int(next[state * symbolCount + symbol]) + 1] += 1 }
        }
        for index in 1..<rowStart.count { rowStart[index] += rowStart[index - 1] }
        var fill = rowStart
        var predecessors = [Int](repeating: 0, count: count * symbolCount)
        for state in 0..<count {
            for symbol in 0..<symbolCount {
                let row = symbol * count + Int(next[state * symbolCount + symbol])
                predecessors[fill[row]] = state
                fill[row] += 1
            }
        }
        // Blocks are ranges of `elements`; a block's marked states sit at its front, up to `markedEnd`.
        var elements = Array(0..<count).sorted { !accepting[$0] && accepting[$1] }
        var location = [Int](repeating: 0, count: count)
        for (index, state) in elements.enumerated() { location[state] = index }
        var block = [Int](repeating: 0, count: count)
        var first: [Int] = [], end: [Int] = []
        let rejectedCount = accepting.lazy.filter { !$0 }.count
        for (lower, upper) in [(0, rejectedCount), (rejectedCount, count)] where lower < upper {
            for index in lower..<upper { block[elements[index]] = first.count }
            first.append(lower)
            end.append(upper)
        }
        var markedEnd = first
        // Splitters are whole blocks, used for every symbol at once (Hopcroft's "smaller half" rule applies
        // per block, since all symbols of a block are always scheduled together).
        var pending: [Int] = [first.count == 2 && end[1] - first[1] < end[0] - first[0] ? 1 : 0]
        var isPending = [Bool](repeating: false, count: count)
        isPending[pending[0]] = true
        var touched: [Int] = []
        var splitter: [Int] = []
        while let splitBlock = pending.popLast() {
            isPending[splitBlock] = false
            splitter.removeAll(keepingCapacity: true)
            splitter.append(contentsOf: elements[first[splitBlock]..<end[splitBlock]])
            for symbol in 0..<symbolCount {
                // Each predecessor is marked as it is met: `splitter` is a copy, so moving states within their blocks
                // does not change what is visited.
                for target in splitter {
                    let row = symbol * count + target
                    var index = rowStart[row]
                    let limit = rowStart[row + 1]
                    while index < limit {
                        let state = predecessors[index]
                        index += 1
                        let owner = block[state], position = location[state], boundary = markedEnd[owner]
                        guard position >= boundary else { continue }  // already marked
                        let other = elements[boundary]
                        elements[boundary] = state
                        elements[position] = other
                        location[state] = boundary
                        location[other] = position
                        if boundary == first[owner] { touched.append(owner) }
                        markedEnd[owner] = boundary + 1
                    }
                }
                guard !touched.isEmpty else { continue }
                for owner in touched {
                    let split = markedEnd[owner]
                    markedEnd[owner] = first[owner]
                    guard split < end[owner] else { continue }  // every state marked: no split
                    let new = first.count
                    first.append(first[owner])
                    end.append(split)
                    markedEnd.append(first[owner])
                    first[owner] = split
                    markedEnd[owner] = split
                    for index in first[new]..<end[new] { block[elements[index]] = new }
                    // The new block joins a pending old one, or the smaller half is scheduled.
                    let scheduled = isPending[owner] || end[new] - first[new] <= end[owner] - first[owner] ? new : owner
                    if !isPending[scheduled] {
                        isPending[scheduled] = true
                        pending.append(scheduled)
                    }
                }
                touched.removeAll(keepingCapacity: true)
            }
        }
        return block
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
