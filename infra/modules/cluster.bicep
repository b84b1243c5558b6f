metadata name = 'AKS cluster'
metadata description = 'One AKS cluster for both environments (namespaces voting-dev and voting-prod), with managed Prometheus and Container insights wired to the monitoring workspaces.'

import { resourceTags } from 'types.bicep'
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

@description('Optional. Node size. Standard_D2as_v5 (2 vCPU, 8 GiB, about USD 63 a month each) is the smallest general-purpose size that holds the app, the gateway and the monitoring agents.')
param nodeVmSize string = 'Standard_D2as_v5'

@description('Optional. Availability zones for the nodes; empty in regions without zones.')
param availabilityZones string[] = [
  '1'
  '2'
  '3'
]

@description('Optional. Fewest nodes the cluster autoscaler keeps.')
@minValue(1)
param nodeMinCount int = 1

@description('Optional. Most nodes the cluster autoscaler adds.')
@minValue(1)
param nodeMaxCount int = 3

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
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        vmSize: nodeVmSize
        osType: 'Linux'
        osSKU: 'AzureLinux'
        availabilityZones: availabilityZones
        enableAutoScaling: true
        count: nodeMinCount
        minCount: nodeMinCount
        maxCount: nodeMaxCount
        upgradeSettings: {
          maxSurge: '33%'
        }
      }
    ]
    // Overlay pod IPs do not consume VNet addresses; Cilium enforces the generated NetworkPolicies.
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
      loadBalancerSku: 'standard'
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
      // Container insights (the agent signs in with its managed identity).
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

// Writes the app's objects in its own namespace only: no roles, role bindings, or other namespaces.
module writerNamespace 'namespace-role.bicep' = [
  for writer in namespaceWriters: {
    params: {
      clusterName: cluster.name
      namespace: writer.namespace
      principalId: writer.principalId
      principalName: writer.identityName
      roleDefinitionGuid: roles.aksRbacWriter
    }
  }
]

@description('The cluster resource ID.')
output id string = cluster.id

@description('The cluster name.')
output name string = cluster.name

@description('The OIDC issuer URL workload identities federate with.')
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
