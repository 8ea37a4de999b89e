// One behaviour for every PaymentStore: each store's test file calls `describeStoreConformance` with a
// way to open (and, for persistent stores, reopen) the store under test. The cases themselves are in
// conformance/cases.ts, which test/runtimes/stores/ also runs on Bun, Deno and workerd.
import { describe, test, beforeEach, afterEach } from 'node:test';
import { conformanceCases, type ConformanceCase, type StoreFactory } from './conformance/cases.js';

export type { StoreFactory };

/** The cases nested as their paths say, each group a node:test `describe` block, in the order of its first case. */
function declare(cases: ConformanceCase[], depth: number): void {
  const order: (ConformanceCase | string)[] = [];
  const groups = new Map<string, ConformanceCase[]>();
  for (const entry of cases) {
    if (entry.path.length === depth + 1) order.push(entry);
    else {
      const group = entry.path[depth]!;
      if (!groups.has(group)) {
        groups.set(group, []);
        order.push(group);
      }
      groups.get(group)!.push(entry);
    }
  }
  for (const item of order) {
    if (typeof item === 'string') describe(item, () => declare(groups.get(item)!, depth + 1));
    else test(item.path[depth]!, (t) => item.run({ skip: (reason) => t.skip(reason) }));
  }
}

export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`${name}: PaymentStore conformance`, { skip: factory.skip }, () => {
    const suite = conformanceCases(factory);
    beforeEach(() => suite.setUp());
    afterEach(() => suite.tearDown());
    declare(suite.cases, 0);
  });
}
