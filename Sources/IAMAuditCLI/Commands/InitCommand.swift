import IAMAuditRules

/// `iam-audit init`: draws a starter design file from what a folder holds (``StarterDesign``), checks that it loads
/// as `check` will load it, and creates it, never over an existing file.
///
/// Exit codes: 0 when the file was written; 2 when the folder cannot be read or the file exists or cannot be
/// written.
struct InitCommand {
    let request: InitRequest
    let context: RunContext

    func run() -> ExitCode {
        let folderName = PathNames.tidy(request.folder)
        let folder = context.systemPath(request.folder)
        switch FileStatus.target(of: folder) {
        case .success(let status) where status.type == .directory:
            break
        case .success(let status):
            context.error("\(folderName): 'init' needs a folder, found \(status.type.phrase)")
            return .failure
        case .failure(let error):
            context.error("\(folderName): \(error.message)")
            return .failure
        }
        let outputName = request.outputFile.map(PathNames.tidy) ?? PathNames.join(folderName, DesignLoader.fileName)
        let output = LexicalPath.normalized(request.outputFile.map(context.systemPath) ?? PathNames.join(folder, DesignLoader.fileName))
        if case .success = FileStatus.entry(at: output) { return refuse(outputName) }

        var starter = StarterDesign()
        var discovery = FileDiscovery(workingDirectory: context.workingDirectory, design: nil)
        discovery.add(path: request.folder)
        let outputFolder = LexicalPath.folder(of: output)
        for source in discovery.sources {
            guard case .path(let path) = source.location, source.rawPath == nil,
                  case .success(let bytes) = FileReader.read(path: path, limit: FileReader.defaultLimit, requireRegular: true) else { continue }
            starter.add(path: Self.relativePath(of: LexicalPath.normalized(path), from: outputFolder), bytes: bytes)
        }
        let draft = starter.draft(repository: GitRepository.evidence(forFolder: folder))

        // The file must load as `check` loads it; one that does not is a fault of init, and is not written.
        let loaded = DesignLoader.load(file: output, bytes: Array(draft.text.utf8)) { path in
            if case .success(let status) = FileStatus.target(of: path) { return status.type == .regular }
            return false
        }
        if case .failure(let failure) = loaded {
            for error in failure.errors { context.error("the drafted design does not load: \(error.message)") }
            return .failure
        }
        switch NewFileWriter.create(draft.text, at: output) {
        case .success:
            break
        case .failure(.exists):
            return refuse(outputName)
        case .failure(.system(let failure)):
            context.error("cannot write '\(outputName)': \(failure.message)")
            return .failure
        }
        report(draft, outputName: outputName, folderName: folderName)
        return .success
    }

    private func refuse(_ outputName: String) -> ExitCode {
        context.error("'\(outputName)' already exists; init never overwrites a design file (name another with --output)")
        return .failure
    }

    /// What was written and what to review, on standard error.
    private func report(_ draft: StarterDesign.Draft, outputName: String, folderName: String) {
        let environments = draft.environments.map { environment in
            let parts = [environment.branch.map { "branch \($0)" }, environment.githubEnvironment.map { "environment \($0)" },
                         environment.role.map { "role \($0)" }].compactMap { $0 }
            return parts.isEmpty ? environment.name : "\(environment.name) (\(parts.joined(separator: ", ")))"
        }
        context.diagnostic("\(ToolInfo.name): wrote \(outputName): repository \(draft.repository ?? "unknown"); "
                           + "environments \(environments.joined(separator: ", "))")
        context.diagnostic("\(ToolInfo.name): review each value below, then delete its note from the design's \"review\" list:")
        for note in draft.notes {
            context.diagnostic("  \(note.pointer.map { "\($0)" } ?? "(design)"): \(note.text)")
        }
        context.diagnostic("Then run '\(ToolInfo.name) check \(folderName)'.")
    }

    /// `path` relative to `folder`, both absolute and normalized, climbing with `..` where needed.
    static func relativePath(of path: String, from folder: String) -> String {
        let pathParts = path.split(separator: "/")
        let folderParts = folder.split(separator: "/")
        var common = 0
        while common < pathParts.count, common < folderParts.count, pathParts[common] == folderParts[common] { common += 1 }
        let parts = Array(repeating: "..", count: folderParts.count - common) + pathParts[common...].map(String.init)
        return parts.joined(separator: "/")
    }
}
