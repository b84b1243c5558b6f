#!/usr/bin/env bash
# Turns the deployment of infra/main.bicep into a working setup, once after `az stack sub create` (docs/deploy.md),
# and again whenever the deployment's outputs change. Idempotent: every step sets a value rather than adding one.
#
#   1. GitHub: creates the environments the outputs name (build, dev, prod) with `gh api`, then sets the repository
#      variables and each environment's variables with `gh variable set` (none is a secret).
#   2. Key Vault: generates each environment's Redis password into its vault, unless one is there already (rotation
#      is a separate, deliberate step: docs/deploy.md). The password goes from openssl to az through a pipe: it is
#      never printed, never in a command line, never in a file.
#   3. Registry: imports the Redis image into the project's registry, by digest (nodes never pull from Docker Hub, nor
#      by a tag that can move).
#   4. Manifests: writes the tenant, each environment's Key Vault name and workload identity client id, the service
#      account name, the cluster's pod network and the Redis image by digest (ids, names, a CIDR and an image, never a
#      secret) into AppHost/appsettings.json, and regenerates gitops-manifests/ from them: each overlay's
#      SecretProviderClass then reads its environment's vault, the Web trusts forwarded headers from the pod network
#      the cluster really runs, and Redis comes from the registry. Commit it.
#   5. Repository: the environment branches and the rulesets (.github/scripts/configure-repository.sh; with one
#      maintainer, REQUIRED_APPROVALS=0 asks for no approval and keeps every pull request and check required).
#   6. Ingress: turns on application routing's Gateway API implementation (GatewayClass approuting-istio).
#   7. Grafana: imports infra/grafana/voting-dashboard.json, bound to the deployment's Log Analytics workspace.
#
# Needs: az (signed in as the admin named in main.bicepparam), gh (signed in, admin of the repository), git (able to
# push), jq, openssl and dotnet (renders the manifests from the AppHost).
#
# Usage: infra/bootstrap.sh [STACK_NAME]    (default: voting, the name docs/deploy.md deploys under)
set -euo pipefail

stack=${1:-voting}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
redis_source=${REDIS_SOURCE_IMAGE:-docker.io/library/redis:8.6}

for tool in az gh git jq openssl dotnet; do
    command -v "$tool" >/dev/null || { echo "bootstrap: $tool is required" >&2; exit 1; }
done

outputs=$(az stack sub show --name "$stack" --query outputs --output json)
output() { jq -r "$1" <<<"$outputs"; }
github_repository=$(gh repo view --json nameWithOwner --jq .nameWithOwner)
resource_group=$(output '.githubRepositoryVariables.value.AKS_RESOURCE_GROUP')
cluster=$(output '.githubRepositoryVariables.value.AKS_CLUSTER')
registry=$(output '.githubRepositoryVariables.value.ACR_NAME')
login_server=$(output '.registryLoginServer.value')

echo "== GitHub environments and variables ($github_repository)"
while read -r environment; do
    gh api --method PUT "repos/$github_repository/environments/$environment" --silent
done < <(output '.githubEnvironments.value[].name')

while IFS=$'\t' read -r name value; do
    gh variable set "$name" --body "$value"
done < <(output '.githubRepositoryVariables.value | to_entries[] | [.key, .value] | @tsv')

# shellcheck disable=SC2016 # $env is a jq variable
while IFS=$'\t' read -r environment name value; do
    gh variable set "$name" --env "$environment" --body "$value"
done < <(output '.githubEnvironments.value[] | .name as $env | .variables | to_entries[] | select(.value != null) | [$env, .key, .value] | @tsv')

echo "== Redis password in each environment's Key Vault"
while IFS=$'\t' read -r environment vault; do
    if az keyvault secret show --vault-name "$vault" --name redis-password --query id --output none 2>/dev/null; then
        echo "$environment: $vault already holds redis-password (kept; see docs/deploy.md to rotate it)"
    else
        openssl rand -hex 32 | tr -d '\n' |
            az keyvault secret set --vault-name "$vault" --name redis-password --file /dev/stdin --encoding utf-8 --output none
        echo "$environment: generated redis-password in $vault"
    fi
done < <(output '.kubernetesEnvironments.value[] | [.name, .keyVaultName] | @tsv')

echo "== Redis image: $redis_source into $login_server, by digest"
az acr import --name "$registry" --source "$redis_source" --image "redis:${redis_source##*:}" --force
digest=$(az acr repository show --name "$registry" --image "redis:${redis_source##*:}" --query digest --output tsv)

echo "== Key Vault and workload identity ids, the pod network and the Redis image into AppHost/appsettings.json, then the manifests"
settings=$repo_root/AppHost/appsettings.json
updated=$(mktemp)
jq --arg tenant "$(output '.githubRepositoryVariables.value.AZURE_TENANT_ID')" \
    --arg account "$(output '.workloadServiceAccountName.value')" \
    --arg podCidr "$(output '.podCidr.value')" \
    --arg redis "$login_server/redis@$digest" \
    --argjson environments "$(output '.kubernetesEnvironments.value | map({(.name): {KeyVaultName: .keyVaultName, WorkloadClientId: .workloadClientId}}) | add')" \
    '.Kubernetes.Azure.TenantId = $tenant | .Kubernetes.WorkloadServiceAccountName = $account | .Kubernetes.PodCidr = $podCidr
     | .Kubernetes.ContainerImages.redis = $redis | .Kubernetes.Environments = $environments' \
    "$settings" >"$updated"
mv "$updated" "$settings"
(cd "$repo_root" && dotnet run --project AppHost -- --operation publish --step kubernetes-manifests --output-path ../gitops-manifests)

echo "== Repository: environment branches and rulesets"
(cd "$repo_root" && .github/scripts/configure-repository.sh)

echo "== Ingress: application routing's Gateway API implementation (approuting-istio)"
az aks update --resource-group "$resource_group" --name "$cluster" --enable-gateway-api --output none
az aks approuting gateway istio enable --resource-group "$resource_group" --name "$cluster" --output none

echo "== Grafana dashboard"
az extension add --name amg --upgrade --only-show-errors
dashboard=$(mktemp)
trap 'rm -f "$dashboard"' EXIT
jq --arg workspace "$(output '.logAnalyticsWorkspaceId.value')" \
    '(.templating.list[] | select(.name == "workspace")) |= (.query = $workspace | .current = {text: $workspace, value: $workspace})' \
    "$repo_root/infra/grafana/voting-dashboard.json" >"$dashboard"
az grafana dashboard import --resource-group "$resource_group" --name "$(output '.grafanaName.value')" \
    --definition "$dashboard" --overwrite true --output none

echo
echo "Done. Commit the Azure ids and the manifests rendered from them (the overlays also name Redis by its new digest):"
echo "  git add AppHost/appsettings.json gitops-manifests && git commit -m 'Key Vault ids, Redis from $registry by digest'"
