import IAMPolicy
import Testing

@Suite("Pattern sets")
struct PatternSetTests {
    func like(_ patterns: String...) -> PatternSet { PatternSet(anyOf: patterns.map { StringPattern($0, matching: .wildcard) }) }
    func equals(_ patterns: String...) -> PatternSet { PatternSet(anyOf: patterns.map { StringPattern($0, matching: .exact) }) }

    @Test func githubRepositoryWildcardAdmitsEveryRepository() {
        let trust = like("repo:acme/*")
        let main = equals("repo:acme/app:ref:refs/heads/main")
        #expect(main.isSubset(of: trust))
        #expect(!trust.isSubset(of: main))
        #expect(trust.contains("repo:acme/other:ref:refs/heads/main"))
        #expect(trust.contains("repo:acme/app:pull_request"))
        #expect(!trust.contains("repo:evil/app:ref:refs/heads/main"))
        let outside = trust.subtracting(main)
        #expect(!outside.isEmpty)
        let witness = outside.shortestWitness()
        #expect(witness == "repo:acme/x")
        #expect(outside.shortestMember() == "repo:acme/")
    }

    @Test func witnessOfRepositoryMinusOneRepository() {
        let difference = like("repo:acme/*").subtracting(like("repo:acme/app:*"))
        #expect(difference.shortestWitness() == "repo:acme/x")
        #expect(like("repo:acme/*").witness(avoiding: like("repo:acme/app:*")) == "repo:acme/x")
        #expect(like("repo:acme/app:*").witness(avoiding: like("repo:acme/*")) == nil)
    }

    @Test func refWildcardAdmitsPullRequests() {
        let trust = like("repo:acme/app:*")
        #expect(trust.contains("repo:acme/app:pull_request"))
        #expect(equals("repo:acme/app:pull_request").isSubset(of: trust))
        #expect(equals("repo:acme/app:environment:prod").isSubset(of: trust))
        #expect(!trust.contains("repo:acme/app-evil:pull_request"))
    }

    @Test func repositoryPrefixAdmitsLookalikeRepositories() {
        let trust = like("repo:acme/app*")
        #expect(trust.contains("repo:acme/app-evil:ref:refs/heads/main"))
        #expect(equals("repo:acme/app-evil:ref:refs/heads/main").isSubset(of: trust))
        let lookalikes = trust.subtracting(like("repo:acme/app:*"))
        #expect(lookalikes.contains("repo:acme/app-evil:ref:refs/heads/main"))
        // `*` matches the empty string: `repo:acme/app` itself is admitted.
        #expect(lookalikes.shortestWitness() == "repo:acme/app")
        #expect(lookalikes.subtracting(equals("repo:acme/app")).shortestWitness() == "repo:acme/appx")
    }

    @Test func repoWildcardIsUniversalOverTheRepoPrefix() {
        let any = like("repo:*")
        #expect(!any.isUniversal)
        #expect(like("repo:acme/*", "repo:x", "repo:").isSubset(of: any))
        // Over strings starting `repo:`, `repo:*` leaves nothing out.
        #expect(like("repo:*").subtracting(any).isEmpty)
        #expect(like("repo:*").isEquivalent(to: any))
        #expect(like("repo:*").union(like("repo:*").complement()).isUniversal)
        #expect(like("*").isUniversal)
        #expect(like("*").shortestWitness() == "x")
        #expect(like("*").shortestMember() == "")
        #expect(like("**", "*?").isUniversal)
    }

    @Test func everyBranchButMain() {
        let trust = like("repo:acme/app:*")
        let others = trust.intersection(equals("repo:acme/app:ref:refs/heads/main").complement())
        #expect(!others.isEmpty)
        let witness = others.shortestWitness()
        #expect(witness == "repo:acme/app:x")
        #expect(witness.map(trust.contains) == true)
        #expect(!others.contains("repo:acme/app:ref:refs/heads/main"))
        #expect(others.contains("repo:acme/app:ref:refs/heads/mainx"))
    }

    @Test func emptinessAndUniversality() {
        #expect(PatternSet.empty.isEmpty)
        #expect(!PatternSet.empty.isUniversal)
        #expect(PatternSet.all.isUniversal)
        #expect(PatternSet.empty.shortestWitness() == nil)
        #expect(PatternSet.all.shortestMember() == "")
        #expect(PatternSet.all.shortestWitness() == "x")
        #expect(PatternSet(anyOf: []).isEmpty)
        #expect(equals("").shortestWitness() == "")
        #expect(equals("a").intersection(equals("b")).isEmpty)
        #expect(like("a*").intersection(like("*b")).shortestWitness() == "ab")
        #expect(like("a?").intersection(like("?b")).shortestWitness() == "ab")
        #expect(like("a*").intersection(like("b*")).isEmpty)
        #expect(PatternSet.union(of: [equals("a"), equals("b")]).contains("b"))
        #expect(PatternSet.intersection(of: []).isUniversal)
    }

