metadata name = 'Monitoring'
metadata description = 'Log Analytics (Container insights, and Application Insights telemetry), one Application Insights per environment, an Azure Monitor workspace (managed Prometheus), Azure Managed Grafana and the alert action group.'

import { resourceTags } from 'types.bicep'
import { roles } from 'roles.bicep'

@description('Required. Name stem, e.g. voting.')
param baseName string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Required. The environments, each with its own Application Insights (its alerts and dashboards never mix dev with prod).')
param environmentNames string[]

@description('Optional. Days Log Analytics keeps data; 30 is included in the per-GB ingestion price.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Optional. Azure Managed Grafana tier. Standard (about USD 9 per instance a month plus per active user) is the tier with Azure Monitor workspace integration and an SLA; Essential is cheaper but cannot bind the Prometheus data source.')
@allowed([
  'Essential'
  'Standard'
])
param grafanaSku string = 'Standard'

@description('Required. Who administers Grafana and imports the dashboard: Grafana Admin.')
param adminPrincipalId string

@description('Required. The admin principal kind.')
@allowed([
  'User'
  'Group'
])
param adminPrincipalType string

@description('Required. Where alerts are e-mailed.')
param alertEmail string

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: 'log-${baseName}'
  location: location
  tags: tags
  properties: {
    // Pay per GB ingested; the commitment tiers only pay off from 100 GB a day.
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = [
  for environment in environmentNames: {
    name: 'appi-${baseName}-${environment}'
    location: location
    tags: tags
    kind: 'web'
    properties: {
      Application_Type: 'web'
      // Workspace-based: the telemetry lands in the workspace tables (AppRequests, AppMetrics...) the dashboard queries.
      WorkspaceResourceId: workspace.id
      IngestionMode: 'LogAnalytics'
    }
  }
]

resource prometheusWorkspace 'Microsoft.Monitor/accounts@2025-10-03' = {
  name: 'amw-${baseName}'
  location: location
  tags: tags
}

resource grafana 'Microsoft.Dashboard/grafana@2025-08-01' = {
  name: 'amg-${baseName}'
  location: location
  tags: tags
  sku: {
    name: grafanaSku
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    apiKey: 'Disabled'
    publicNetworkAccess: 'Enabled'
    zoneRedundancy: 'Disabled'
    grafanaIntegrations: {
      // Adds the Prometheus data source bound to the Azure Monitor workspace.
      azureMonitorWorkspaceIntegrations: [
        {
          azureMonitorWorkspaceResourceId: prometheusWorkspace.id
        }
      ]
    }
  }
}

// Grafana reads with its own identity: the Log Analytics tables, and the Prometheus series in the Azure Monitor workspace.
resource grafanaMonitoringReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, grafana.id, roles.monitoringReader)
  scope: workspace
  properties: {
    principalId: grafana.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringReader)
  }
}

resource grafanaPrometheusReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(prometheusWorkspace.id, grafana.id, roles.monitoringDataReader)
  scope: prometheusWorkspace
  properties: {
    principalId: grafana.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringDataReader)
  }
}

resource grafanaAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(grafana.id, adminPrincipalId, roles.grafanaAdmin)
  scope: grafana
  properties: {
    principalId: adminPrincipalId
    principalType: adminPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.grafanaAdmin)
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${baseName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take(baseName, 12)
    enabled: true
    emailReceivers: [
      {
        name: 'on-call'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

@description('The Log Analytics workspace resource ID.')
output workspaceId string = workspace.id

@description('The Azure Monitor workspace resource ID.')
output prometheusWorkspaceId string = prometheusWorkspace.id

@description('The Application Insights name of each environment, in environmentNames order.')
output applicationInsightsNames string[] = [for (environment, i) in environmentNames: applicationInsights[i].name]

@description('The Application Insights resource ID of each environment, in environmentNames order.')
output applicationInsightsIds string[] = [for (environment, i) in environmentNames: applicationInsights[i].id]

@description('The Grafana instance name (az grafana dashboard import).')
output grafanaName string = grafana.name

@description('The action group alerts notify.')
output actionGroupId string = actionGroup.id
