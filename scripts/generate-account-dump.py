#!/usr/bin/env python3
"""Write a realistic `aws iam get-account-authorization-details` dump of a given size, for benchmarks.

The dump has the four lists the AWS CLI prints, in its order and 4-space indentation: users with inline
policies and groups, groups with inline policies, roles with a trust policy, inline policies, attached managed
policies and instance profiles, and managed policies with one to three versions of which one is the default.
About one document in ten is URL-encoded, as the IAM API returns them.

With --shared DIR, documents are drawn from DIR/corpus/aws-managed (the AWS managed policies, which also fill
`Policies` under their own ARNs) and DIR/corpus/github-oidc-trust (GitHub OIDC trust policies); without it they
are synthesised. With --design FILE, the first roles carry the role names of the design's environments, with a
trust policy for the design's repository and a permission policy scoped to the environment.

The output depends only on the arguments: the same --seed gives the same bytes.

Usage: generate-account-dump.py --size-mb 100 [--seed 1] [--shared ../shared] [--design iam-audit.json]
                                 [--output dump.json]
"""

import argparse
import json
import os
import random
import sys
import urllib.parse

ACCOUNT = "123456789012"
INDENT = 4
SERVICES = {
    "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject", "GetBucketPolicy"],
    "dynamodb": ["GetItem", "PutItem", "Query", "Scan", "UpdateItem"],
    "sqs": ["SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes"],
    "lambda": ["InvokeFunction", "UpdateFunctionCode", "GetFunction", "CreateFunction"],
    "logs": ["CreateLogGroup", "CreateLogStream", "PutLogEvents"],
    "secretsmanager": ["GetSecretValue", "DescribeSecret"],
    "kms": ["Decrypt", "Encrypt", "GenerateDataKey"],
    "iam": ["PassRole", "GetRole", "CreateRole"],
    "ec2": ["DescribeInstances", "StartInstances", "StopInstances"],
}
RESOURCES = {
    "s3": "arn:aws:s3:::{name}-bucket/*",
    "dynamodb": "arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/{name}",
    "sqs": "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":{name}-queue",
    "lambda": "arn:aws:lambda:eu-west-1:" + ACCOUNT + ":function:{name}",
    "logs": "arn:aws:logs:eu-west-1:" + ACCOUNT + ":log-group:/aws/lambda/{name}:*",
    "secretsmanager": "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:{name}/*",
    "kms": "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/{name}",
    "iam": "arn:aws:iam::" + ACCOUNT + ":role/{name}",
    "ec2": "*",
}
WORDS = ["billing", "orders", "search", "payments", "catalog", "identity", "reports", "ingest", "notify", "media",
         "analytics", "export", "gateway", "scheduler", "audit", "ledger", "profile", "inventory", "shipping", "chat"]


