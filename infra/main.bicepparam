// One deployment for both environments: dev and prod are namespaces of one cluster (voting-dev, voting-prod),
// each with its own GitHub identity, workload identity, Key Vault and Application Insights. Replace the
// placeholders, or override them on the command line (docs/deploy.md).
using 'main.bicep'

param githubRepository = readEnvironmentVariable('GITHUB_REPOSITORY', 'your-org/voting-app')
param adminPrincipalId = readEnvironmentVariable('AZURE_ADMIN_PRINCIPAL_ID', '00000000-0000-0000-0000-000000000000')
param alertEmail = readEnvironmentVariable('ALERT_EMAIL', 'oncall@example.com')
param appBaseUrls = {
  dev: 'http://dev.voting.example.com'
  prod: 'http://voting.example.com'
}
