@testable import IAMAuditReporters
import IAMAuditRules
import IAMPolicy
import Testing

@Suite struct GitHubReporterTests {
    @Test func annotatesEachFindingThenSummarises() {
        let expected = """
        ::error file=policies/broken.json,line=1,col=26,endLine=1,endColumn=26,title=IAM001 invalid-json::expected a key after ','
        ::error file=policies/dev/permissions policy.json,line=4,col=40,endLine=4,endColumn=46,title=IAM005 invalid-effect::effect 'Alow' is neither 'Allow' nor 'Deny'
        ::warning file=policies/dev/permissions policy.json,line=5,endLine=6,title=PRIV001 wildcard-action::action 's3:*' allows every S3 action
        ::warning file=policies/no-source.json,line=2,col=3,endLine=2,endColumn=6,title=PRIV001 wildcard-action::action '*' allows every action
        ::notice file=policies/prod/trust-policy.json,line=9,col=52,endLine=9,endColumn=71,title=OIDC003 github-sub-any-repository::sub pattern 'repo:junksamiad/*' admits every repository of 'junksamiad'
        iam-audit: 2 errors, 2 warnings, 1 note in 5 files (6 policies), 1 suppressed

        """
        #expect(GitHubReporter().render(SampleReports.several) == expected)
    }

    @Test func runErrorsAreErrorAnnotations() {
        let expected = """
        ::error file=iam-audit.json,line=12,col=5::unknown key 'enviroments'
        ::error file=policies/missing.json::no such file or directory
        iam-audit: no findings in 3 files (2 policies), 2 run errors

        """
        #expect(GitHubReporter().render(SampleReports.runErrors) == expected)
    }

    @Test func escapesPropertiesAndData() {
        #expect(GitHubReporter.escapeData("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
        #expect(GitHubReporter.escapeProperty("a:b,c%d\ne\rf") == "a%3Ab%2Cc%25d%0Ae%0Df")

        var finding = SampleReports.findings[1]
        finding.file = "odd,dir/x:y%.json"
        finding.message = "50% of\nstatements"
        let report = AuditReport(toolVersion: "1", findings: [finding], fileCount: 1, policyCount: 1, rules: [])
        let first = GitHubReporter().render(report).split(separator: "\n")[0]
        #expect(first == "::error file=odd%2Cdir/x%3Ay%25.json,line=4,col=40,endLine=4,endColumn=46,title=IAM005 invalid-effect::50%25 of%0Astatements")
    }

    @Test func cleanRunPrintsOnlyTheSummary() {
        #expect(GitHubReporter().render(SampleReports.clean) == "iam-audit: no findings in 4 files (4 policies)\n")
    }
}
