import { memoryStore } from '../../../server-adapter/stores/memory-store.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('memoryStore', { open: () => memoryStore() });
