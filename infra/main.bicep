metadata name = 'Voting app on AKS'
metadata description = 'Everything the voting app needs in Azure: one AKS cluster hosting the dev and prod namespaces, the registry, the GitHub and workload identities, one Key Vault per environment, monitoring, the Grafana dashboard host and the alerts.'

import { resourceTags } from 'modules/types.bicep'

targetScope = 'subscription'

import { deployerDataActions } from 'modules/deployer-permissions.bicep'

@description('Optional. Azure region for every resource.')
param location string = deployment().location

@description('Optional. Name stem of every resource (letters and digits).')
@minLength(3)
@maxLength(10)
param baseName string = 'voting'

@description('Optional. The resource group that holds everything (deleting it removes the app).')
param resourceGroupName string = 'rg-${baseName}'

@description('Required. The GitHub repository, OWNER/REPO, whose workflows sign in (federated credentials).')
param githubRepository string

@description('Required. Object ID of the platform admin (a user or, better, a group): cluster admin, secret writer, Grafana admin.')
param adminPrincipalId string

@description('Optional. The admin principal kind.')
@allowed([
  'User'
  'Group'
])
param adminPrincipalType string = 'User'

@description('Required. Where alerts are e-mailed.')
param alertEmail string

@description('Required. Where each environment Web answers (APP_BASE_URL, the smoke test target), by environment name.')
param appBaseUrls appBaseUrlsByEnvironment

@description('Optional. How CD deploys (DEPLOY_MODE): gitops (Argo CD or Flux pull from Git) or push (the workflow applies).')
@allowed([
  'gitops'
  'push'
])
param deployMode string = 'gitops'

@description('Optional. Availability zones, one node pool each. Redis keeps its votes on a zone-redundant disk (Premium_ZRS), which Azure offers in every region with availability zones and nowhere else: choose such a region.')
@minLength(2)
param availabilityZones string[] = [
  '1'
  '2'
  '3'
]

@description('Optional. Node size (see modules/cluster.bicep for the cost). It must take Premium SSD disks (an "s" in the size name).')
param nodeVmSize string = 'Standard_D2as_v5'

@description('Optional. Fewest nodes the cluster autoscaler keeps in each zone.')
@minValue(1)
param nodeMinCountPerZone int = 1

@description('Optional. Most nodes the cluster autoscaler adds in each zone.')
@minValue(1)
param nodeMaxCountPerZone int = 2

@description('Optional. The pod network. The Web trusts forwarded headers from it (the gateway proxies are pods): the generated manifests must name the same network (output podCidr).')
param podCidr string = '10.244.0.0/16'

@description('Optional. AKS tier: Free (no SLA) or Standard (uptime SLA).')
@allowed([
  'Free'
  'Standard'
])
param aksSkuTier string = 'Free'

@description('Optional. Azure Managed Grafana tier (see modules/monitoring.bicep).')
@allowed([
  'Essential'
  'Standard'
])
param grafanaSku string = 'Standard'

@description('Optional. Suffix that makes the registry and vault names globally unique; change it to redeploy within a week of a teardown (deleted vaults keep their names until purge protection ends).')
@maxLength(13)
param uniqueSuffix string = uniqueString(subscription().id, resourceGroupName)

@description('Optional. Tags for every resource.')
param tags resourceTags = {
  application: 'voting'
}

@description('The URL of the Web of each deployed environment.')
type appBaseUrlsByEnvironment = {
  @description('The dev Web, e.g. http://dev.voting.example.com')
  dev: string
  @description('The prod Web, e.g. http://voting.example.com')
  prod: string
}

@description('What one GitHub environment receives as variables (gh variable set --env).')
type githubEnvironmentVariables = {
  @description('The identity the environment jobs sign in as.')
  AZURE_CLIENT_ID: string
  @description('Where the environment Web answers; absent for build.')
  APP_BASE_URL: string?
}

@description('A GitHub environment and its variables.')
type githubEnvironment = {
  @description('The GitHub environment name.')
  name: string
  @description('Its variables.')
  variables: githubEnvironmentVariables
}

