metadata name = 'Backup snapshot access'
metadata description = 'What Azure Backup for AKS needs on the resource group that holds the volume snapshots, and nothing outside it.'

import { roles } from 'roles.bicep'

@description('Required. The Backup vault identity: reads the group, manages and reads snapshots.')
param vaultPrincipalId string

@description('Required. The cluster identity: creates the snapshots (Microsoft documents Contributor on this group).')
param clusterPrincipalId string

var vaultRoles = [
  roles.reader
  roles.diskSnapshotContributor
  roles.dataOperatorForManagedDisks
]

resource vaultAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in vaultRoles: {
    name: guid(resourceGroup().id, 'backup-vault', role)
    properties: {
      principalId: vaultPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

// Contributor, on this group only: it holds nothing but the snapshots.
resource clusterAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'cluster', roles.contributor)
  properties: {
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.contributor)
  }
}
