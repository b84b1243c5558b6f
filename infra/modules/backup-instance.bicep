metadata name = 'Backup instance'
metadata description = 'Protects the app namespaces of the cluster with the vault policy: their objects and a snapshot of every volume (Redis data) on each run.'

@description('Required. The vault name.')
param vaultName string

@description('Required. The backup policy resource ID.')
param policyId string

@description('Required. The cluster name.')
param clusterName string

@description('Required. Azure region of the cluster.')
param location string

@description('Required. The resource group the volume snapshots are kept in.')
param snapshotResourceGroupId string

@description('Required. The namespaces backed up (the environments).')
param namespaces string[]

resource vault 'Microsoft.DataProtection/backupVaults@2025-09-01' existing = {
  name: vaultName
}

resource cluster 'Microsoft.ContainerService/managedClusters@2026-01-01' existing = {
  name: clusterName
}

resource instance 'Microsoft.DataProtection/backupVaults/backupInstances@2025-09-01' = {
  parent: vault
  name: 'voting-namespaces'
  properties: {
    objectType: 'BackupInstance'
    friendlyName: 'voting-namespaces'
    dataSourceInfo: {
      objectType: 'Datasource'
      datasourceType: 'Microsoft.ContainerService/managedClusters'
      resourceID: cluster.id
      resourceName: cluster.name
      resourceType: 'Microsoft.ContainerService/managedClusters'
      resourceLocation: location
    }
    dataSourceSetInfo: {
      objectType: 'DatasourceSet'
      datasourceType: 'Microsoft.ContainerService/managedClusters'
      resourceID: cluster.id
      resourceName: cluster.name
      resourceType: 'Microsoft.ContainerService/managedClusters'
      resourceLocation: location
    }
    policyInfo: {
      policyId: policyId
      policyParameters: {
        backupDatasourceParametersList: [
          {
            objectType: 'KubernetesClusterBackupDatasourceParameters'
            includedNamespaces: namespaces
            // Cluster-scoped objects include the volumes' PersistentVolumes and StorageClass, which a restore to a new
            // cluster needs; Secrets are synced from Key Vault and are not kept in backups.
            includeClusterScopeResources: true
            snapshotVolumes: true
            excludedResourceTypes: [
              'secrets'
            ]
          }
        ]
        dataStoreParametersList: [
          {
            objectType: 'AzureOperationalStoreParameters'
            dataStoreType: 'OperationalStore'
            resourceGroupId: snapshotResourceGroupId
          }
        ]
      }
    }
  }
}
