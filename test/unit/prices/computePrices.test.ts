// The price presets: `seed` reproduces the seed's compute table within a cent, `aws` bills EC2
// on-demand by the vCPU-hour, both read from the one price book of the preset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCost, computePrices } from '../../../server/engines/prices';

const HOUR = 3600;

function within(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 0.01, `${actual.toFixed(4)} is not within a cent of ${expected.toFixed(2)}`);
}

describe('compute prices', () => {
  const seed = computePrices('seed');

  it('seed: 200 h of small workloads cost $20.00 on the cloud and $7.20 with 80% run locally', () => {
    within(computeCost(seed, 'cluster', 2, 4, 200 * HOUR), 20);
    within(computeCost(seed, 'local', 2, 4, 160 * HOUR) + computeCost(seed, 'cluster', 2, 4, 40 * HOUR), 7.2);
  });

  it('seed: 200 h of large workloads cost $160.00 on the cloud and $35.20 with 80% run locally', () => {
    within(computeCost(seed, 'cluster', 16, 64, 200 * HOUR), 160);
    within(computeCost(seed, 'local', 16, 64, 160 * HOUR) + computeCost(seed, 'cluster', 16, 64, 40 * HOUR), 35.2);
  });

  it('aws: an m5 vCPU-hour is $0.048, so 4 vCPUs for 2 h are $0.384; memory-heavy jobs pay r6i', () => {
    const aws = computePrices('aws');
    within(computeCost(aws, 'cluster', 4, 16, 2 * HOUR), 0.384);
    within(computeCost(aws, 'cluster', 4, 32, HOUR), 0.252);
    // The machine's power: 200 W at $0.17/kWh, whatever the workload asks for.
    within(computeCost(aws, 'local', 4, 16, HOUR), 0.034);
    assert.ok(computeCost(aws, 'local', 4, 16, HOUR) < computeCost(aws, 'cluster', 4, 16, HOUR) / 5);
  });
});
