metadata name = 'Kubernetes workload identity'
metadata description = 'A user-assigned identity that one Kubernetes service account in one namespace becomes, through the cluster OIDC issuer.'

import { resourceTags } from 'types.bicep'

@description('Required. Identity name.')
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Required. The cluster OIDC issuer URL.')
param oidcIssuerUrl string

@description('Required. The namespace of the service account.')
param namespace string

@description('Required. The service account the pods run as.')
param serviceAccountName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = {
  parent: identity
  name: 'kubernetes-${namespace}'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${namespace}:${serviceAccountName}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

@description('The service principal object ID role assignments name.')
output principalId string = identity.properties.principalId

@description('The client ID the service account annotation and the SecretProviderClass name.')
output clientId string = identity.properties.clientId