    @Test func combinesSetsBuiltFromDifferentLiterals() {
        // `a*` knows only `a`; `*b` knows only `b`: their product must tell `a`, `b` and others apart.
        let starts = like("a*"), ends = like("*b")
        let both = starts.intersection(ends)
        #expect(both.contains("ab"))
        #expect(both.contains("axb"))
        #expect(!both.contains("ba"))
        #expect(!both.contains("a"))
        #expect(starts.subtracting(ends).contains("ax"))
        #expect(!starts.subtracting(ends).contains("axb"))
        // A set built from `c` combined with the complement of one built from `d`.
        let mixed = equals("c").union(equals("d").complement())
        #expect(mixed.contains("c"))
        #expect(!mixed.contains("d"))
        #expect(mixed.contains("e"))
        #expect(mixed.contains(""))
        // Case-insensitive sets combined with case-sensitive ones.
        let folded = PatternSet(StringPattern("Main", matching: .exactIgnoringCase))
        #expect(folded.contains("MAIN"))
        #expect(equals("main").isSubset(of: folded))
        #expect(equals("MaIn").isSubset(of: folded))
        #expect(!folded.isSubset(of: equals("main")))
        // Lowercase letters are preferred, so the one uppercase letter comes last.
        #expect(folded.subtracting(equals("main")).shortestWitness() == "maiN")
        #expect(folded.intersection(like("*n")).subtracting(equals("main")).shortestWitness() == "maIn")
    }

    @Test func precisionFollowsTheOperations() {
        let variable = PatternSet(StringPattern("repo:acme/${aws:username}"))
        let exact = like("repo:acme/*")
        #expect(variable.precision == .superset)
        #expect(variable.complement().precision == .subset)
        #expect(variable.union(exact).precision == .superset)
        #expect(exact.subtracting(variable).precision == .subset)
        #expect(variable.subtracting(exact).precision == .superset)
        #expect(variable.intersection(variable.complement()).precision == .unknown)
        #expect(exact.complement().precision == .exact)
    }

    /// Results are kept and reused for equal operands (see `PatternSetMemo`): asked again, in either order and
    /// for each operation, the answers stay those of the operation asked.
    @Test func repeatedOperationsKeepTheirOwnAnswers() {
        let org = like("repo:acme/*")
        let app = like("repo:acme/app:*")
        let web = "repo:acme/web:ref:refs/heads/main"
        let main = "repo:acme/app:ref:refs/heads/main"
        // Each answer is read with `contains`, which combines nothing, so a wrong reuse cannot hide behind another.
        for _ in 0..<3 {
            let union = org.union(app), intersection = org.intersection(app)
            let orgWithoutApp = org.subtracting(app), appWithoutOrg = app.subtracting(org)
            let either = org.symmetricDifference(app), again = app.symmetricDifference(org)
            #expect(union.contains(web) && union.contains(main))
            #expect(!intersection.contains(web) && intersection.contains(main))
            #expect(orgWithoutApp.contains(web) && !orgWithoutApp.contains(main))
            #expect(!appWithoutOrg.contains(web) && !appWithoutOrg.contains(main))
            #expect(either.contains(web) && !either.contains(main))
            #expect(again.contains(web) && !again.contains(main))
            // The same globs with another state limit or precision are another set.
            #expect(PatternSet(StringPattern("*a???????"), stateLimit: 100).exceededStateLimit)
            #expect(PatternSet(StringPattern("*a???????")).stateCount == 256)
            #expect(PatternSet(anyOf: [StringPattern("repo:${aws:username}/*", matching: .wildcard)]).precision == .superset)
            #expect(PatternSet(anyOf: [StringPattern("repo:x/*", matching: .wildcard)]).precision == .exact)
        }
    }