@description('The repository-level GitHub variables (gh variable set).')
type githubRepositoryVariables = {
  @description('The tenant every identity belongs to.')
  AZURE_TENANT_ID: string
  @description('The subscription the workflows sign in to.')
  AZURE_SUBSCRIPTION_ID: string
  @description('Region of the deployment (what-if needs it).')
  AZURE_LOCATION: string
  @description('The read-only identity the what-if workflow signs in as (pull requests).')
  AZURE_WHATIF_CLIENT_ID: string
  @description('The registry name, without .azurecr.io.')
  ACR_NAME: string
  @description('Where dev\'s Web answers: the promotion workflow checks it, read-only, before proposing prod.')
  DEV_APP_BASE_URL: string
  @description('The resource group of the cluster.')
  AKS_RESOURCE_GROUP: string
  @description('The cluster name.')
  AKS_CLUSTER: string
  @description('push or gitops.')
  DEPLOY_MODE: string
}

@description('What the generated Kubernetes manifests need from Azure for one environment (AppHost settings).')
type kubernetesEnvironment = {
  @description('dev or prod.')
  name: string
  @description('Its namespace.')
  namespace: string
  @description('The vault the SecretProviderClass reads.')
  keyVaultName: string
  @description('The workload identity client ID (service account annotation).')
  workloadClientId: string
}

@description('A Kubernetes StorageClass (storage.k8s.io/v1): what the generated manifests render.')
type storageClass = {
  @description('metadata.name, which the Redis volume claim names.')
  name: string
  @description('The CSI driver.')
  provisioner: string
  @description('Driver parameters, e.g. skuName.')
  parameters: {
    *: string
  }
  @description('Retain: a deleted claim leaves its disk.')
  reclaimPolicy: 'Retain' | 'Delete'
  @description('WaitForFirstConsumer: the disk is made where its pod is scheduled.')
  volumeBindingMode: 'WaitForFirstConsumer' | 'Immediate'
  @description('Whether a claim can grow.')
  allowVolumeExpansion: bool
}

// The environments the app is deployed to: namespaces of the one cluster (the contract the manifests follow).
var deployEnvironments = [
  {
    name: 'dev'
    namespace: 'voting-dev'
  }
  {
    name: 'prod'
    namespace: 'voting-prod'
  }
]

// The Kubernetes service account the app pods run as in each namespace; its token is exchanged for the
// environment workload identity, which may read that environment vault and nothing else.
var workloadServiceAccountName = 'voting'

var registryName = take('cr${baseName}${uniqueSuffix}', 50)
var clusterName = 'aks-${baseName}'
var backupVaultName = 'bvault-${baseName}'

// Names known before deployment: modules that name or find resources by them stay precise under what-if.
var buildIdentityName = 'id-${baseName}-github-build'
var deployIdentityNames = map(deployEnvironments, e => 'id-${baseName}-github-${e.name}')
var workloadIdentityNames = map(deployEnvironments, e => 'id-${baseName}-${e.name}-workload')

resource group 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

// GitHub identities: build pushes images; dev and prod deploy (push mode) into their namespace only.
module buildIdentity 'modules/github-identity.bicep' = {
  scope: group
  params: {
    name: buildIdentityName
    location: location
    tags: tags
    githubRepository: githubRepository
    githubSubjectSuffix: 'environment:build'
  }
}

module deployIdentities 'modules/github-identity.bicep' = [
  for (environment, i) in deployEnvironments: {
    scope: group
    params: {
      name: deployIdentityNames[i]
      location: location
      tags: tags
      githubRepository: githubRepository
      githubSubjectSuffix: 'environment:${environment.name}'
    }
  }
]

// Pull requests that change infra/ preview the deployment with what-if and may read, never write.
module whatIfIdentity 'modules/github-identity.bicep' = {
  scope: group
  params: {
    name: 'id-${baseName}-github-whatif'
    location: location
    tags: tags
    githubRepository: githubRepository
    githubSubjectSuffix: 'pull_request'
  }
}

