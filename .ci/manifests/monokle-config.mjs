// The Monokle rules the manifests must pass: every rule of the two offline plugins, including the ones Monokle
// leaves off by default (restricted Pod Security, resources). Plugins that download from a CDN are not loaded:
// kubernetes-schema (validate.mjs checks schemas offline instead) and open-policy-agent (a wasm bundle).
//
// Findings we disagree with are turned off HERE, and only here, each with its reason.
const SUPPRESSED = {
  // Low uids: the containers run as their images' own non-root users (1654 "app" in the .NET images, 999 "redis"),
  // which own the files in those images; runAsNonRoot, no privilege escalation and no capabilities are enforced
  // (PSS2xx, KBP103), and Tests/Voting.Deployment.Tests/Manifests asserts them for every workload.
  "practices/no-low-user-id": "KBP104",
  "practices/no-low-group-id": "KBP105",
  // REDIS_PASSWORD comes from a Secret through env (secretKeyRef) because Kubernetes can expand it into
  // ConnectionStrings__redis as $(REDIS_PASSWORD); a mounted file cannot be expanded into a variable. Likewise
  // APPLICATIONINSIGHTS_CONNECTION_STRING: the Azure Monitor exporter reads that variable, not a file. Both Secrets
  // are synced from Key Vault by the Secrets Store CSI driver.
  "practices/no-secret-mounted-as-env": "KBP112",
};

const RULES = {
  "pod-security-standards": [
    "host-process", "host-namespaces", "privileged-containers", "capabilities", "host-path-volumes", "host-ports",
    "app-armor", "selinux", "proc-mount", "seccomp", "sysctls", "volume-types", "privilege-escalation",
    "running-as-non-root", "running-as-non-root-user", "seccomp-strict", "capabilities-strict",
  ],
  practices: [
    "no-latest-image", "cpu-request", "cpu-limit", "memory-request", "memory-limit", "no-sys-admin",
    "no-mounted-docker-sock", "no-writable-fs", "drop-capabilities", "no-low-user-id", "no-low-group-id",
    "no-automount-service-account-token", "no-pod-create", "no-pod-execute", "no-root-group", "no-ssh-exposed",
    "no-secret-env", "no-secret-mounted-as-env", "privileged-ports", "no-exposed-service", "mount-propagation",
    "image-tagged",
  ],
};

export const MONOKLE_CONFIG = {
  plugins: Object.fromEntries(Object.keys(RULES).map((plugin) => [plugin, true])),
  rules: Object.fromEntries(Object.entries(RULES).flatMap(([plugin, names]) =>
    names.map((name) => `${plugin}/${name}`).map((rule) => [rule, rule in SUPPRESSED ? false : "err"]))),
};

export const SUPPRESSED_RULES = SUPPRESSED;
