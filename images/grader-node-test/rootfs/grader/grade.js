'use strict';
// JavaScript grader (issue #9; seed 003): the teacher's tests (*.test.js, node's built-in test runner), baked into the
// assignment image under /grader/assignment (root-owned, read-only), run against the submission, which the tests
// load with require('solution') (NODE_PATH points at the copy in /tmp/work).
// Params (job params arrive as environment variables):
//   TIMEOUT=seconds    time limit for the whole test run (default 10); tests unfinished by then fail
//   MAX_GRADE=number   what all tests passed scores (default 10)
// Prints one response (schemas/container_response.json); exit 0 when the correction completed, 2 on its own failure.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const SUBMISSION = '/tmp/exercise';
const ASSIGNMENT = '/grader/assignment';
const WORK = '/tmp/work';
const EVENTS = '/tmp/grader-events.jsonl';
const KEEP = 64 * 1024;

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

// Runs node with a time limit in a process group of its own, so a timeout kills whatever the submission started.
function runNode(args, timeoutSeconds) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: WORK, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin', HOME: WORK, LANG: 'C.UTF-8', NODE_PATH: WORK },
    });
    let stderr = '';
    child.stdout.resume(); // the submission's prints are not the response
    child.stderr.on('data', (chunk) => { if (stderr.length < KEEP) stderr += chunk; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } },
      timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
      resolve({ code, timedOut, stderr });
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

function readEvents() {
  if (!fs.existsSync(EVENTS)) return [];
  const events = [];
  for (const line of fs.readFileSync(EVENTS, 'utf8').split('\n')) {
    try { events.push(JSON.parse(line)); } catch { /* an empty or cut line */ }
  }
  return events;
}

// node's error report without its stack frames (they point into node's internals, not at the student's code).
const withoutStack = (text) => text.split('\n').filter((l) => !/^\s+at /.test(l) && !/^Node\.js v/.test(l)).join('\n').trim();

const lastLine = (text) => text.trim().split('\n').filter((l) => l.trim()).slice(-1)[0] ?? '';

async function main() {
  const timeout = numberParam('TIMEOUT', 10);
  const maxGrade = numberParam('MAX_GRADE', 10);
  const testFiles = fs.readdirSync(ASSIGNMENT).filter((f) => /\.test\.(c|m)?js$/.test(f)).sort()
    .map((f) => path.join(ASSIGNMENT, f));
  if (testFiles.length === 0) throw new GraderError(`the assignment image has no *.test.js files in ${ASSIGNMENT}`);
  if (!fs.existsSync(SUBMISSION)) throw new GraderError(`no submission at ${SUBMISSION}`);
  fs.mkdirSync(WORK, { recursive: true });
  fs.copyFileSync(SUBMISSION, path.join(WORK, 'solution.js'));

  // Does not compile, or throws when loaded: success false (the correction completed; the submission is broken).
  const check = await runNode(['--check', 'solution.js'], timeout);
  if (check.code !== 0) return respond({ success: false, error: clip(`the submission does not compile:\n${withoutStack(check.stderr)}`) });
  const load = await runNode(['-e', "require('solution')"], timeout);
  if (load.timedOut) return respond({ success: false, error: `loading the submission did not finish within ${timeout} s` });
  if (load.code !== 0) return respond({ success: false, error: clip(`the submission throws when loaded:\n${withoutStack(load.stderr)}`) });

  const run = await runNode(['--test', '--test-reporter=/grader/reporter.mjs', `--test-reporter-destination=${EVENTS}`,
    ...testFiles], timeout);
  const tests = leafTests(readEvents());
  if (run.timedOut) tests.push({ name: 'time limit', status: 'failed', output: `the tests did not finish within ${timeout} s` });
  if (tests.length === 0) throw new GraderError(`the test runner reported no tests (exit ${run.code}): ${clip(run.stderr, 500)}`);

  const perTest = Math.round((maxGrade / tests.length) * 10000) / 10000;
  const passed = tests.filter((t) => t.status === 'passed').length;
  const comments = [`Passed ${passed} of ${tests.length} tests.`,
    ...tests.filter((t) => t.status !== 'passed').map((t) => `${t.name} failed: ${clip(lastLine(t.output), 300)}`)];
  respond({
    success: true,
    grade: Math.round((maxGrade * passed / tests.length) * 100) / 100,
    max_grade: maxGrade,
    comments,
    tests: tests.map((t) => ({
      name: t.name, status: t.status, score: t.status === 'passed' ? perTest : 0, max_score: perTest,
      visibility: 'visible', ...(t.output ? { output: clip(t.output) } : {}),
    })),
  });
}

main().catch((error) => {
  process.stderr.write(`grader error: ${error instanceof GraderError ? error.message : error.stack}\n`);
  process.exit(2);
});
