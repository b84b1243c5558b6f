metadata name = 'AKS cluster'
metadata description = 'One AKS cluster for both environments (namespaces voting-dev and voting-prod), with managed Prometheus and Container insights wired to the monitoring workspaces.'

import { resourceTags } from 'types.bicep'
import { deployerCondition } from 'deployer-permissions.bicep'
import { roles } from 'roles.bicep'

@description('Required. Cluster name.')
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Optional. Free has no uptime SLA and costs nothing; Standard (about USD 73 a month) adds the SLA and is what production clusters use.')
@allowed([
  'Free'
  'Standard'
])
param skuTier string = 'Free'

@description('Optional. Node size. Standard_D2as_v5 (2 vCPU, 8 GiB, about USD 63 a month each) is the smallest general-purpose size that holds the app, the gateway and the Container insights collector pods.')
param nodeVmSize string = 'Standard_D2as_v5'

@description('Optional. Availability zones the nodes run in, one node pool each. Redis keeps its votes on a zone-redundant disk, which exists only in regions with zones.')
@minLength(2)
param availabilityZones string[] = [
  '1'
  '2'
  '3'
]

@description('Optional. Fewest nodes the cluster autoscaler keeps in each zone: at least one, so a pod whose zone is lost always has a node in another zone to move to.')
@minValue(1)
param nodeMinCountPerZone int = 1

@description('Optional. Most nodes the cluster autoscaler adds in each zone.')
@minValue(1)
param nodeMaxCountPerZone int = 2

@description('Required. The pod network (Azure CNI overlay): what the Web trusts forwarded headers from, so it is pinned here rather than left to the AKS default.')
param podCidr string

@description('Required. The Log Analytics workspace Container insights writes to.')
param logAnalyticsWorkspaceId string

@description('Required. The Azure Monitor workspace managed Prometheus writes to.')
param azureMonitorWorkspaceId string

@description('Required. The registry the kubelet pulls from (AcrPull only).')
param registryName string

@description('Required. Who administers the cluster (applies guardrails, namespaces): Azure Kubernetes Service RBAC Cluster Admin.')
param adminPrincipalId string

@description('Required. The admin principal kind.')
@allowed([
  'User'
  'Group'
])
param adminPrincipalType string

@description('Required. Deploy identities: each may write only inside its own namespace.')
param namespaceWriters namespaceWriter[]

@description('Required. The role each deploy identity holds in its namespace (main.bicep, from deployer-permissions.bicep).')
param namespaceWriterRoleId string

@description('A deploy identity and the one namespace it writes to.')
type namespaceWriter = {
  @description('The identity service principal object ID.')
  principalId: string
  @description('The identity name (a stable seed for role assignment IDs).')
  identityName: string
  @description('The namespace, e.g. voting-dev.')
  namespace: string
}

resource cluster 'Microsoft.ContainerService/managedClusters@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Base'
    tier: skuTier
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: name
    // Entra ID sign-in with Azure RBAC for Kubernetes; no local admin certificate can bypass it.
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    disableLocalAccounts: true
    enableRBAC: true
    // One pool per zone, as AKS advises for stateful workloads: the autoscaler scales each zone on its own, so neither a
    // scale-down nor a node-image upgrade can leave a zone without a node.
    agentPoolProfiles: [
      for zone in availabilityZones: {
        name: 'system${zone}'
        mode: 'System'
        vmSize: nodeVmSize
        osType: 'Linux'
        osSKU: 'AzureLinux'
        availabilityZones: [
          zone
        ]
        enableAutoScaling: true
        count: nodeMinCountPerZone
        minCount: nodeMinCountPerZone
        maxCount: nodeMaxCountPerZone
        upgradeSettings: {
          maxSurge: '1'
        }
      }
    ]
    autoScalerProfile: {
      // Keeps the per-zone pools the same size, so pods spread over zones find room in each.
      'balance-similar-node-groups': 'true'
    }
    // Overlay pod IPs do not consume VNet addresses; Cilium enforces the generated NetworkPolicies.
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
      loadBalancerSku: 'standard'
      podCidr: podCidr
    }
    // The Azure Disk CSI driver provisions Redis' zone-redundant disk; the snapshot controller lets Azure Backup
    // snapshot it.
    storageProfile: {
      diskCSIDriver: {
        enabled: true
      }
      snapshotController: {
        enabled: true
      }
    }
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    autoUpgradeProfile: {
      upgradeChannel: 'patch'
      nodeOSUpgradeChannel: 'NodeImage'
    }
    addonProfiles: {
      // The Secrets Store CSI driver: pods read the Redis password from Key Vault through a SecretProviderClass.
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
          rotationPollInterval: '2m'
        }
      }
      // Container insights (its collector signs in with its managed identity).
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: logAnalyticsWorkspaceId
          useAADAuth: 'true'
        }
      }
    }
    azureMonitorProfile: {
      metrics: {
        enabled: true
      }
    }
    // Application routing's Gateway API implementation (GatewayClass approuting-istio) is switched on by
    // bootstrap.sh with the az CLI: this API version's published schema has no ingressProfile.gatewayAPI or
    // webAppRouting.gatewayAPIImplementations yet. webAppRouting stays off: its NGINX implementation is retired.
  }
}

