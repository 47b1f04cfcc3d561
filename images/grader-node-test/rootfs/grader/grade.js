'use strict';
// JavaScript grader (issue #9): the teacher's tests (*.test.js, node's built-in test runner), baked into the
// assignment image under /grader/assignment (root-owned, read-only), run against the submission, which the tests
// load with require('solution') (NODE_PATH points at the copy in /tmp/work).
// Two modes (images/README.md, "Two modes"; issue #13):
//   CASES=test   (default) the teacher's *.test.js under node --test, in confined processes that load the submission:
//                full feedback, but the submission shares them and could tamper with its own visible results.
//   CASES=grade  the hidden checks of grade.json: this (trusted) grader sends calls to a confined worker that loads
//                the submission and compares the answers itself; the expected values never enter its process.
// Params (job params arrive as environment variables):
//   CASES=test|grade   which mode (default test)
//   TIMEOUT=seconds    time limit for the whole run (default 10); tests or checks unfinished by then fail
//   MAX_GRADE=number   what all tests passed scores (default 10)
//   ALLOW_DEGRADED_CONFINEMENT=1  run even where the confinement is degraded (images/README.md, "Confinement")
// Prints one response (schemas/container_response.json); exit 0 when the correction completed, 2 on its own failure.
const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert');
const crypto = require('node:crypto');
const readline = require('node:readline');
const confine = require('/grader/lib/confine.js');

const SUBMISSION = '/tmp/exercise';
const ASSIGNMENT = '/grader/assignment';
const HIDDEN_CHECKS = 'grade.json';
const WORK = '/tmp/work';
const KEEP = 64 * 1024;
const CHANNEL_KEEP = 4 * 1024 * 1024;

class GraderError extends Error {}

function numberParam(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new GraderError(`param ${name}=${raw} must be a number greater than 0`);
  return value;
}

const clip = (text, limit = 2000) => (text.length <= limit ? text : `${text.slice(0, limit)}... (${text.length - limit} more characters)`);

function respond(response) {
  process.stdout.write(`${JSON.stringify(response)}\n`, () => process.exit(0));
}

const studentEnv = () => ({ PATH: '/usr/bin:/bin', HOME: WORK, LANG: 'C.UTF-8', NODE_PATH: WORK });

// Runs node confined, with a time limit; killing `confine run` makes the spawner kill whatever the submission started.
// stdout is kept (up to `keep`): in CASES=test it is the reporter's channel, a pipe no other process can reach.
function runNode(args, timeoutSeconds, keep = 0) {
  return new Promise((resolve) => {
    const child = confine.spawnConfined([process.execPath, ...args], { workdir: WORK, env: studentEnv() });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => { if (stdout.length < keep) stdout += chunk; });
    child.stderr.on('data', (chunk) => { if (stderr.length < KEEP) stderr += chunk; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; confine.stop(child); }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stderr, stdout });
    });
  });
}

// Rebuilds the tree from the reporter's events: children finish before their suite, so a suite claims the unclaimed
// entries nested deeper than itself and prefixes their names; what is left at the end are the leaf tests.
function leafTests(events) {
  const open = [];
  for (const event of events) {
    const children = [];
    while (open.length > 0 && open[open.length - 1].nesting > event.nesting) children.unshift(open.pop());
    if (children.length === 0 && !event.suite) {
      open.push({ ...event });
      continue;
    }
    // node 18 wraps each test file in a test named by its path; show the file name only.
    const prefix = path.isAbsolute(event.name) ? path.basename(event.name) : event.name;
    for (const child of children) open.push({ ...child, nesting: event.nesting, name: `${prefix} > ${child.name}` });
  }
  return open;
}

function readEvents(stdout) {
  const events = [];
  for (const line of stdout.split('\n')) {
    try {
      const event = JSON.parse(line);
      if (event && typeof event === 'object' && typeof event.name === 'string') events.push(event);
    } catch { /* an empty or cut line, or something else printed on the runner's stdout */ }
  }
  return events;
}

// node's error report without its stack frames (they point into node's internals, not at the student's code).
const withoutStack = (text) => text.split('\n').filter((l) => !/^\s+at /.test(l) && !/^Node\.js v/.test(l)).join('\n').trim();

const lastLine = (text) => text.trim().split('\n').filter((l) => l.trim()).slice(-1)[0] ?? '';

