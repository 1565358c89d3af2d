@testable import IAMAuditRules
import IAMPolicy
import Testing

/// The design's `review` list: notes on values a person should check, as `iam-audit init` writes them.
@Suite("Design review notes")
struct DesignReviewTests {
    @Test("notes pointing at values of the design, or at none, load in order with their pointers")
    func loads() throws {
        let design = try DesignFixtures.design("""
        {"version": 1, "github": {"repository": "acme/app"}, "environments": {"dev": {"branch": "develop"}},
         "review": [{"pointer": "/github/repository", "note": "from the git remote"},
                    {"pointer": "/environments/dev/branch", "note": "the only branch"},
                    {"note": "the role could not be resolved"}]}
        """)
        #expect(design.review.map(\.pointer) == ["/github/repository", "/environments/dev/branch", nil])
        #expect(design.review.map(\.note) == ["from the git remote", "the only branch", "the role could not be resolved"])
        #expect(design.review.map(\.pointerInDesign) == ["/review/0", "/review/1", "/review/2"])
    }

    @Test("a note must say something, point at a value the design holds, and carry no other key")
    func validated() {
        let errors = DesignFixtures.errors("""
        {"version": 1, "environments": {"dev": {}},
         "review": [{"pointer": "/environments/dev/role", "note": "x"}, {"note": " "}, {"pointer": "x", "note": "y"},
                    {"note": "z", "reason": "w"}, {"pointer": "/review/0", "note": "v"}, "text"]}
        """)
        #expect(errors.map(\.message) == [
            "/review/0/pointer must point at a value of the design, found '/environments/dev/role'",
            "/review/1/note must say what to check, found an empty string",
            "/review/2/pointer must be an RFC 6901 JSON pointer such as '/environments/dev/role', found 'x'",
            "unknown key 'reason' in /review/3",
            "/review/4/pointer must point at a value of the design, found '/review/0'",
            "/review/5 must be an object, found string",
        ])
        #expect(DesignFixtures.errors(#"{"version": 1, "environments": {"dev": {}}, "review": [{"pointer": "/version"}]}"#)
            .map(\.message) == ["/review/0 is missing required key 'note'"])
        #expect(DesignFixtures.errors(#"{"version": 1, "environments": {"dev": {}}, "review": {}}"#).map(\.message)
            == ["/review must be an array of objects, found object"])
    }
}

/// Reading a repository's remote from its git configuration, as `iam-audit init` does.
@Suite("Git remotes")
struct GitRemoteTests {
    @Test("the remotes of a configuration file, each with its first url")
    func remotes() {
        let text = """
        [core]
        \trepositoryformatversion = 0
        \turl = not-a-remote
        [remote "origin"]
        \tURL = "git@github.com:acme/app.git" ; a comment
        \tfetch = +refs/heads/*:refs/remotes/origin/*
        \turl = https://github.com/acme/second.git
        [Remote "fork"]
        \turl = https://github.com/someone/app # a comment
        [remote.old]
        \turl=ssh://git@github.com/acme/old.git
        """
        #expect(GitRemote.remotes(inConfiguration: text) == [
            GitRemote.Remote(name: "origin", url: "git@github.com:acme/app.git"),
            GitRemote.Remote(name: "fork", url: "https://github.com/someone/app"),
            GitRemote.Remote(name: "old", url: "ssh://git@github.com/acme/old.git"),
        ])
    }

    @Test("https, ssh and scp-like URLs name OWNER/NAME on their host", arguments: [
        ("https://github.com/acme/app.git", "acme/app", "github.com"),
        ("https://github.com/acme/app", "acme/app", "github.com"),
        ("https://token@github.com/acme/app.git/", "acme/app", "github.com"),
        ("http://GitHub.com/acme/my.app", "acme/my.app", "github.com"),
        ("git@github.com:acme/app.git", "acme/app", "github.com"),
        ("github.com:acme/app", "acme/app", "github.com"),
        ("ssh://git@github.com/acme/app.git", "acme/app", "github.com"),
        ("ssh://git@github.com:22/acme/app.git", "acme/app", "github.com"),
        ("git://github.com/acme/app.git", "acme/app", "github.com"),
        ("https://ghe.example.com/acme/app.git", "acme/app", "ghe.example.com"),
    ])
    func locations(url: String, repository: String, host: String) {
        #expect(GitRemote.location(ofURL: url) == GitRemote.Location(repository: repository, host: host))
    }

    @Test("local paths and other shapes name no repository", arguments: [
        "/srv/git/app.git", "../app", "file:///srv/git/acme/app.git", "https://gitlab.com/group/sub/app.git",
        "https://github.com/acme", "git@github.com:acme/a b.git", "",
    ])
    func noLocation(url: String) {
        #expect(GitRemote.location(ofURL: url) == nil)
    }
}