// What-if with --validation-level ProviderNoRbac checks read access to each resource instead of write access: reading
// everything the subscription-scope deployment touches, plus previewing and validating deployments, is all it needs.
resource whatIfRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, resourceGroupName, 'whatif-role')
  properties: {
    roleName: 'Voting infra what-if (${subscription().subscriptionId}/${resourceGroupName})'
    description: 'Previews and validates the voting app deployment (az deployment sub what-if --validation-level ProviderNoRbac); reads, never writes.'
    type: 'CustomRole'
    assignableScopes: [
      subscription().id
    ]
    permissions: [
      {
        actions: [
          '*/read'
          'Microsoft.Resources/deployments/whatIf/action'
          'Microsoft.Resources/deployments/validate/action'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource whatIfAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, resourceGroupName, 'whatif', whatIfRole.id)
  properties: {
    principalId: whatIfIdentity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: whatIfRole.id
  }
}

// Push mode: what each deploy identity may do in its namespace, where modules/cluster.bicep assigns it.
resource deployerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, resourceGroupName, 'deployer-role')
  properties: {
    roleName: 'Voting namespace deployer (${subscription().subscriptionId}/${resourceGroupName})'
    description: 'Applies, prunes and watches the voting app objects in one namespace. Cannot read Secrets, exec or attach to pods, port-forward, request service account tokens or impersonate.'
    type: 'CustomRole'
    assignableScopes: [
      group.id
    ]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: deployerDataActions
        notDataActions: []
      }
    ]
  }
}

module registry 'modules/registry.bicep' = {
  scope: group
  params: {
    name: registryName
    location: location
    tags: tags
    pushPrincipalId: buildIdentity.outputs.principalId
    pushIdentityName: buildIdentityName
    pullIdentities: [
      for (environment, i) in deployEnvironments: {
        principalId: deployIdentities[i].outputs.principalId
        name: deployIdentityNames[i]
      }
    ]
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: {
    baseName: baseName
    location: location
    tags: tags
    environmentNames: map(deployEnvironments, e => e.name)
    grafanaSku: grafanaSku
    adminPrincipalId: adminPrincipalId
    adminPrincipalType: adminPrincipalType
    alertEmail: alertEmail
  }
}

module cluster 'modules/cluster.bicep' = {
  scope: group
  // Grants the kubelet AcrPull on the registry, found by name.
  dependsOn: [
    registry
  ]
  params: {
    name: clusterName
    location: location
    tags: tags
    skuTier: aksSkuTier
    nodeVmSize: nodeVmSize
    availabilityZones: availabilityZones
    nodeMinCountPerZone: nodeMinCountPerZone
    nodeMaxCountPerZone: nodeMaxCountPerZone
    podCidr: podCidr
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    azureMonitorWorkspaceId: monitoring.outputs.prometheusWorkspaceId
    registryName: registryName
    adminPrincipalId: adminPrincipalId
    adminPrincipalType: adminPrincipalType
    namespaceWriterRoleId: deployerRole.id
    namespaceWriters: [
      for (environment, i) in deployEnvironments: {
        principalId: deployIdentities[i].outputs.principalId
        identityName: deployIdentityNames[i]
        namespace: environment.namespace
      }
    ]
  }
}

module workloadIdentities 'modules/workload-identity.bicep' = [
  for (environment, i) in deployEnvironments: {
    scope: group
    params: {
      name: workloadIdentityNames[i]
      location: location
      tags: tags
      oidcIssuerUrl: cluster.outputs.oidcIssuerUrl
      namespace: environment.namespace
      serviceAccountName: workloadServiceAccountName
    }
  }
]

module vaults 'modules/key-vault.bicep' = [
  for (environment, i) in deployEnvironments: {
    scope: group
    params: {
      name: take('kv-${baseName}-${environment.name}-${uniqueSuffix}', 24)
      location: location
      tags: tags
      readerPrincipalId: workloadIdentities[i].outputs.principalId
      readerIdentityName: workloadIdentityNames[i]
      adminPrincipalId: adminPrincipalId
      adminPrincipalType: adminPrincipalType
      applicationInsightsName: 'appi-${baseName}-${environment.name}'
    }
  }
]

module alerts 'modules/alerts.bicep' = {
  scope: group
  // The Prometheus rules find the cluster by name.
  dependsOn: [
    cluster
  ]
  params: {
    baseName: baseName
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    environments: [
      for (environment, i) in deployEnvironments: {
        name: environment.name
        namespace: environment.namespace
        applicationInsightsId: monitoring.outputs.applicationInsightsIds[i]
      }
    ]
    prometheusWorkspaceId: monitoring.outputs.prometheusWorkspaceId
    clusterName: clusterName
    actionGroupId: monitoring.outputs.actionGroupId
  }
}

// Azure Backup for AKS: the snapshots live in a group of their own, so the cluster's Contributor right reaches nothing else.
resource snapshotGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: '${resourceGroupName}-backup-snapshots'
  location: location
  tags: tags
}

