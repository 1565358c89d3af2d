@testable import IAMAuditReporters
import IAMAuditRules
import IAMPolicy
import Testing

@Suite struct TextReporterTests {
    @Test func rendersFindingsWithCaretsUnderTheirSpans() {
        // Line 4 holds two-byte characters (ü, Ä) before the span: columns count scalars, so the caret still
        // sits under the opening quote of "Alow". The PRIV001 span runs onto line 6 and is underlined to the
        // end of line 5; the no-source finding has no excerpt.
        let expected = """
        policies/broken.json:1:26: error[IAM001]: expected a key after ','
        {"Version": "2012-10-17",
                                 ^

        policies/dev/permissions policy.json:4:40: error[IAM005]: effect 'Alow' is neither 'Allow' nor 'Deny'
          {"Sid": "ZugriffFürÄrzte", "Effect": "Alow", "Action": "s3:GetObject"},
                                               ^~~~~~

        policies/dev/permissions policy.json:5:33: warning[PRIV001]: action 's3:*' allows every S3 action
          {"Effect": "Allow", "Action": ["s3:*",
                                        ^~~~~~~~

        policies/no-source.json:2:3: warning[PRIV001]: action '*' allows every action

        policies/prod/trust-policy.json:9:52: note[OIDC003]: sub pattern 'repo:junksamiad/*' admits every repository of 'junksamiad'
                "token.actions.githubusercontent.com:sub": "repo:junksamiad/*"
                                                           ^~~~~~~~~~~~~~~~~~~

        policies/prod/permissions-policy.json:30:19: suppressed[PRIV002]: resource '*' for 'cloudformation:ValidateTemplate' (reason: ValidateTemplate supports no resource-level permissions)

        2 errors, 2 warnings, 1 note in 5 files (6 policies), 1 suppressed

        """
        #expect(TextReporter().render(SampleReports.several) == expected)
    }

    @Test func cleanRunPrintsOnlyTheSummary() {
        #expect(TextReporter().render(SampleReports.clean) == "no findings in 4 files (4 policies)\n")
    }

    @Test func summaryUsesSingularForms() {
        let output = TextReporter(options: ReportOptions(quiet: true)).render(SampleReports.singular)
        #expect(output.hasSuffix("\n1 error, 1 warning, 0 notes in 1 file (1 policy)\n"))
    }

    @Test func runErrorsAndNoticesFollowTheFindings() {
        let expected = """
        iam-audit.json:12:5: error: unknown key 'enviroments'
        policies/missing.json: error: no such file or directory

        policies/package.json: notice: not a policy document, skipped

        no findings in 3 files (2 policies), 2 run errors

        """
        #expect(TextReporter().render(SampleReports.runErrors) == expected)
    }

    @Test func quietLeavesOutExcerptsAndTheCleanSummary() {
        let quiet = TextReporter(options: ReportOptions(quiet: true))
        #expect(quiet.render(SampleReports.clean) == "")
        let expected = """
        policies/broken.json:1:26: error[IAM001]: expected a key after ','
        policies/dev/permissions policy.json:4:40: error[IAM005]: effect 'Alow' is neither 'Allow' nor 'Deny'
        policies/dev/permissions policy.json:5:33: warning[PRIV001]: action 's3:*' allows every S3 action
        policies/no-source.json:2:3: warning[PRIV001]: action '*' allows every action
        policies/prod/trust-policy.json:9:52: note[OIDC003]: sub pattern 'repo:junksamiad/*' admits every repository of 'junksamiad'
        2 errors, 2 warnings, 1 note in 5 files (6 policies), 1 suppressed

        """
        #expect(quiet.render(SampleReports.several) == expected)
        #expect(quiet.render(SampleReports.runErrors).hasPrefix("iam-audit.json:12:5: error: unknown key"))
    }

