// Real Moodle sites for the Moodle suite: each release tarball found in the Moodle folder
// (by default ../shared/moodle beside the checkout, or COURSEPACK_MOODLE) is unpacked,
// installed by Moodle's own CLI installer into a PostgreSQL database and a data root of its
// own, and served by PHP's built-in server on 127.0.0.1. `site.php` beside this file does the
// administrator's work on a site (course, student, activities) and reads what it stored.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync, openSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repo } from '../browser/harness.mjs';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = 'Suite-1234';
export const STUDENT = { username: 'learner', password: 'Learner-1234' };

/** The folder of Moodle release tarballs, and the tarballs in it (moodle-<release>.tar.xz). */
export function moodleTarballs() {
  const folder = resolve(process.env.COURSEPACK_MOODLE || join(repo, '..', 'shared', 'moodle'));
  const found = existsSync(folder) ? readdirSync(folder).filter((f) => /^moodle-.*\.tar\.xz$/.test(f)).sort() : [];
  return { folder, tarballs: found.map((f) => join(folder, f)) };
}

/**
 * The sites' outgoing proxy: every request Moodle's server side tries to send beyond
 * 127.0.0.1 arrives here (Moodle's curl goes through its proxy setting), is refused and
 * recorded.
 */
export async function startOutsideRecorder() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(403);
    res.end();
  });
  server.on('connect', (req, socket) => {
    requests.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: server.address().port, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/** What is missing to run the suite, as sentences for the person running it; empty when nothing is. */
export function missingPrerequisites() {
  const missing = [];
  const { folder, tarballs } = moodleTarballs();
  if (!tarballs.length) {
    missing.push(`no Moodle release tarball (moodle-<release>.tar.xz) in ${folder}: set COURSEPACK_MOODLE to a folder holding upstream Moodle tarballs`);
  }
  for (const tool of ['php', 'pg_ctlcluster', 'psql', 'runuser']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { missing.push(`${tool} is not installed (tests/run-all.sh installs PHP 8.2 and PostgreSQL 15)`); }
  }
  return missing;
}

function psql(sql) {
  return execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8', cwd: '/', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } }).trim();
}

/** Starts the PostgreSQL cluster on 127.0.0.1 if it is down; returns how to stop what was started. */
export function startPostgres() {
  const clusters = execFileSync('pg_lsclusters', ['-h'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(/\s+/));
  if (!clusters.length || !clusters[0][0]) throw new Error('no PostgreSQL cluster: install postgresql-15');
  const [version, name, , status] = clusters[0];
  const conf = `/etc/postgresql/${version}/${name}/conf.d/coursepack-loopback.conf`;
  let started = false;
  if (!existsSync(conf)) {
    writeFileSync(conf, "listen_addresses = '127.0.0.1'\n");
    if (status === 'online') execFileSync('pg_ctlcluster', [version, name, 'restart']);
  }
  if (!/online/.test(execFileSync('pg_lsclusters', ['-h'], { encoding: 'utf8' }).split('\n')[0])) {
    execFileSync('pg_ctlcluster', [version, name, 'start']);
    started = true;
  }
  if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'coursepack'") !== '1') {
    psql(`CREATE ROLE coursepack LOGIN PASSWORD '${PASSWORD}'`);
  }
  return () => { if (started) execFileSync('pg_ctlcluster', [version, name, 'stop']); };
}

/**
 * One Moodle site from `tarball`, under `work`, served on `port`, sending anything outgoing
 * to the proxy on `proxyPort`. A site already installed there (the same data root and
 * database) is reused; `keep` leaves it for the next run.
 */
export async function startSite(tarball, { work, port, keep, proxyPort }) {
  const release = basename(tarball).replace(/^moodle-|\.tar\.xz$/g, '');
  const slug = release.replace(/[^0-9a-z]/gi, '');
  const root = join(work, `moodle-${slug}`);
  const code = join(root, 'moodle');
  const data = join(root, 'data');
  const db = `coursepack_moodle_${slug}`;
  const wwwroot = `http://127.0.0.1:${port}`;
  const log = join(root, 'php-server.log');
  const installed = existsSync(join(code, 'config.php')) && psql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`) === '1';
  if (!installed) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
    await run('tar', ['-xJf', tarball, '-C', root]);
    psql(`DROP DATABASE IF EXISTS ${db}`);
    psql(`CREATE DATABASE ${db} OWNER coursepack ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
    await run('php', ['-d', 'max_input_vars=5000', '-d', 'memory_limit=512M', 'admin/cli/install.php',
      '--non-interactive', '--agree-license', '--lang=en', `--wwwroot=${wwwroot}`, `--dataroot=${data}`,
      '--dbtype=pgsql', '--dbhost=127.0.0.1', '--dbport=5432', `--dbname=${db}`, '--dbuser=coursepack', `--dbpass=${PASSWORD}`,
      '--prefix=mdl_', `--fullname=coursepack suite ${release}`, '--shortname=suite', '--summary=coursepack Moodle suite',
      '--adminuser=admin', `--adminpass=${PASSWORD}`, '--adminemail=admin@example.invalid', '--supportemail=support@example.invalid'],
    { cwd: code, maxBuffer: 64 << 20 });
    // Developer debugging into the PHP error log (the server's log), never into pages or AJAX answers.
    const config = readFileSync(join(code, 'config.php'), 'utf8').replace(
      "require_once(__DIR__ . '/lib/setup.php');",
      "$CFG->noemailever = true;\n$CFG->debug = 32767;\n$CFG->debugdisplay = 0;\n$CFG->updateautocheck = 0;\n" +
      "require_once(__DIR__ . '/lib/setup.php');");
    writeFileSync(join(code, 'config.php'), config);
  }
  const site = { release, url: wwwroot, code, log, db, root };
  site.php = async (...args) => {
    const { stdout } = await run('php', [join(here, 'site.php'), code, ...args.map(String)], { maxBuffer: 64 << 20 });
    return JSON.parse(stdout);
  };
  Object.assign(site, await site.php('setup', proxyPort));
  writeFileSync(log, '');
  if (await answers(wwwroot)) throw new Error(`port ${port} is already in use: stop what listens there`);
  const server = spawn('php', ['-d', 'max_input_vars=5000', '-d', 'memory_limit=512M', '-d', 'post_max_size=256M',
    '-d', 'upload_max_filesize=256M', '-d', 'log_errors=1', '-d', 'display_errors=0',
    '-S', `127.0.0.1:${port}`, '-t', code], {
    // Several workers, so that the player's synchronous commits never queue behind page loads.
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
    detached: true,
  });
  const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ } };
  // Also when the suite is interrupted: a signal then ends the process through its exit handlers.
  process.once('exit', stopServer);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));
  await waitForServer(wwwroot, server);
  site.stop = () => {
    stopServer();
    if (!keep) {
      try { psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`); } catch { /* the cluster may be down */ }
      rmSync(root, { recursive: true, force: true });
    }
  };
  /** PHP warnings, notices and errors the server logged since `from` (a length of the log). */
  site.problemsSince = (from) => readFileSync(log, 'utf8').slice(from).split('\n')
    .filter((line) => /PHP (Warning|Notice|Fatal|Parse error|Deprecated)|Debugging:|Exception/.test(line));
  site.logLength = () => readFileSync(log, 'utf8').length;
  return site;
}

async function answers(url) {
  try {
    const res = await fetch(`${url}/login/index.php`, { redirect: 'manual' });
    return res.status < 500;
  } catch {
    return false;
  }
}

async function waitForServer(url, server) {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`PHP's server for ${url} exited with ${server.exitCode}`);
    if (await answers(url)) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`PHP's server for ${url} did not answer`);
}
