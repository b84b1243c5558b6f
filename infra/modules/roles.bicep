metadata name = 'Built-in roles'
metadata description = 'The only Azure roles this deployment assigns, by name. Contributor is assigned once, on the backup snapshot resource group only (modules/backup.bicep); Owner never.'

@export()
@description('Built-in role definition GUIDs (the same in every tenant).')
var roles = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  acrPush: '8311e382-0749-4cb8-b61a-304f252e45ec'
  aksClusterUser: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f'
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
  monitoringDataReader: 'b0d8363b-8ddd-447d-831f-62ca05bff136'
  grafanaAdmin: '22926164-76b3-42b3-bc55-97df8dab3e41'
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
  diskSnapshotContributor: '7efff54f-a5b4-42b5-a1c5-5411624893ce'
  dataOperatorForManagedDisks: '959f8984-c045-4866-89c7-12bf9737be2e'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}