// The submission reads its own copies: /tmp/exercise and /grader are out of its reach (images/README.md).
function prepareWork(extra) {
  if (!fs.existsSync(SUBMISSION)) throw new GraderError(`no submission at ${SUBMISSION}`);
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  fs.copyFileSync(SUBMISSION, path.join(WORK, 'solution.js'));
  for (const file of extra) fs.copyFileSync(file, path.join(WORK, path.basename(file)));
}

// /grader's modes (the grader's group only) do not come along: the submission (uid 1001) reads the copies.
function shareWithSubmission(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) shareWithSubmission(full);
    else fs.chmodSync(full, 0o644);
  }
}

async function loads(timeout) {
  // Does not compile, or throws when loaded: success false (the correction completed; the submission is broken).
  // Compiling runs no student code: it gets at least 10 s, so a loaded machine does not turn into "does not compile".
  const check = await runNode(['--check', 'solution.js'], Math.max(timeout, 10));
  if (check.timedOut) return respond({ success: false, error: `checking the submission's syntax did not finish within ${Math.max(timeout, 10)} s` });
  if (check.code !== 0) return respond({ success: false, error: clip(`the submission does not compile:\n${withoutStack(check.stderr)}`) });
  const load = await runNode(['-e', "require('solution')"], timeout);
  if (load.timedOut) return respond({ success: false, error: `loading the submission did not finish within ${timeout} s` });
  if (load.code !== 0) return respond({ success: false, error: clip(`the submission throws when loaded:\n${withoutStack(load.stderr)}`) });
  return true;
}

async function runVisible(timeout, maxGrade) {
  const testFiles = fs.readdirSync(ASSIGNMENT).filter((f) => /\.test\.(c|m)?js$/.test(f)).sort();
  if (testFiles.length === 0) throw new GraderError(`the assignment image has no *.test.js files in ${ASSIGNMENT}`);
  prepareWork(['/grader/reporter.mjs']);
  fs.cpSync(ASSIGNMENT, path.join(WORK, 'tests'), { recursive: true, filter: (src) => path.basename(src) !== HIDDEN_CHECKS });
  shareWithSubmission(WORK);
  if (await loads(timeout) !== true) return;

  // Each file runs in one confined process of its own (node:test run directly, not --test, whose per-file children would
  // be the submission's siblings): the submission's parent is then the spawner's supervisor, never its own runner.
  const deadline = Date.now() + timeout * 1000;
  const tests = [];
  for (const file of testFiles) {
    const left = (deadline - Date.now()) / 1000;
    const run = left > 0 ? await runNode([`--test-reporter=${path.join(WORK, 'reporter.mjs')}`, '--test-reporter-destination=stdout',
      path.join(WORK, 'tests', file)], left, CHANNEL_KEEP) : { timedOut: true, stdout: '', code: null };
    const found = leafTests(readEvents(run.stdout)).map((t) => (testFiles.length > 1 ? { ...t, name: `${file} > ${t.name}` } : t));
    // A file whose run ended before any test reported (process.exit while loading the submission) fails as a whole.
    if (found.length === 0 && !run.timedOut) found.push({ name: file, status: 'failed', output: `no test ran: the file's run ended while loading the submission (exit ${run.code})` });
    tests.push(...found);
    if (run.timedOut) {
      tests.push({ name: 'time limit', status: 'failed', output: `the tests did not finish within ${timeout} s` });
      break;
    }
  }
  const perTest = Math.round((maxGrade / tests.length) * 10000) / 10000;
  const passed = tests.filter((t) => t.status === 'passed').length;
  const comments = [`Passed ${passed} of ${tests.length} tests.`,
    ...tests.filter((t) => t.status !== 'passed').map((t) => `${t.name} failed: ${clip(lastLine(String(t.output ?? '')), 300)}`)];
  respond({
    success: true,
    grade: Math.round((maxGrade * passed / tests.length) * 100) / 100,
    max_grade: maxGrade,
    comments,
    tests: tests.map((t) => ({
      name: String(t.name), status: t.status === 'passed' ? 'passed' : 'failed', score: t.status === 'passed' ? perTest : 0,
      max_score: perTest, visibility: 'visible', ...(t.output ? { output: clip(String(t.output)) } : {}),
    })),
  });
}

