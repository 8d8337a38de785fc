import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch, createTwoWayMergePatch } from './strategic-merge-patch.js';

const cond = (type: string, status: string, heartbeat: string, transition = '2026-01-01T09:00:00Z') => ({
  type, status, lastHeartbeatTime: heartbeat, lastTransitionTime: transition, reason: `R${status}`, message: 'm',
});

describe('createTwoWayMergePatch', () => {
  it('sends only the changed condition fields, keyed by type, with $setElementOrder/conditions', () => {
    const before = { status: { conditions: [cond('MemoryPressure', 'False', 'T1'), cond('Ready', 'True', 'T1')], nodeInfo: { bootID: 'a' } } };
    const after = { status: { conditions: [cond('MemoryPressure', 'False', 'T2'), cond('Ready', 'True', 'T2')], nodeInfo: { bootID: 'a' } } };
    expect(JSON.stringify(createTwoWayMergePatch(before, after))).toBe(
      '{"status":{"$setElementOrder/conditions":[{"type":"MemoryPressure"},{"type":"Ready"}],"conditions":[{"lastHeartbeatTime":"T2","type":"MemoryPressure"},{"lastHeartbeatTime":"T2","type":"Ready"}]}}',
    );
  });

  it('replaces lists without a merge key whole, deletes removed keys with null and removed elements with $patch: delete', () => {
    const before = { status: { images: [{ names: ['a'] }], conditions: [cond('Ready', 'True', 'T'), cond('Old', 'True', 'T')], podIP: '10.0.0.1' } };
    const after = { status: { images: [{ names: ['a'] }, { names: ['b'] }], conditions: [cond('Ready', 'True', 'T')] } };
    expect(createTwoWayMergePatch(before, after)).toEqual({
      status: {
        '$setElementOrder/conditions': [{ type: 'Ready' }],
        conditions: [{ $patch: 'delete', type: 'Old' }],
        images: [{ names: ['a'] }, { names: ['b'] }],
        podIP: null,
      },
    });
  });

  it('is empty when nothing differs', () => {
    const obj = { status: { conditions: [cond('Ready', 'True', 'T')] } };
    expect(createTwoWayMergePatch(obj, structuredClone(obj))).toEqual({});
  });
});

describe('applyStrategicMergePatch', () => {
  it('merges conditions by type, keeps conditions only the server has, and orders by $setElementOrder', () => {
    const server = { status: { conditions: [cond('Ready', 'Unknown', 'T0'), cond('NetworkUnavailable', 'False', 'T0'), cond('MemoryPressure', 'Unknown', 'T0')] } };
    const patch = { status: { '$setElementOrder/conditions': [{ type: 'MemoryPressure' }, { type: 'Ready' }], conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'T1' }] } };
    const out = applyStrategicMergePatch(server, patch) as { status: { conditions: { type: string; status: string; lastHeartbeatTime: string; reason: string }[] } };
    expect(out.status.conditions.map((c) => c.type)).toEqual(['MemoryPressure', 'NetworkUnavailable', 'Ready']);
    expect(out.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastHeartbeatTime: 'T1', reason: 'RUnknown' });
    expect(JSON.stringify(out)).not.toContain('$setElementOrder');
  });

  it('replaces containerStatuses and node images (no merge key) instead of merging them by name', () => {
    const server = { status: { containerStatuses: [{ name: 'a', ready: false }, { name: 'b', ready: false }], images: [{ names: ['x'] }, { names: ['y'] }] } };
    const out = applyStrategicMergePatch(server, { status: { containerStatuses: [{ name: 'a', ready: true }], images: [{ names: ['z'] }] } });
    expect(out).toEqual({ status: { containerStatuses: [{ name: 'a', ready: true }], images: [{ names: ['z'] }] } });
  });

  it('merges a Service port by port and a container port by containerPort', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    expect(applyStrategicMergePatch(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }] } })).toEqual({ spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] } });
    const pod = { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] } };
    expect(applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'web', ports: [{ containerPort: 81 }] }] } })).toEqual({
      spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }, { containerPort: 81 }] }] },
    });
  });

  it('applies what createTwoWayMergePatch produced', () => {
    const before = { status: { conditions: [cond('Ready', 'Unknown', 'T0'), cond('NetworkUnavailable', 'False', 'T0')], images: [{ names: ['a'] }] } };
    const after = { status: { conditions: [cond('Ready', 'True', 'T1', 'T1'), cond('NetworkUnavailable', 'False', 'T0')], images: [{ names: ['b'] }] } };
    expect(applyStrategicMergePatch(before, createTwoWayMergePatch(before, after))).toEqual(after);
  });
});
