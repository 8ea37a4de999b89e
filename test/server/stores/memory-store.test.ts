import { memoryStore } from '../../../server-adapter/stores/memory-store.js';
import { describeStoreConformance } from './store-conformance.js';

/** How far the stores' clock is ahead of the real one. */
let ahead = 0;

describeStoreConformance('memoryStore', {
  open() {
    ahead = 0;
    return memoryStore({ now: () => Date.now() + ahead });
  },
  passTime: (ms) => void (ahead += ms),
});
