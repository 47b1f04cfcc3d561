'use strict';
// Runs a submission under the spawner's confinement (/grader/bin/confine, images/confine/; issue #13), for graders
// built on correctomatic/node-base. The image starts as `confine init -- node <grader>` (label
// correctomatic.sandbox=spawner): the grader runs as uid 1000 and asks the spawner, through the fd named by
// CORRECTOMATIC_CONFINE_FD, to run each submission as uid 1001 in a session of its own, with rlimits, no_new_privs,
// Landlock where the kernel has it, and only the pipes given here. images/README.md, "Confinement".
const { spawn, spawnSync } = require('node:child_process');

const CONFINE = '/grader/bin/confine';
const FD_ENV = 'CORRECTOMATIC_CONFINE_FD';
const REFUSED = 125;

class ConfinementRefused extends Error {}

// The job param ALLOW_DEGRADED_CONFINEMENT=1: run even where the confinement is degraded (operator's choice).
const allowDegraded = () => ['1', 'true', 'yes'].includes((process.env.ALLOW_DEGRADED_CONFINEMENT ?? '').trim().toLowerCase());

function spawnerFd() {
  const raw = process.env[FD_ENV] ?? '';
  if (!/^\d+$/.test(raw)) {
    throw new ConfinementRefused(`no spawner: ${FD_ENV} is not set; the image's CMD must start with '${CONFINE} init --' `
      + 'and carry the label correctomatic.sandbox=spawner');
  }
  return Number(raw);
}

// stdio for spawn: the three given, then the spawner's fd at its own number (and nothing else of the grader's).
function stdioWith(first) {
  const fd = spawnerFd();
  const stdio = [...first];
  while (stdio.length < fd) stdio.push('ignore');
  stdio.push(fd);
  return stdio;
}

const clientEnv = () => ({ [FD_ENV]: process.env[FD_ENV], PATH: '/usr/bin:/bin' });

// What the spawner gives here, one line; throws ConfinementRefused with its reason when it would refuse.
function check() {
  const done = spawnSync(CONFINE, ['check', ...(allowDegraded() ? ['--allow-degraded'] : [])],
    { cwd: '/tmp', env: clientEnv(), stdio: stdioWith(['ignore', 'pipe', 'pipe']), encoding: 'utf8', timeout: 30000 });
  if (done.status !== 0) throw new ConfinementRefused((done.stderr ?? '').trim() || `confine check exited with ${done.status}`);
  return done.stdout.trim();
}

// Spawns argv confined: workdir is its only writable dir, env exactly its environment, stdio its three streams.
function spawnConfined(argv, { workdir, env, stdio = ['ignore', 'pipe', 'pipe'] }) {
  const args = ['run', '--workdir', workdir];
  for (const [key, value] of Object.entries(env)) args.push('--env', `${key}=${value}`);
  if (allowDegraded()) args.push('--allow-degraded');
  // detached: `confine run` leads a process group of its own; killing it makes the spawner kill the submission's all.
  return spawn(CONFINE, [...args, '--', ...argv], { cwd: workdir, env: clientEnv(), stdio: stdioWith(stdio), detached: true });
}

// Ends a `confine run` child: SIGTERM makes it hang up and exit only once the spawner has killed every process of the
// submission, so the next run cannot meet that kill; SIGKILL after `graceMs`.
function stop(child, graceMs = 10000) {
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; /* already gone */ }
  const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
  child.on('close', () => clearTimeout(timer));
}

module.exports = { CONFINE, REFUSED, ConfinementRefused, allowDegraded, check, spawnConfined, stop };