// Managed Prometheus: a data collection endpoint and rule that send the cluster's metrics to the Azure Monitor workspace.
resource prometheusEndpoint 'Microsoft.Insights/dataCollectionEndpoints@2024-03-11' = {
  name: 'MSProm-${location}-${name}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {}
}

resource prometheusRule 'Microsoft.Insights/dataCollectionRules@2024-03-11' = {
  name: 'MSProm-${location}-${name}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataCollectionEndpointId: prometheusEndpoint.id
    dataSources: {
      prometheusForwarder: [
        {
          name: 'PrometheusDataSource'
          streams: [
            'Microsoft-PrometheusMetrics'
          ]
          labelIncludeFilter: {}
        }
      ]
    }
    destinations: {
      monitoringAccounts: [
        {
          name: 'MonitoringAccount'
          accountResourceId: azureMonitorWorkspaceId
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          'Microsoft-PrometheusMetrics'
        ]
        destinations: [
          'MonitoringAccount'
        ]
      }
    ]
  }
}

resource prometheusRuleAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  name: 'MSProm-${location}-${name}'
  scope: cluster
  properties: {
    dataCollectionRuleId: prometheusRule.id
  }
}

resource prometheusEndpointAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  name: 'configurationAccessEndpoint'
  scope: cluster
  properties: {
    dataCollectionEndpointId: prometheusEndpoint.id
  }
}

// Container insights: pod inventory, Kubernetes events and container logs to the Log Analytics workspace.
resource containerInsightsRule 'Microsoft.Insights/dataCollectionRules@2024-03-11' = {
  name: 'MSCI-${location}-${name}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataSources: {
      extensions: [
        {
          name: 'ContainerInsightsExtension'
          extensionName: 'ContainerInsights'
          streams: [
            'Microsoft-ContainerInsights-Group-Default'
          ]
          extensionSettings: {
            dataCollectionSettings: {
              interval: '1m'
              namespaceFilteringMode: 'Off'
              enableContainerLogV2: true
            }
          }
        }
      ]
    }
    destinations: {
      logAnalytics: [
        {
          name: 'ciworkspace'
          workspaceResourceId: logAnalyticsWorkspaceId
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          'Microsoft-ContainerInsights-Group-Default'
        ]
        destinations: [
          'ciworkspace'
        ]
      }
    ]
  }
}

resource containerInsightsAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  name: 'ContainerInsightsExtension'
  scope: cluster
  properties: {
    dataCollectionRuleId: containerInsightsRule.id
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

// The kubelet pulls images with its own identity: no image pull secret anywhere.
resource kubeletAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, cluster.id, roles.acrPull)
  scope: registry
  properties: {
    principalId: cluster.properties.identityProfile.kubeletidentity.objectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

resource adminClusterAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, adminPrincipalId, roles.aksRbacClusterAdmin)
  scope: cluster
  properties: {
    principalId: adminPrincipalId
    principalType: adminPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.aksRbacClusterAdmin)
  }
}

// Lets the deploy identity fetch a kubeconfig (az aks get-credentials); what it may do inside comes from below.
resource writerClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for writer in namespaceWriters: {
    name: guid(cluster.id, writer.identityName, roles.aksClusterUser)
    scope: cluster
    properties: {
      principalId: writer.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.aksClusterUser)
    }
  }
]

// Applies the app's objects in its own namespace only, and reads no Secret there.
module writerNamespace 'namespace-role.bicep' = [
  for writer in namespaceWriters: {
    params: {
      clusterName: cluster.name
      namespace: writer.namespace
      principalId: writer.principalId
      principalName: writer.identityName
      roleDefinitionId: namespaceWriterRoleId
      condition: deployerCondition
    }
  }
]

@description('The cluster resource ID.')
output id string = cluster.id

@description('The cluster name.')
output name string = cluster.name

@description('The cluster identity (creates the backup snapshots).')
output principalId string = cluster.identity.principalId

@description('The OIDC issuer URL workload identities federate with.')
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
