metadata name = 'GitHub environment identity'
metadata description = 'A user-assigned identity that one GitHub environment (or pull request runs) signs in as through OIDC: no secret is stored anywhere.'

import { resourceTags } from 'types.bicep'

@description('Required. Identity name.')
param name string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Required. The repository, OWNER/REPO.')
param githubRepository string

@description('Required. What the token must be issued for: "environment:<name>" for a GitHub environment, or "pull_request".')
param githubSubjectSuffix string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

// Only tokens GitHub issues for this repository and this environment (or pull request) are exchanged.
resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = {
  parent: identity
  name: 'github'
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: 'repo:${githubRepository}:${githubSubjectSuffix}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

@description('The identity resource ID.')
output id string = identity.id

@description('The service principal object ID role assignments name.')
output principalId string = identity.properties.principalId

@description('The client ID azure/login signs in with (AZURE_CLIENT_ID).')
output clientId string = identity.properties.clientId
