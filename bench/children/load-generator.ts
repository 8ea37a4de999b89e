// The HTTP load generator (autocannon's programmatic API), in its own process on its own core so that it
// does not share an event loop or a core with the server it measures. One request `run` per measurement.
import autocannon from 'autocannon';
import { answerRequests, sayReady } from './child-protocol.js';

/** What the parent asks for (see bench/load-generator.ts). */
export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** `[<id>]` in the body or headers becomes a unique id per request. */
  body?: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

/** What the parent gets back. */
export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** True when the request has `[<id>]` to replace. */
function usesIds(request: LoadRequest): boolean {
  return [request.body ?? '', ...Object.values(request.headers ?? {})].some((text) => text.includes('[<id>]'));
}

function fire(request: LoadRequest, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: request.url,
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body !== undefined ? { body: request.body } : {}),
    // Only where there are ids: with it autocannon builds every request anew, which capped it at about 54,000
    // GETs a second on this machine's load core, below what the server answered (about 69,000 bare).
    idReplacement: usesIds(request),
    connections: request.connections,
    duration: seconds,
    timeout: 10,
  });
}

answerRequests(async (message) => {
  if (message.type !== 'run') throw new Error(`unknown request ${message.type}`);
  const request = message.request as LoadRequest;
  // The warm-up lets V8 optimise the server's hot paths before anything is counted.
  if (request.warmupSeconds > 0) await fire(request, request.warmupSeconds);
  const result = await fire(request, request.seconds);
  const answer: LoadResult = {
    requestsPerSecond: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  return { result: answer };
});

sayReady({});
