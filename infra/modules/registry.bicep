metadata name = 'Container registry'
metadata description = 'The registry every environment pulls from: images are built once, promoted by digest.'

import { resourceTags } from 'types.bicep'
import { roles } from 'roles.bicep'

@description('Required. Registry name: 5-50 letters and digits, globally unique.')
@minLength(5)
@maxLength(50)
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Optional. Basic (about USD 5 a month, 10 GiB) is enough for two small images and Redis; Standard and Premium add storage, throughput, geo-replication and private endpoints.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param sku string = 'Basic'

@description('Required. The identity that builds and pushes images: AcrPush, nothing else.')
param pushPrincipalId string

@description('Required. The name of that identity: a name known before deployment keeps role assignment IDs stable for what-if.')
param pushIdentityName string

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    // Identities sign in with Entra ID tokens; a shared admin password would bypass least privilege.
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource push 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, pushIdentityName, roles.acrPush)
  scope: registry
  properties: {
    principalId: pushPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPush)
  }
}

@description('Required. Identities that may pull, and nothing else: the deploy identities, which read the images\' manifests to verify their attestations before they deploy them.')
param pullIdentities pullIdentity[]

@description('An identity that may pull images.')
type pullIdentity = {
  @description('Its principal ID.')
  principalId: string
  @description('Its name: seeds the role assignment name, so what-if can predict it.')
  name: string
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for identity in pullIdentities: {
    name: guid(registry.id, identity.name, roles.acrPull)
    scope: registry
    properties: {
      principalId: identity.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    }
  }
]

@description('The registry resource ID.')
output id string = registry.id

@description('The registry name (what ACR_NAME holds).')
output name string = registry.name

@description('The registry login server, e.g. myacr.azurecr.io.')
output loginServer string = registry.properties.loginServer
