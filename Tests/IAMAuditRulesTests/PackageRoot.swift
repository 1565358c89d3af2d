import Foundation

/// Locates the package root and the optional shared corpus next to it.
enum PackageRoot {
    static let url: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The shared corpus folder, when present (a user's clone has none): `$IAM_AUDIT_SHARED` when set,
    /// else `../shared` beside the package, else `../shared` beside the main checkout when the package
    /// is a linked git worktree.
    static var shared: URL? {
        if let path = ProcessInfo.processInfo.environment["IAM_AUDIT_SHARED"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        for checkout in [PackageRoot.url, mainCheckout].compactMap({ $0 }) {
            let url = checkout.deletingLastPathComponent().appendingPathComponent("shared")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    /// The main checkout, when the package is a linked worktree (its `.git` is a `gitdir:` file).
    static var mainCheckout: URL? {
        let gitFile = PackageRoot.url.appendingPathComponent(".git")
        guard let text = try? String(contentsOf: gitFile, encoding: .utf8), text.hasPrefix("gitdir:") else { return nil }
        let gitDir = URL(fileURLWithPath: text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines),
                         relativeTo: PackageRoot.url)
        guard let common = try? String(contentsOf: gitDir.appendingPathComponent("commondir"), encoding: .utf8) else { return nil }
        let commonDir = URL(fileURLWithPath: common.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: gitDir).standardizedFileURL
        return commonDir.lastPathComponent == ".git" ? commonDir.deletingLastPathComponent() : nil
    }

    static func swiftFiles(under folder: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
    }
}
