metadata name = 'Namespace-scoped AKS role'
metadata description = 'Assigns an Azure RBAC for Kubernetes role at one namespace of one cluster (<clusterId>/namespaces/<name>).'

@description('Required. The cluster name.')
param clusterName string

@description('Required. The namespace the role applies to.')
param namespace string

@description('Required. The principal (a service principal of a managed identity).')
param principalId string

@description('Required. The principal name (a stable seed for the role assignment ID).')
param principalName string

@description('Required. The role definition resource ID.')
param roleDefinitionId string

@description('Optional. An Azure ABAC condition (version 2.0) that narrows the role, e.g. to some custom resource kinds.')
param condition string?

resource cluster 'Microsoft.ContainerService/managedClusters@2026-01-01' existing = {
  name: clusterName
}

// Only its ID is used: <clusterId>/namespaces/<name>, the scope Azure RBAC for Kubernetes reads as "this namespace".
// The Kubernetes namespace itself is created by Argo CD / Flux or the platform admin, not by ARM.
#disable-next-line BCP081 // the bundled types lack this child type; an existing reference needs only its ID
resource clusterNamespace 'Microsoft.ContainerService/managedClusters/namespaces@2026-01-01' existing = {
  parent: cluster
  name: namespace
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(clusterNamespace.id, principalName, roleDefinitionId)
  scope: clusterNamespace
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
    condition: condition
    conditionVersion: condition == null ? null : '2.0'
  }
}
