// What the checks read from the task YAML.
import { describe, expect, it } from 'vitest';
import { acceleratorList, readTaskRequirements } from '../../mcp-server/src/preflight/task-requirements.js';
import { writeTask } from './preflight-fixtures.js';

describe('readTaskRequirements', () => {
  it('reads accelerators, a docker image_id and the cloud of infra', () => {
    const file = writeTask('resources:\n  infra: gcp/us-central1\n  accelerators: A100:1\n  image_id: docker:ghcr.io/org/train:v1\nrun: python train.py\n');
    expect(readTaskRequirements(file)).toEqual({ gpus: ['A100:1'], image_id: 'docker:ghcr.io/org/train:v1', image_is_docker: true, cloud: 'gcp' });
  });

  it('collects the alternatives of any_of / ordered; no single cloud when they differ', () => {
    const file = writeTask('resources:\n  ordered:\n    - {infra: gcp, accelerators: L4:1}\n    - {infra: aws, accelerators: {A100: 1, H100: 1}}\n');
    expect(readTaskRequirements(file)).toEqual({ gpus: ['L4:1', 'A100:1', 'H100:1'], image_id: null, image_is_docker: false, cloud: null });
  });

  it('marks a VM image or a per-region image_id as not docker', () => {
    expect(readTaskRequirements(writeTask('resources:\n  image_id: ami-0123\n')).image_is_docker).toBe(false);
    expect(readTaskRequirements(writeTask('resources:\n  image_id: {us-east-1: ami-1}\n'))).toMatchObject({ image_is_docker: false, image_id: '{"us-east-1":"ami-1"}' });
  });

  it('accepts every accelerators spelling SkyPilot does', () => {
    expect(acceleratorList('A100')).toEqual(['A100:1']);
    expect(acceleratorList(['V100:2', 'T4'])).toEqual(['V100:2', 'T4:1']);
    expect(acceleratorList('{A100:1, V100:1}')).toEqual(['A100:1', 'V100:1']);
    expect(acceleratorList(null)).toEqual([]);
  });
});