module backup 'modules/backup.bicep' = {
  scope: group
  params: {
    vaultName: backupVaultName
    location: location
    tags: tags
    clusterName: clusterName
    storageAccountName: take('stbk${baseName}${uniqueSuffix}', 24)
  }
}

module backupSnapshots 'modules/backup-snapshots.bicep' = {
  scope: snapshotGroup
  params: {
    vaultPrincipalId: backup.outputs.vaultPrincipalId
    clusterPrincipalId: cluster.outputs.principalId
  }
}

module backupInstance 'modules/backup-instance.bicep' = {
  scope: group
  // The vault must hold its snapshot rights before it can protect anything.
  dependsOn: [
    backupSnapshots
  ]
  params: {
    vaultName: backupVaultName
    policyId: backup.outputs.policyId
    clusterName: clusterName
    location: location
    snapshotResourceGroupId: snapshotGroup.id
    namespaces: [for environment in deployEnvironments: environment.namespace]
  }
}

@description('Repository variables for the workflows (bootstrap.sh sets each with gh variable set).')
output githubRepositoryVariables githubRepositoryVariables = {
  AZURE_TENANT_ID: tenant().tenantId
  AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
  AZURE_LOCATION: location
  AZURE_WHATIF_CLIENT_ID: whatIfIdentity.outputs.clientId
  ACR_NAME: registry.outputs.name
  DEV_APP_BASE_URL: appBaseUrls.dev
  AKS_RESOURCE_GROUP: group.name
  AKS_CLUSTER: cluster.outputs.name
  DEPLOY_MODE: deployMode
}

@description('GitHub environments and their variables (bootstrap.sh creates each environment, then gh variable set --env).')
output githubEnvironments githubEnvironment[] = [
  {
    name: 'build'
    variables: {
      AZURE_CLIENT_ID: buildIdentity.outputs.clientId
    }
  }
  {
    name: deployEnvironments[0].name
    variables: {
      AZURE_CLIENT_ID: deployIdentities[0].outputs.clientId
      APP_BASE_URL: appBaseUrls.dev
    }
  }
  {
    name: deployEnvironments[1].name
    variables: {
      AZURE_CLIENT_ID: deployIdentities[1].outputs.clientId
      APP_BASE_URL: appBaseUrls.prod
    }
  }
]

@description('What the generated manifests need per environment: bootstrap.sh writes it into AppHost/appsettings.json.')
output kubernetesEnvironments kubernetesEnvironment[] = [
  for (environment, i) in deployEnvironments: {
    name: environment.name
    namespace: environment.namespace
    keyVaultName: vaults[i].outputs.name
    workloadClientId: workloadIdentities[i].outputs.clientId
  }
]

@description('The Kubernetes service account the app pods run as (federated with each workload identity).')
output workloadServiceAccountName string = workloadServiceAccountName

@description('The registry login server, e.g. crvotingxyz.azurecr.io (bootstrap.sh imports Redis into it).')
output registryLoginServer string = registry.outputs.loginServer

@description('The Grafana instance the committed dashboard is imported into.')
output grafanaName string = monitoring.outputs.grafanaName

@description('The Log Analytics workspace the dashboard queries.')
output logAnalyticsWorkspaceId string = monitoring.outputs.workspaceId

@description('The pod network the cluster runs (networkProfile.podCidr): the generated manifests trust forwarded headers from it (bootstrap.sh writes it into AppHost/appsettings.json).')
output podCidr string = podCidr

@description('The StorageClass Redis claims its disk from: zone-redundant, so Redis can start in any zone; kept when its claim is deleted. Cluster-scoped: applied once by a cluster admin with the platform objects.')
output redisStorageClass storageClass = {
  name: 'voting-premium-zrs'
  provisioner: 'disk.csi.azure.com'
  parameters: {
    skuName: 'Premium_ZRS'
  }
  reclaimPolicy: 'Retain'
  volumeBindingMode: 'WaitForFirstConsumer'
  allowVolumeExpansion: true
}