function loadChecks(file) {
  let document;
  try { document = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (error) { throw new GraderError(`${file}: ${error.message}`); }
  const checks = document?.checks;
  if (!Array.isArray(checks) || checks.length === 0) throw new GraderError(`${file} must hold {"checks": [...]} with at least one check`);
  checks.forEach((check, i) => {
    if (typeof check?.call !== 'string') throw new GraderError(`check ${i + 1} of ${file} has no "call" (an export name)`);
    if (('expect' in check) === ('raises' in check)) throw new GraderError(`check ${i + 1} of ${file} needs exactly one of "expect" and "raises"`);
    if (!Array.isArray(check.args ?? [])) throw new GraderError(`check ${i + 1} of ${file}: "args" must be a list`);
  });
  return checks;
}

function passes(check, answer) {
  if (!answer) return false;
  if ('raises' in check) return 'raised' in answer && Array.isArray(answer.classes) && answer.classes.includes(check.raises);
  if ('raised' in answer || !('value' in answer)) return false;
  const [actual, expected] = [answer.value, check.expect];
  if (typeof actual === 'number' && typeof expected === 'number' && typeof check.tolerance === 'number') {
    return Math.abs(actual - expected) <= check.tolerance;
  }
  try { assert.deepStrictEqual(actual, expected); return true; } catch { return false; }
}

// A confined worker loads the submission and answers calls ({id, call, args} lines); it never sees what is expected.
async function runHidden(timeout, maxGrade) {
  const file = path.join(ASSIGNMENT, HIDDEN_CHECKS);
  if (!fs.existsSync(file)) throw new GraderError(`CASES=grade needs ${file} (the hidden checks; images/README.md)`);
  const checks = loadChecks(file);
  prepareWork(['/grader/call-worker.js']);
  shareWithSubmission(WORK);
  const deadline = Date.now() + timeout * 1000;
  const worker = confine.spawnConfined([process.execPath, 'call-worker.js'], { workdir: WORK, env: studentEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  worker.stderr.resume();
  worker.stdin.on('error', () => { /* the worker ended: its calls get no answer */ });
  const waiting = new Map();
  let ended = false;
  readline.createInterface({ input: worker.stdout }).on('line', (line) => {
    let answer;
    try { answer = JSON.parse(line); } catch { return; } // something the submission printed: not an answer
    const resolve = waiting.get(answer?.id);
    if (resolve) { waiting.delete(answer.id); resolve(answer); }
  });
  worker.on('close', () => { ended = true; for (const resolve of waiting.values()) resolve(null); waiting.clear(); });
  const call = (check) => new Promise((resolve) => {
    if (ended) return resolve(null);
    const id = crypto.randomBytes(8).toString('hex'); // an answer counts only for the call it names
    const timer = setTimeout(() => { waiting.delete(id); resolve(null); }, Math.max(0, deadline - Date.now()));
    waiting.set(id, (answer) => { clearTimeout(timer); resolve(answer); });
    worker.stdin.write(`${JSON.stringify({ id, call: check.call, args: check.args ?? [] })}\n`);
  });
  const perCheck = Math.round((maxGrade / checks.length) * 10000) / 10000;
  const tests = [];
  for (const [i, check] of checks.entries()) {
    const ok = passes(check, await call(check));
    // Hidden: the name only, never the arguments, the expected value or the answer:
    // a student who saw them could print the answers.
    tests.push({ name: String(check.name ?? `check ${i + 1}`), status: ok ? 'passed' : 'failed', score: ok ? perCheck : 0, max_score: perCheck, visibility: 'hidden' });
  }
  await new Promise((resolve) => { if (ended) resolve(); else { worker.on('close', resolve); confine.stop(worker); } });
  const passed = tests.filter((t) => t.status === 'passed').length;
  respond({
    success: true,
    grade: Math.round((maxGrade * passed / checks.length) * 100) / 100,
    max_grade: maxGrade,
    comments: [`Passed ${passed} of ${checks.length} hidden checks. Grade checks are hidden: only the counts are shown.`],
    tests,
  });
}

async function main() {
  const mode = (process.env.CASES || 'test').toLowerCase();
  if (mode !== 'test' && mode !== 'grade') throw new GraderError(`param CASES='${mode}' must be one of test, grade`);
  const timeout = numberParam('TIMEOUT', 10);
  const maxGrade = numberParam('MAX_GRADE', 10);
  try {
    confine.check();
  } catch (error) {
    if (!(error instanceof confine.ConfinementRefused)) throw error;
    return respond({ success: false, error: clip(`the grader refuses to run the submission here: ${error.message}`, 1000) });
  }
  await (mode === 'test' ? runVisible(timeout, maxGrade) : runHidden(timeout, maxGrade));
}

main().catch((error) => {
  process.stderr.write(`grader error: ${error instanceof GraderError ? error.message : error.stack}\n`);
  process.exit(2);
});
