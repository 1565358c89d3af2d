import Foundation
import IAMAuditRules
import IAMPolicy

/// `iam-audit simulate --workflow FILE --job NAME [--event E] [--ref R] [PATH...]`: which roles that job can assume,
/// with the token it presents. The roles are those of the trust policies, templates, plans and dumps the paths lead
/// to (by default the repository holding the workflow), placed by their designs as `check` places them.
///
/// Exit codes: 0 when the job can assume at least one role, 1 when it can assume none, 2 when the run cannot read the
/// workflow or find the job.
struct SimulateWorkflowCommand {
    let request: WorkflowSimulationRequest
    let context: RunContext

    func run() -> ExitCode {
        let workflow = PathNames.tidy(request.workflow)
        var configuration = Configuration()
        // The workflow comes first, so it keeps the name given here whatever folder also reaches it.
        configuration.paths = [request.workflow] + (request.paths.isEmpty ? [Self.repositoryRoot(of: request.workflow)] : request.paths)
        configuration.designFile = request.designFile
        configuration.quiet = true
        let run: CheckCommand.AuditRun
        do {
            run = try CheckCommand(configuration: configuration, context: context).auditRun()
        } catch {
            return error.report(to: context)
        }
        for error in run.report.errors { context.error(error.formatted) }
        let simulations = run.projects.compactMap { project in
            Project(workflows: project.facts.workflows, roles: project.facts.roles, design: project.auditor.design).workflowReview
                .simulate(workflowFile: workflow, job: request.job, event: request.event, ref: request.ref)
        }
        guard let first = simulations.first else {
            let read = run.projects.first?.facts.workflows.first { $0.file == workflow }
            if let read {
                let jobs = read.jobs.map(\.id)
                var message = "\(workflow): no job '\(request.job)'"
                if let suggestion = Suggestion.closest(to: request.job, among: jobs) { message += " (did you mean '\(suggestion)'?)" }
                context.error(message + "; its jobs are " + jobs.map { "'\($0)'" }.joined(separator: ", "))
            } else {
                context.error("\(workflow): not read as a GitHub workflow (a YAML file with 'on' and 'jobs')")
            }
            return .failure
        }
        // The roles whose trust takes no GitHub token (a stack's Lambda roles) are not the job's to assume.
        let outcomes = simulations.flatMap(\.outcomes).filter { $0.admission != nil || $0.takesGitHubTokens }
        let output = switch request.format {
        case .text: Self.text(first, outcomes: outcomes, workflow: workflow)
        case .json: Self.json(first, outcomes: outcomes, workflow: workflow)
        }
        context.standardOutput.write(output)
        return outcomes.contains { $0.admission != nil } ? .success : .findings
    }

    /// The folder holding `.github` for a workflow in `.github/workflows/`, else the workflow's folder.
    static func repositoryRoot(of path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let index = components.lastIndex(of: ".github"), index + 1 < components.count, components[index + 1] == "workflows" {
            let root = components[..<index].joined(separator: "/")
            return root.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : root
        }
        let folder = components.dropLast().joined(separator: "/")
        return folder.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : folder
    }

    /// `job 'deploy' of FILE holds id-token: write`, its runs and subjects, then each role it can and cannot assume.
    static func text(_ simulation: JobSimulation, outcomes: [JobSimulation.Outcome], workflow: String) -> String {
        let job = simulation.job
        var lines = ["job '\(job.id)' of \(workflow) holds id-token: \(job.idToken.rawValue)"
                     + (job.idToken == .write ? "" : ", so it cannot mint a token")]
        if simulation.runs.isEmpty { lines.append("  it never runs on the event and ref given") }
        for run in simulation.runs {
            lines.append("  on \(run.event)\(run.strangerCanTrigger ? " (anyone can cause it)" : "") it presents sub '\(run.subjectText)'")
        }
        for outcome in outcomes {
            guard let admission = outcome.admission else { continue }
            lines.append("can assume \(outcome.role.label) (\(outcome.role.trust.file)) on \(admission.run.event) with "
                         + (outcome.token ?? "") + (admission.bounded ? " (analysis bounded; read as admitting)" : ""))
        }
        for outcome in outcomes where outcome.admission == nil {
            lines.append("cannot assume \(outcome.role.label) (\(outcome.role.trust.file))")
        }
        if outcomes.isEmpty { lines.append("no role: the paths hold no trust policy that takes GitHub tokens") }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Report: Encodable {
        struct Run: Encodable {
            var event: String
            var strangerCanTrigger: Bool
            var subject: String
        }
        struct Role: Encodable {
            var role: String
            var name: String?
            var file: String
            var canAssume: Bool
            var event: String?
            var witness: [String: String]?
            var bounded: Bool?
        }
        var schemaVersion = 1
        var workflow: String
        var job: String
        var idToken: String
        var runs: [Run]
        var roles: [Role]
    }

    static func json(_ simulation: JobSimulation, outcomes: [JobSimulation.Outcome], workflow: String) -> String {
        let report = Report(workflow: workflow, job: simulation.job.id, idToken: simulation.job.idToken.rawValue,
                            runs: simulation.runs.map { Report.Run(event: $0.event, strangerCanTrigger: $0.strangerCanTrigger, subject: $0.subjectText) },
                            roles: outcomes.map { outcome in
                                Report.Role(role: outcome.role.label, name: outcome.role.name, file: outcome.role.trust.file,
                                            canAssume: outcome.admission != nil, event: outcome.admission?.run.event,
                                            witness: outcome.admission?.witness, bounded: outcome.admission?.bounded)
                            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
