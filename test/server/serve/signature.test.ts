// The signature of the order callouts and webhooks (`Izly-Pay-Signature: t=…,v1=…`), made by the
// service and checked by each receiver the project ships: the service's own check, the PHP example's, and
// the Python and Java snippets (run for real: python3, javac and java). Every one must take a good
// signature and refuse a tampered body, a tampered or foreign signature, a stale or future timestamp,
// and a header that is missing or malformed, for the same reason.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signatureHeader, verifySignature } from '../../../server-adapter/serve/signature.js';
import { temporaryFolder } from '../../e2e/helpers/processes.js';
import { phpSignatureCheck, SKIP_WITHOUT_PHP } from './php-shop.js';

const SECRET = 'whsec-test-secret-that-is-at-least-32-chars';
const NOW = 1_767_000_000;
const BODY = JSON.stringify({ id: 'evt_pay_1.paid', type: 'payment.paid', payment: { orderId: 'cmd-1', amount: 330, name: 'Crêpe €' } });

/** The header with its signature's last hex digit changed. */
function flipLastDigit(header: string): string {
  return header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
}

/** Each case: a header and a body given to the check at NOW, and what the check must say. */
const CASES: Array<{ name: string; header: string; body: string; expected: string }> = [
  { name: 'a good signature', header: signatureHeader(SECRET, BODY, NOW - 10), body: BODY, expected: 'ok' },
  { name: 'a good signature among others (secret rotation)', header: `${signatureHeader(SECRET, BODY, NOW)},v1=${'0'.repeat(64)}`, body: BODY, expected: 'ok' },
  { name: 'a tampered body', header: signatureHeader(SECRET, BODY, NOW), body: BODY.replace('330', '1'), expected: 'mismatch' },
  { name: 'a tampered signature', header: flipLastDigit(signatureHeader(SECRET, BODY, NOW)), body: BODY, expected: 'mismatch' },
  { name: 'another secret', header: signatureHeader(`${SECRET}-other`, BODY, NOW), body: BODY, expected: 'mismatch' },
  {
    name: 'a timestamp changed after signing',
    header: signatureHeader(SECRET, BODY, NOW).replace(`t=${NOW}`, `t=${NOW + 1}`),
    body: BODY,
    expected: 'mismatch',
  },
  { name: 'a stale timestamp (6 minutes old)', header: signatureHeader(SECRET, BODY, NOW - 360), body: BODY, expected: 'stale' },
  { name: 'a timestamp 6 minutes ahead', header: signatureHeader(SECRET, BODY, NOW + 360), body: BODY, expected: 'stale' },
  { name: 'no header', header: '', body: BODY, expected: 'missing' },
  { name: 'no timestamp', header: `v1=${'a'.repeat(64)}`, body: BODY, expected: 'malformed' },
  { name: 'two timestamps', header: `t=${NOW},t=${NOW},v1=${'a'.repeat(64)}`, body: BODY, expected: 'malformed' },
  { name: 'no v1', header: `t=${NOW}`, body: BODY, expected: 'malformed' },
];

type Check = (header: string, body: string) => string;

const typescriptCheck: Check = (header, body) => {
  const check = verifySignature(SECRET, header, body, NOW);
  return check.ok ? 'ok' : check.reason;
};

function runAll(check: Check): void {
  for (const { name, header, body, expected } of CASES) {
    test(`${expected === 'ok' ? 'takes' : 'refuses'} ${name}`, () => assert.equal(check(header, body), expected));
  }
}

describe('the service signature check (server-adapter/serve/signature.ts)', () => {
  runAll(typescriptCheck);
  test('the header is t=<seconds>,v1=<64 hex digits>', () => assert.match(signatureHeader(SECRET, BODY, NOW), new RegExp(`^t=${NOW},v1=[0-9a-f]{64}$`)));
});

describe('the PHP example check (examples/php/lib/izly-pay-signature.php)', { skip: SKIP_WITHOUT_PHP }, () => {
  runAll((header, body) => phpSignatureCheck(SECRET, header, body, NOW));
});

/** A snippet run as a program on a case, its body in a file (bytes as sent). */
function snippetCheck(folder: () => string, command: () => string[]): Check {
  return (header, body) => {
    const file = join(folder(), 'body.json');
    writeFileSync(file, body);
    const run = spawnSync(command()[0]!, [...command().slice(1), SECRET, header, file, String(NOW)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${command().join(' ')} failed: ${run.stderr}`);
    return run.stdout.trim();
  };
}

const hasPython = spawnSync('python3', ['--version']).status === 0;
const hasJava = spawnSync('javac', ['-version']).status === 0 && spawnSync('java', ['-version']).status === 0;

describe('the Python snippet (examples/snippets/izly_pay_signature.py)', { skip: hasPython ? false : 'python3 is not installed' }, () => {
  const folder = temporaryFolder('izly-pay-python-');
  after(() => folder.remove());
  runAll(
    snippetCheck(
      () => folder.path,
      () => ['python3', 'examples/snippets/izly_pay_signature.py'],
    ),
  );
});

describe('the Java snippet (examples/snippets/IzlyPaySignature.java)', { skip: hasJava ? false : 'javac or java is not installed' }, () => {
  const folder = temporaryFolder('izly-pay-java-');
  before(() => {
    const compiled = spawnSync('javac', ['-d', folder.path, 'examples/snippets/IzlyPaySignature.java'], { encoding: 'utf8' });
    assert.equal(compiled.status, 0, compiled.stderr);
  });
  after(() => folder.remove());
  runAll(
    snippetCheck(
      () => folder.path,
      () => ['java', '-cp', folder.path, 'IzlyPaySignature'],
    ),
  );
});