    @Test func stateLimitFallsBackToAllStrings() {
        // `*a` followed by seven `?` needs 2^8 states: a `?` position for each of the last eight characters.
        let pattern = StringPattern("*a???????")
        let bounded = PatternSet(pattern, stateLimit: 100)
        #expect(bounded.exceededStateLimit)
        #expect(bounded.precision == .superset)
        #expect(bounded.isUniversal)
        #expect(bounded.complement().isEmpty)
        #expect(bounded.complement().precision == .subset)
        let full = PatternSet(pattern)
        #expect(!full.exceededStateLimit)
        #expect(full.precision == .exact)
        #expect(full.stateCount == 256)
        #expect(full.contains("xxabcdefgh"))
        #expect(!full.contains("xxab0123456789"))
        // A product over the limit falls back too, and the fallback propagates.
        let product = PatternSet(pattern, stateLimit: 1_000).intersection(PatternSet(StringPattern("*b???????"), stateLimit: 1_000))
        #expect(product.exceededStateLimit)
        #expect(product.precision == .superset)
        #expect(like("a*").union(product).exceededStateLimit)
    }

    @Test func witnessesPreferReadableCharacters() {
        // Free characters read as `x`; when `x` is itself a literal, another letter.
        #expect(like("repo:x*").subtracting(equals("repo:x")).shortestWitness() == "repo:xy")
        #expect(like("?").shortestWitness() == "x")
        #expect(like("a?").subtracting(like("ax")).shortestWitness() == "ay")
        // Forced empty segments are kept; avoidable ones are not.
        #expect(like("arn:aws:s3:::*").shortestWitness() == "arn:aws:s3:::x")
        #expect(like("a/*/b").shortestWitness() == "a/x/b")
        #expect(like("a/*").shortestMember() == "a/")
        // Deterministic.
        let set = like("repo:*").subtracting(like("repo:acme/*"))
        #expect(set.shortestWitness() == set.shortestWitness())
        #expect(set.shortestWitness() == "repo:x")
    }
    @Test func unionOfManyInfixPatternsStaysExact() {
        // A realistic deny list: once one `…*` pattern has matched, the union accepts everything that follows,
        // so the other patterns' progress does not multiply the states.
        let deny = ["*:pull_request", "*dependabot*", "*renovate*", "repo:*:ref:refs/heads/feature/*", "repo:*:ref:refs/tags/*",
                    "*:environment:test*", "*bot*:ref:*", "repo:*/sandbox-*:*", "repo:*:ref:refs/heads/dev*",
                    "*:ref:refs/heads/tmp-*", "repo:*/*-archive:*", "*:environment:preview-*"]
        let denied = PatternSet(anyOf: deny.map { StringPattern($0) })
        #expect(!denied.exceededStateLimit)
        #expect(denied.precision == .exact)
        for value in ["repo:a/b:pull_request", "xdependabotx", "repo:a/sandbox-1:ref:refs/heads/main", "repo:a/old-archive:environment:x"] {
            #expect(denied.contains(value), "\(value)")
        }
        let left = like("repo:*").subtracting(denied)
        #expect(left.precision == .exact)
        #expect(left.contains("repo:acme/app:ref:refs/heads/main"))
        #expect(!left.contains("repo:acme/app:ref:refs/heads/feature/x"))
        let witness = try! #require(left.shortestWitness())
        #expect(deny.allSatisfy { !StringPattern($0).matches(witness) })
    }

    @Test func segmentSequencesKeepWildcardsInsideTheirField() {
        let owners: Set<Unicode.Scalar> = [":", "/"]
        let lifted = PatternSet(sequences: [[.literal("repo:"), .pattern(StringPattern("acme/*"), excluding: [":"]), .literal(":"),
                                             .field(excluding: [], minimumLength: 0)]])
        #expect(lifted.contains("repo:acme/app:ref:refs/heads/main"))
        #expect(!lifted.contains("repo:acmex/app:ref:refs/heads/main"))
        // `*` stays inside the repository: `acme/*` cannot swallow the context.
        let shape = PatternSet(sequences: [[.literal("repo:"), .field(excluding: owners, minimumLength: 1), .literal("/"),
                                            .field(excluding: owners, minimumLength: 1), .literal(":ref:"), .field(excluding: [":"], minimumLength: 1)]])
        #expect(shape.contains("repo:a/b:ref:refs/heads/main"))
        #expect(!shape.contains("repo:a/b/c:ref:x"))
        #expect(!shape.contains("repo:/b:ref:x"))
        // A pattern whose literal text holds an excluded scalar matches no field.
        let impossible = PatternSet(sequences: [[.literal("repo:"), .pattern(StringPattern("acme:x"), excluding: [":"])]])
        #expect(impossible.isEmpty)
    }
}
