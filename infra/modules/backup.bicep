metadata name = 'Azure Backup for AKS'
metadata description = 'The Backup vault, its schedule and retention, the backup extension on the cluster with the storage account it writes Kubernetes objects to, and the trusted access that lets the vault drive it.'

import { resourceTags } from 'types.bicep'
import { roles } from 'roles.bicep'

@description('Required. Backup vault name.')
param vaultName string

@description('Required. Azure region (the vault must be in the cluster region).')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Required. The cluster whose namespaces are backed up.')
param clusterName string

@description('Required. Storage account name: 3-24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Optional. How often the volumes are snapshotted (an ISO 8601 repeating interval; AKS backup allows every 4, 6, 8, 12 or 24 hours).')
param schedule string = 'R/2026-01-01T00:00:00+00:00/PT4H'

@description('Optional. How long each snapshot is kept (ISO 8601 duration).')
param retention string = 'P7D'

resource cluster 'Microsoft.ContainerService/managedClusters@2026-01-01' existing = {
  name: clusterName
}

resource vault 'Microsoft.DataProtection/backupVaults@2025-09-01' = {
  name: vaultName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    storageSettings: [
      {
        datastoreType: 'VaultStore'
        type: 'LocallyRedundant'
      }
    ]
    // A deleted backup is kept 14 more days: a mistaken or malicious deletion loses no recovery point.
    securitySettings: {
      softDeleteSettings: {
        state: 'On'
        retentionDurationInDays: 14
      }
    }
  }
}

// Snapshots of the volumes, kept in the snapshot resource group (operational tier) for the retention.
resource policy 'Microsoft.DataProtection/backupVaults/backupPolicies@2025-09-01' = {
  parent: vault
  name: 'votes'
  properties: {
    objectType: 'BackupPolicy'
    datasourceTypes: [
      'Microsoft.ContainerService/managedClusters'
    ]
    policyRules: [
      {
        objectType: 'AzureBackupRule'
        name: 'Scheduled'
        backupParameters: {
          objectType: 'AzureBackupParams'
          backupType: 'Incremental'
        }
        dataStore: {
          objectType: 'DataStoreInfoBase'
          dataStoreType: 'OperationalStore'
        }
        trigger: {
          objectType: 'ScheduleBasedTriggerContext'
          schedule: {
            repeatingTimeIntervals: [
              schedule
            ]
            timeZone: 'UTC'
          }
          taggingCriteria: [
            {
              isDefault: true
              taggingPriority: 99
              tagInfo: {
                tagName: 'Default'
              }
            }
          ]
        }
      }
      {
        objectType: 'AzureRetentionRule'
        name: 'Default'
        isDefault: true
        lifecycles: [
          {
            deleteAfter: {
              objectType: 'AbsoluteDeleteOption'
              duration: retention
            }
            sourceDataStore: {
              objectType: 'DataStoreInfoBase'
              dataStoreType: 'OperationalStore'
            }
            targetDataStoreCopySettings: []
          }
        ]
      }
    ]
  }
}

// Where the extension writes the backed-up Kubernetes objects: Entra ID sign-in only, no account keys.
resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobs
  name: 'aks-backup'
}

resource extension 'Microsoft.KubernetesConfiguration/extensions@2025-03-01' = {
  name: 'azure-aks-backup'
  scope: cluster
  properties: {
    extensionType: 'microsoft.dataprotection.kubernetes'
    releaseTrain: 'stable'
    autoUpgradeMinorVersion: true
    scope: {
      cluster: {
        releaseNamespace: 'dataprotection-microsoft'
      }
    }
    configurationSettings: {
      'configuration.backupStorageLocation.bucket': container.name
      'configuration.backupStorageLocation.config.storageAccount': storage.name
      'configuration.backupStorageLocation.config.resourceGroup': resourceGroup().name
      'configuration.backupStorageLocation.config.subscriptionId': subscription().subscriptionId
      'configuration.backupStorageLocation.config.useAAD': 'true'
      'configuration.backupStorageLocation.config.storageAccountURI': storage.properties.primaryEndpoints.blob
      // A tenant ID, not a resource ID: the linter mistakes the name for one.
      #disable-next-line use-resource-id-functions
      'credentials.tenantId': tenant().tenantId
    }
  }
}

// The vault drives the extension through trusted access, with the backup operator role only.
resource trustedAccess 'Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings@2026-01-01' = {
  parent: cluster
  name: 'backup-vault'
  properties: {
    sourceResourceId: vault.id
    roles: [
      'Microsoft.DataProtection/backupVaults/backup-operator'
    ]
  }
}

resource extensionWritesBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, 'aks-backup-extension', roles.storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: extension.properties.aksAssignedIdentity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource vaultReadsBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, vault.id, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: vault.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource vaultReadsCluster 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, vault.id, roles.reader)
  scope: cluster
  properties: {
    principalId: vault.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.reader)
  }
}

@description('The backup policy resource ID.')
output policyId string = policy.id

@description('The vault identity, which the snapshot resource group grants snapshot rights to.')
output vaultPrincipalId string = vault.identity.principalId
