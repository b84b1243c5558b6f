// The one deployment of this sample: dev and prod are namespaces of one cluster (voting-dev, voting-prod), each
// with its own GitHub identity, workload identity, Key Vault and Application Insights. Commit your values here:
// the pull-request what-if (.github/workflows/infra-whatif.yml) previews exactly what this file deploys.
using 'main.bicep'

// OWNER/REPO of your copy of this repository: its workflows are the only ones the identities trust. Until you set it,
// they trust no repository: a GitHub owner name cannot contain a dot, so nobody can create example.invalid.
param githubRepository = 'example.invalid/voting-app'

// The platform admin (az ad signed-in-user show --query id -o tsv, or a group's object ID with adminPrincipalType).
param adminPrincipalId = '00000000-0000-0000-0000-000000000000'

param alertEmail = 'oncall@example.com'

// Where each environment's Web answers (the Gateway's address, see docs/deploy.md); the smoke test calls it.
param appBaseUrls = {
  dev: 'https://dev.voting.example.com'
  prod: 'https://voting.example.com'
}