    @Test func colourOnlyWhenAsked() {
        let plain = TextReporter().render(SampleReports.several)
        #expect(!plain.contains("\u{1B}["))
        let coloured = TextReporter(options: ReportOptions(color: true)).render(SampleReports.several)
        #expect(coloured.contains(
            "\u{1B}[1mpolicies/broken.json:1:26:\u{1B}[0m \u{1B}[1;31merror\u{1B}[0m\u{1B}[1m[IAM001]: expected a key after ','\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;33mwarning\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;36mnote\u{1B}[0m"))
        #expect(coloured.contains("\n" + String(repeating: " ", count: 39) + "\u{1B}[1;31m^~~~~~\u{1B}[0m\n"))
        #expect(coloured.contains("\u{1B}[1m2 errors, 2 warnings, 1 note in 5 files (6 policies), 1 suppressed\u{1B}[0m"))
    }

    @Test func controlCharactersInPolicyTextCannotReachTheTerminal() {
        var finding = SampleReports.findings[1]
        finding.message = "sid 'a\u{1B}]0;pwned\u{07}' is odd"
        let report = AuditReport(
            toolVersion: "1", findings: [finding], fileCount: 1, policyCount: 1, rules: SampleReports.rules,
            sourceLines: [finding.file: [4: "\u{1B}[2J  \"Effect\": \"Alow\u{202E}\""]])
        let output = TextReporter().render(report)
        #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(output.contains("sid 'a\u{FFFD}]0;pwned\u{FFFD}' is odd"))
    }
}

@Suite struct SourceExcerptTests {
    private func excerpt(_ line: String, _ column: Int, _ endColumn: Int, endLine: Int = 1,
                         maxWidth: Int = TextReporter.maxExcerptWidth) -> SourceExcerpt {
        SourceExcerpt(line: line, span: SampleReports.span(1, column, endLine, endColumn), maxWidth: maxWidth)
    }

    @Test func tabsPrintAsFourSpacesOnBothLines() {
        let result = excerpt("\t\"Effect\": \"Alow\"", 12, 18)
        #expect(result.text == "    \"Effect\": \"Alow\"")
        #expect(result.marker == String(repeating: " ", count: 14) + "^" + String(repeating: "~", count: 5))
    }

    @Test func wideCharactersTakeTwoCells() {
        // Columns: " 1, 名 2, 前 3, " 4, : 5, space 6, " 7, 値 8, " 9.
        let result = excerpt("\"名前\": \"値\"", 7, 10)
        #expect(result.text == "\"名前\": \"値\"")
        #expect(result.marker == String(repeating: " ", count: 8) + "^~~~")
    }

    @Test func combiningMarksTakeNoCell() {
        // "e" + U+0301 is two scalars (columns 1 and 2) and one cell.
        let result = excerpt("e\u{301}x", 3, 4)
        #expect(result.marker == " ^")
    }

    @Test func emptyAndBackwardSpansGetOneCaret() {
        #expect(excerpt("abc", 2, 2).marker == " ^")
        #expect(excerpt("abc", 3, 1).marker == "  ^")
    }

    @Test func positionPastTheEndOfTheLine() {
        #expect(excerpt("ab", 5, 5).marker == "    ^")
    }

    @Test func multiLineSpanIsUnderlinedToTheEndOfTheLine() {
        #expect(excerpt("  [\"a\",", 3, 2, endLine: 3).marker == "  ^~~~~")
    }

    @Test func wideLinesAreCutToAWindowAroundTheSpan() {
        let line = String(repeating: "a", count: 300) + "\"needle\"" + String(repeating: "b", count: 300)
        let result = excerpt(line, 301, 309, maxWidth: 80)
        #expect(result.text.hasPrefix("…"))
        #expect(result.text.hasSuffix("…"))
        #expect(result.text.count <= 80)
        let caret = result.marker.firstIndex(of: "^")!
        let offset = result.marker.distance(from: result.marker.startIndex, to: caret)
        let marked = result.text.dropFirst(offset).prefix(8)
        #expect(marked == "\"needle\"")
        #expect(result.marker.hasSuffix("^" + String(repeating: "~", count: 7)))
    }
}
