metadata name = 'Environment key vault'
metadata description = 'One vault per environment (RBAC mode, purge protection): the Redis password and the Application Insights connection string its pods read through the Secrets Store CSI driver.'

import { resourceTags } from 'types.bicep'
import { roles } from 'roles.bicep'

@description('Required. Vault name: 3-24 letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Required. The workload identity of the environment pods: Key Vault Secrets User (read secret values, nothing else).')
param readerPrincipalId string

@description('Required. The name of that identity (a stable seed for the role assignment ID).')
param readerIdentityName string

@description('Required. Who writes and rotates the secrets (bootstrap.sh): Key Vault Secrets Officer.')
param adminPrincipalId string

@description('Required. The admin principal kind.')
@allowed([
  'User'
  'Group'
])
param adminPrincipalType string

@description('Required. The Application Insights resource whose connection string the pods receive.')
param applicationInsightsName string

@description('Optional. Days a deleted vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 7

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    // Standard: secrets only, billed per 10,000 operations (cents a month here); Premium adds HSM-backed keys.
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // A deleted vault cannot be purged before its retention ends: a mistaken teardown loses nothing.
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Where telemetry goes is configuration the pods read with the Redis password, from one SecretProviderClass.
resource connectionString 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: vault
  name: 'appinsights-connection-string'
  properties: {
    value: applicationInsights.properties.ConnectionString
    contentType: 'text/plain'
  }
}

resource readerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerIdentityName, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource adminAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, adminPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: adminPrincipalId
    principalType: adminPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

@description('The vault name.')
output name string = vault.name
