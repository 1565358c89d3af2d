import Foundation

/// Runs a transform over indices on several threads and returns the results in index order.
public enum ParallelMap {
    public static func map<T: Sendable>(count: Int, workers: Int, _ transform: @Sendable @escaping (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let box = ResultSlots<T>(count: count)
        let workers = max(1, min(workers, count))
        if workers == 1 {
            for index in 0..<count { box.set(index, transform(index)) }
        } else {
            let next = IndexCounter()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let index = next.take(below: count) {
                    box.set(index, transform(index))
                }
            }
        }
        return box.values()
    }
}

/// Result storage written by several threads, each slot once.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}

/// Hands out indices 0, 1, 2, … to workers.
private final class IndexCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
