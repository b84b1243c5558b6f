metadata name = 'Alert rules'
metadata description = 'The four alerts a person is paged for: error ratio and p99 latency (Application Insights requests, per environment), Redis down and crash-looping pods (managed Prometheus, kube-state-metrics).'

import { resourceTags } from 'types.bicep'

@description('Required. Name stem, e.g. voting.')
param baseName string

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags resourceTags = {}

@description('Required. The Log Analytics workspace the requests land in.')
param workspaceId string

@description('Required. Each environment and its Application Insights resource ID.')
param environments monitoredEnvironment[]

@description('Required. The Azure Monitor workspace managed Prometheus writes to.')
param prometheusWorkspaceId string

@description('Required. The cluster the Prometheus rules evaluate for.')
param clusterName string

@description('Required. The action group notified.')
param actionGroupId string

@description('Optional. Failed request share (0-1) over 5 minutes that fires the error-ratio alert.')
param errorRatioThreshold string = '0.05'

@description('Optional. 99th percentile request duration in milliseconds that fires the latency alert.')
param p99ThresholdMs int = 1000

@description('An environment whose requests are watched.')
type monitoredEnvironment = {
  @description('dev or prod.')
  name: string
  @description('Its Kubernetes namespace.')
  namespace: string
  @description('Its Application Insights resource ID.')
  applicationInsightsId: string
}

// Both rules read the workspace table AppRequests, restricted to one environment's Application Insights resource.
// A minimum of 20 requests keeps one failed request at night from paging anyone.
resource errorRatio 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for environment in environments: {
    name: 'alert-${baseName}-${environment.name}-error-ratio'
    location: location
    tags: tags
    properties: {
      displayName: '${environment.name}: error ratio above ${errorRatioThreshold}'
      severity: environment.name == 'prod' ? 1 : 3
      enabled: true
      scopes: [
        workspaceId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT5M'
      criteria: {
        allOf: [
          {
            query: 'AppRequests | where _ResourceId =~ "${environment.applicationInsightsId}" | summarize Total = count(), Failed = countif(Success == false) by AppRoleName | where Total >= 20 | extend ErrorRatio = todouble(Failed) / Total'
            timeAggregation: 'Maximum'
            metricMeasureColumn: 'ErrorRatio'
            dimensions: [
              {
                name: 'AppRoleName'
                operator: 'Include'
                values: [
                  '*'
                ]
              }
            ]
            operator: 'GreaterThan'
            threshold: json(errorRatioThreshold)
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroupId
        ]
      }
    }
  }
]

resource latency 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for environment in environments: {
    name: 'alert-${baseName}-${environment.name}-p99-latency'
    location: location
    tags: tags
    properties: {
      displayName: '${environment.name}: p99 latency above ${p99ThresholdMs} ms'
      severity: environment.name == 'prod' ? 2 : 3
      enabled: true
      scopes: [
        workspaceId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT5M'
      criteria: {
        allOf: [
          {
            query: 'AppRequests | where _ResourceId =~ "${environment.applicationInsightsId}" | summarize Total = count(), P99 = percentile(DurationMs, 99) by AppRoleName | where Total >= 20'
            timeAggregation: 'Maximum'
            metricMeasureColumn: 'P99'
            dimensions: [
              {
                name: 'AppRoleName'
                operator: 'Include'
                values: [
                  '*'
                ]
              }
            ]
            operator: 'GreaterThan'
            threshold: p99ThresholdMs
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroupId
        ]
      }
    }
  }
]

resource cluster 'Microsoft.ContainerService/managedClusters@2026-01-01' existing = {
  name: clusterName
}

// kube-state-metrics series that managed Prometheus collects by default (its minimal ingestion profile).
resource kubernetesRules 'Microsoft.AlertsManagement/prometheusRuleGroups@2023-03-01' = {
  name: 'prom-${baseName}-workloads'
  location: location
  tags: tags
  properties: {
    description: 'Redis down and crash-looping pods in the voting namespaces.'
    clusterName: clusterName
    scopes: [
      prometheusWorkspaceId
      cluster.id
    ]
    enabled: true
    interval: 'PT1M'
    rules: [
      {
        alert: 'RedisDown'
        expression: 'sum by (namespace) (kube_statefulset_status_replicas_ready{statefulset="redis", namespace=~"${join(map(environments, e => e.namespace), '|')}"}) < 1'
        for: 'PT2M'
        severity: 1
        labels: {
          app: 'voting'
        }
        annotations: {
          description: 'No ready Redis replica in {{ $labels.namespace }}: votes cannot be counted.'
        }
        actions: [
          {
            actionGroupId: actionGroupId
          }
        ]
        resolveConfiguration: {
          autoResolved: true
          timeToResolve: 'PT10M'
        }
      }
      {
        alert: 'PodCrashLooping'
        expression: 'increase(kube_pod_container_status_restarts_total{namespace=~"${join(map(environments, e => e.namespace), '|')}"}[15m]) > 3'
        for: 'PT5M'
        severity: 2
        labels: {
          app: 'voting'
        }
        annotations: {
          description: 'Container {{ $labels.container }} of {{ $labels.pod }} in {{ $labels.namespace }} restarted more than 3 times in 15 minutes.'
        }
        actions: [
          {
            actionGroupId: actionGroupId
          }
        ]
        resolveConfiguration: {
          autoResolved: true
          timeToResolve: 'PT10M'
        }
      }
    ]
  }
}
