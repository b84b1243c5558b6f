metadata name = 'Namespace deployer permissions'
metadata description = 'What a push-mode deploy identity may do in its namespace (Azure RBAC for Kubernetes): apply, prune and watch what the overlays contain, and nothing that reads a Secret, enters a pod or acts as another identity.'

// Azure RBAC for Kubernetes maps a request to <group>/<resource>/<verb>, where get/list/watch is read, create/update/patch
// is write, and a subresource other than pods/exec takes its resource's verb: pods/attach, pods/portforward and
// ephemeral containers are pods/write, serviceaccounts/token is serviceaccounts/write, pods/log is pods/read. So the role
// holds no pods/write (attach, port-forward), no serviceaccounts/write (tokens of the workload identity's service
// account), no secrets/*, no */impersonate/action, no pods/exec/action, no namespaces or persistentvolumeclaims writes
// (nothing that holds votes can be deleted), no RBAC objects and no wildcard.
@export()
@description('The data actions of the namespace deployer role.')
var deployerDataActions = [
  // The app's configuration, the ApplySet parent that records what was applied, and the known-good record.
  'Microsoft.ContainerService/managedClusters/configmaps/read'
  'Microsoft.ContainerService/managedClusters/configmaps/write'
  'Microsoft.ContainerService/managedClusters/configmaps/delete'
  'Microsoft.ContainerService/managedClusters/services/read'
  'Microsoft.ContainerService/managedClusters/services/write'
  'Microsoft.ContainerService/managedClusters/services/delete'
  'Microsoft.ContainerService/managedClusters/apps/deployments/read'
  'Microsoft.ContainerService/managedClusters/apps/deployments/write'
  'Microsoft.ContainerService/managedClusters/apps/deployments/delete'
  'Microsoft.ContainerService/managedClusters/apps/statefulsets/read'
  'Microsoft.ContainerService/managedClusters/apps/statefulsets/write'
  'Microsoft.ContainerService/managedClusters/apps/statefulsets/delete'
  // A workload's revisions, for kubectl rollout status and history.
  'Microsoft.ContainerService/managedClusters/apps/replicasets/read'
  'Microsoft.ContainerService/managedClusters/apps/controllerrevisions/read'
  'Microsoft.ContainerService/managedClusters/autoscaling/horizontalpodautoscalers/read'
  'Microsoft.ContainerService/managedClusters/autoscaling/horizontalpodautoscalers/write'
  'Microsoft.ContainerService/managedClusters/autoscaling/horizontalpodautoscalers/delete'
  'Microsoft.ContainerService/managedClusters/policy/poddisruptionbudgets/read'
  'Microsoft.ContainerService/managedClusters/policy/poddisruptionbudgets/write'
  'Microsoft.ContainerService/managedClusters/policy/poddisruptionbudgets/delete'
  'Microsoft.ContainerService/managedClusters/networking.k8s.io/networkpolicies/read'
  'Microsoft.ContainerService/managedClusters/networking.k8s.io/networkpolicies/write'
  'Microsoft.ContainerService/managedClusters/networking.k8s.io/networkpolicies/delete'
  // Why a rollout failed: pods (and their logs) and events.
  'Microsoft.ContainerService/managedClusters/pods/read'
  'Microsoft.ContainerService/managedClusters/events/read'
  'Microsoft.ContainerService/managedClusters/events.k8s.io/events/read'
  // HTTPRoute and SecretProviderClass: custom resources, narrowed to exactly those two kinds by the condition
  // of the role assignment (deployerCondition).
  'Microsoft.ContainerService/managedClusters/customresources/read'
  'Microsoft.ContainerService/managedClusters/customresources/write'
  'Microsoft.ContainerService/managedClusters/customresources/delete'
]

// The custom resources a deploy identity may write: the overlays' HTTPRoute and SecretProviderClass, nothing else.
// Requests for other kinds pass this condition only if they are not custom resources at all.
@export()
@description('The Azure ABAC condition (version 2.0) of the namespace deployer role assignments.')
var deployerCondition = '''
(
  (
    !(ActionMatches{'Microsoft.ContainerService/managedClusters/customresources/read'})
    AND !(ActionMatches{'Microsoft.ContainerService/managedClusters/customresources/write'})
    AND !(ActionMatches{'Microsoft.ContainerService/managedClusters/customresources/delete'})
  )
  OR
  (
    @Request[Microsoft.ContainerService/managedClusters/customResources:group] StringEqualsIgnoreCase 'gateway.networking.k8s.io'
    AND @Request[Microsoft.ContainerService/managedClusters/customResources:kind] StringEqualsIgnoreCase 'httproutes'
  )
  OR
  (
    @Request[Microsoft.ContainerService/managedClusters/customResources:group] StringEqualsIgnoreCase 'secrets-store.csi.x-k8s.io'
    AND @Request[Microsoft.ContainerService/managedClusters/customResources:kind] StringEqualsIgnoreCase 'secretproviderclasses'
  )
)
'''