class Corpus:
    """Policy documents to draw from: the shared corpus when given, else synthesised ones."""

    def __init__(self, shared, rng):
        self.rng = rng
        self.managed = []  # (name, document)
        self.trusts = []
        if shared:
            managed_dir = os.path.join(shared, "corpus", "aws-managed")
            for name in sorted(os.listdir(managed_dir)):
                with open(os.path.join(managed_dir, name), encoding="utf-8") as handle:
                    text = handle.read()
                if text.strip():
                    self.managed.append((name, json.loads(text)))
            trust_dir = os.path.join(shared, "corpus", "github-oidc-trust")
            for name in sorted(os.listdir(trust_dir)):
                if name.endswith(".json"):
                    with open(os.path.join(trust_dir, name), encoding="utf-8") as handle:
                        self.trusts.append(json.load(handle))
        self.small = [document for _, document in self.managed if len(json.dumps(document)) < 3000]

    def permission(self):
        if self.small and self.rng.random() < 0.5:
            return self.rng.choice(self.small)
        statements = []
        for index in range(self.rng.randint(1, 5)):
            service = self.rng.choice(sorted(SERVICES))
            actions = self.rng.sample(SERVICES[service], self.rng.randint(1, len(SERVICES[service])))
            name = "-".join(self.rng.sample(WORDS, 2))
            resource = "*" if self.rng.random() < 0.15 else RESOURCES[service].format(name=name)
            statements.append({"Sid": "Statement%d" % index, "Effect": "Allow",
                               "Action": [service + ":" + action for action in actions], "Resource": resource})
        return {"Version": "2012-10-17", "Statement": statements}

    def trust(self):
        roll = self.rng.random()
        if self.trusts and roll < 0.3:
            return self.rng.choice(self.trusts)
        if roll < 0.4:
            other = "%012d" % self.rng.randint(10**11, 10**12 - 1)
            statement = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % other}, "Action": "sts:AssumeRole"}
            if self.rng.random() < 0.7:
                statement["Condition"] = {"StringEquals": {"sts:ExternalId": "ext-%d" % self.rng.randint(1000, 9999)}}
            return {"Version": "2012-10-17", "Statement": [statement]}
        service = self.rng.choice(["lambda", "ecs-tasks", "ec2", "states", "events", "codebuild"])
        return {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service + ".amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def github_trust(repository, subject, account=ACCOUNT):
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % account},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                       "token.actions.githubusercontent.com:sub": "repo:%s:%s" % (repository, subject)}}}]}


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.corpus = Corpus(args.shared, self.rng)
        self.budget = int(args.size_mb * 1024 * 1024)
        self.design = None
        if args.design:
            with open(args.design, encoding="utf-8") as handle:
                self.design = json.load(handle)
        self.customer_count = 0
        self.serial = 0

    def document(self, document):
        """A document as the CLI prints it (an object) or, one time in ten, URL-encoded as the API returns it."""
        if self.rng.random() < 0.1:
            return urllib.parse.quote(json.dumps(document, separators=(",", ":")), safe="")
        return document

    def identifier(self, prefix):
        self.serial += 1
        return prefix + "%017X" % (self.serial * 2654435761 % 16**17)

    def date(self):
        return "20%02d-%02d-%02dT%02d:%02d:%02dZ" % (self.rng.randint(15, 25), self.rng.randint(1, 12), self.rng.randint(1, 28),
                                                    self.rng.randint(0, 23), self.rng.randint(0, 59), self.rng.randint(0, 59))

    def inline(self, count):
        return [{"PolicyName": "%s-inline-%d" % (self.rng.choice(WORDS), index), "PolicyDocument": self.document(self.corpus.permission())}
                for index in range(count)]

    def attachments(self, count):
        chosen = []
        for _ in range(count):
            if self.corpus.managed and self.rng.random() < 0.5:
                name, _ = self.rng.choice(self.corpus.managed[:self.customer_count])
                chosen.append({"PolicyName": name, "PolicyArn": "arn:aws:iam::aws:policy/" + name})
            else:
                name = "customer-policy-%d" % self.rng.randrange(max(1, self.customer_count))
                chosen.append({"PolicyName": name, "PolicyArn": "arn:aws:iam::%s:policy/%s" % (ACCOUNT, name)})
        return chosen

    def role(self, name, trust, inline, attached):
        arn = "arn:aws:iam::%s:role/%s" % (ACCOUNT, name)
        role = {"Path": "/", "RoleName": name, "RoleId": self.identifier("AROA"), "Arn": arn, "CreateDate": self.date(),
                "AssumeRolePolicyDocument": self.document(trust), "InstanceProfileList": [],
                "RolePolicyList": inline, "AttachedManagedPolicies": attached, "Tags": [], "RoleLastUsed": {}}
        if self.rng.random() < 0.1:
            role["InstanceProfileList"] = [{"Path": "/", "InstanceProfileName": name, "InstanceProfileId": self.identifier("AIPA"),
                                            "Arn": "arn:aws:iam::%s:instance-profile/%s" % (ACCOUNT, name), "CreateDate": self.date(),
                                            "Roles": [{"Path": "/", "RoleName": name, "RoleId": role["RoleId"], "Arn": arn,
                                                       "CreateDate": role["CreateDate"], "AssumeRolePolicyDocument": trust}]}]
        return role

    def design_roles(self):
        if not self.design:
            return []
        repository = self.design.get("github", {}).get("repository", "example-org/example-repo")
        roles = []
        for env, environment in sorted(self.design.get("environments", {}).items()):
            if "role" not in environment:
                continue
            subject = ("environment:" + environment["githubEnvironment"]) if "githubEnvironment" in environment \
                else "ref:refs/heads/" + environment.get("branch", "main")
            stack = environment.get("stackName", "stack-" + env)
            permission = {"Version": "2012-10-17", "Statement": [
                {"Sid": "DeployStack", "Effect": "Allow", "Action": ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"],
                 "Resource": "arn:aws:cloudformation:%s:%s:stack/%s/*" % (self.design.get("region", "eu-west-1"),
                                                                          self.design.get("account", ACCOUNT), stack)}]}
            roles.append(self.role(environment["role"], github_trust(repository, subject, self.design.get("account", ACCOUNT)),
                                   [{"PolicyName": environment["role"] + "-Permissions", "PolicyDocument": permission}],
                                   [{"PolicyName": "customer-policy-0", "PolicyArn": "arn:aws:iam::%s:policy/customer-policy-0" % ACCOUNT}]))
        return roles

    def managed(self, name, arn, documents, path="/"):
        default = self.rng.randrange(len(documents))
        versions = [{"Document": self.document(document), "VersionId": "v%d" % (len(documents) - index),
                     "IsDefaultVersion": index == default, "CreateDate": self.date()} for index, document in enumerate(documents)]
        return {"PolicyName": name, "PolicyId": self.identifier("ANPA"), "Arn": arn, "Path": path,
                "DefaultVersionId": versions[default]["VersionId"], "AttachmentCount": self.rng.randint(0, 5),
                "PermissionsBoundaryUsageCount": 0, "IsAttachable": True, "CreateDate": self.date(), "UpdateDate": self.date(),
                "PolicyVersionList": versions}

    def write(self, out):
        written = 0

        def emit(text):
            nonlocal written
            out.write(text)
            written += len(text.encode("utf-8"))

        def entries(key, make, share, last=False):
            emit('    "%s": [' % key)
            first = True
            limit = self.budget * share
            while written < limit:
                entry = make()
                if entry is None:
                    break
                text = json.dumps(entry, indent=INDENT, ensure_ascii=False).replace("\n", "\n        ")
                emit(("\n        " if first else ",\n        ") + text)
                first = False
            emit("\n    ]" if not first else "]")
            emit("\n" if last else ",\n")

        # Managed policies are written last; the number of customer ones is estimated so roles can attach them.
        self.customer_count = max(1, int(self.budget * 0.45 / 2 / 3000))
        emit("{\n")
        user_count = iter(range(10**9))
        entries("UserDetailList", lambda: self.user(next(user_count)), 0.04)
        group_count = iter(range(10**9))
        entries("GroupDetailList", lambda: self.group(next(group_count)), 0.07)
        pending = self.design_roles()
        role_count = iter(range(10**9))

        def next_role():
            if pending:
                return pending.pop(0)
            index = next(role_count)
            name = "%s-%s-role-%d" % (self.rng.choice(WORDS), self.rng.choice(["dev", "staging", "prod"]), index)
            return self.role(name, self.corpus.trust(), self.inline(self.rng.choice([0, 1, 1, 2, 3])),
                             self.attachments(self.rng.choice([0, 1, 2, 3])))
        entries("RoleDetailList", next_role, 0.55)
        aws_managed = iter(self.corpus.managed)
        customer_index = iter(range(10**9))
        turn = iter(range(10**9))

        def next_policy():
            # Customer managed and AWS managed policies alternate, so both kinds are present at any size.
            aws = next(aws_managed, None) if next(turn) % 2 else None
            if aws is not None:
                return self.managed(aws[0], "arn:aws:iam::aws:policy/" + aws[0], [aws[1]], path="/service-role/")
            name = "customer-policy-%d" % next(customer_index)
            documents = [self.corpus.permission() for _ in range(self.rng.choice([1, 1, 2, 3]))]
            return self.managed(name, "arn:aws:iam::%s:policy/%s" % (ACCOUNT, name), documents)
        entries("Policies", next_policy, 1.0, last=True)
        emit("}\n")

    def user(self, index):
        name = "%s-user-%d" % (self.rng.choice(WORDS), index)
        return {"Path": "/", "UserName": name, "UserId": self.identifier("AIDA"), "Arn": "arn:aws:iam::%s:user/%s" % (ACCOUNT, name),
                "CreateDate": self.date(), "UserPolicyList": self.inline(self.rng.choice([0, 1, 1, 2])),
                "GroupList": ["%s-group-%d" % (self.rng.choice(WORDS), self.rng.randrange(50))],
                "AttachedManagedPolicies": self.attachments(self.rng.choice([0, 1])), "Tags": []}

    def group(self, index):
        name = "%s-group-%d" % (self.rng.choice(WORDS), index)
        return {"Path": "/", "GroupName": name, "GroupId": self.identifier("AGPA"), "Arn": "arn:aws:iam::%s:group/%s" % (ACCOUNT, name),
                "CreateDate": self.date(), "GroupPolicyList": self.inline(self.rng.choice([1, 1, 2])),
                "AttachedManagedPolicies": self.attachments(self.rng.choice([0, 1, 2]))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100, help="approximate size of the dump in MiB (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same bytes (default 1)")
    parser.add_argument("--shared", help="folder holding corpus/aws-managed and corpus/github-oidc-trust")
    parser.add_argument("--design", help="an iam-audit.json whose environments' roles the dump includes")
    parser.add_argument("--output", help="file to write (default: standard output)")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            Generator(args).write(out)
    else:
        Generator(args).write(sys.stdout)


if __name__ == "__main__":
    main()
