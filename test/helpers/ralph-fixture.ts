// The single-job loop's task in the MCP and CLI tests. AWS sells A100s 8 to an instance only, so a single
// A100 comes from GCP.
export const RALPH_TASK = `name: train
resources:
  accelerators: A100:1
  infra: gcp/us-central1
  use_spot: true
envs:
  BATCH_SIZE: 64
run: python train.py
`;

/** BATCH_SIZE 64 runs out of GPU memory 3 minutes in; anything else trains 20 minutes and succeeds. */
export const RALPH_OOM_SCENARIO = 'defaults: {duration: 20m}\nrules:\n  - {match: {env: {BATCH_SIZE: "64"}}, outcome: fail, category: OOM_CUDA, at_minute: 3}\n';
