/**
 * The scenario `kube-learn new NAME` writes: every section of the format, each commented, with
 * expectations that hold, so `kube-learn validate` and `kube-learn test` pass on it as written.
 * An author edits it from there.
 */
export function newScenarioText(name: string, schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
# A kube-learn scenario. The format: scenarios/README.md in the kube-learn package, or
# \`kube-learn schema\`. Check it with \`kube-learn validate ${name}.yaml\`, test its
# expectations with \`kube-learn test ${name}.yaml\`, watch it with \`kube-learn play ${name}.yaml\`.
apiVersion: kube-learn/v1
kind: Scenario
metadata:
  name: ${name}${' '.repeat(Math.max(1, 24 - name.length))}# a DNS-1123 label: lowercase letters, digits and "-"
  title: A kubelet stops for two minutes
  description: |
    Two workers join and run a Deployment. At 2m the kubelet on worker-2 stops: nothing renews
    its Lease, and one grace period later the node lifecycle controller marks the node Unknown.
    At 4m the kubelet starts again, renews the Lease, and the node is Ready once more.
  difficulty: beginner            # beginner | intermediate | advanced
  stages: [registration, synchronization]   # authentication | registration | synchronization | networking
spec:
  seed: 1                         # same file + same seed = the same run, step for step
  duration: 6m                    # the virtual time the scenario covers
  cluster:                        # every field here has a default; delete what you keep as is
    kubernetesVersion: "1.32"     # quoted: YAML reads 1.30 as the number 1.3
    network:
      plugin: flannel             # flannel | calico | weave | bridge
  nodes:
    - name: worker-1
      capacity: { cpu: "2", memory: 4Gi }
    - name: worker-2
      joinAt: 5s                  # when its kubelet starts (default 0s)
  resources:                      # plain Kubernetes manifests, applied at 0s
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }   # must select the template's labels
        template:
          metadata: { labels: { app: web } }
          spec:
            containers:
              - name: web
                image: nginx:1.27
                ports: [{ containerPort: 80 }]
                resources: { requests: { cpu: 100m, memory: 64Mi } }
  timeline:                       # what happens, in virtual time
    - at: 2m
      action: stop-kubelet        # see the list of actions in scenarios/README.md
      node: worker-2
      for: 2m                     # undone (start-kubelet) after this long
  expect:                         # what \`kube-learn test\` checks, in kubectl wait terms
    - by: 1m                      # by: holds at some moment up to then
      wait: node/worker-2
      for: condition=Ready
    - by: 2m
      wait: pods -l app=web
      for: jsonpath={.status.phase}=Running
    - by: 3m30s
      wait: node/worker-2
      for: condition=Ready=Unknown
    - at: 5m30s                   # at: holds at that moment
      wait: node/worker-2
      for: condition=Ready
  checkpoints:                    # questions: after a stage, { step: N }, { at: 2m55s } or { action: 0 }
    - after: registration
      question: Who creates the Node object for worker-1?
      choices: ["kube-scheduler", "the kubelet on worker-1", "kube-controller-manager"]
      answer: 2                   # 1-based
      explanation: >-
        The kubelet registers its own Node (POST /api/v1/nodes) as system:node:worker-1; the
        NodeRestriction admission plugin lets a kubelet create and change only its own Node.
`;
}
