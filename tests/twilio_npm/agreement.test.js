#!/usr/bin/env node
// Agreement test: the official `twilio` npm package against Vaarta's own Twilio code
// (src/telephony/twilio), reached through tests/fakes/twiml_conformance_tool.
//
//   node agreement.test.js <path to twiml_conformance_tool>
//
// Signatures, both ways, on generated requests: what Vaarta signs, twilio validates; what
// twilio signs, Vaarta validates; both produce the same signature; both reject tampered
// requests; both agree on port variants. The same for JSON bodies (bodySHA256).
// TwiML: the same calls built with twilio.twiml.VoiceResponse and rendered by Vaarta parse
// to the same element tree (names, attribute sets, text).
//
// Exits non-zero, naming the first disagreements and the seed, on any difference.
// VAARTA_AGREEMENT_SEED picks another seed; the default one keeps runs reproducible.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const SETUP_HINT = 'run scripts/npm_test_deps.sh (npm ci in tests/twilio_npm) first';

function die(message) {
  console.error(`twilio_npm_agreement: FAIL: ${message}`);
  process.exit(1);
}

const toolPath = process.argv[2];
if (!toolPath || !fs.existsSync(toolPath)) {
  die(`usage: node agreement.test.js <twiml_conformance_tool>; got ${toolPath || 'nothing'}`);
}
if (!fs.existsSync(path.join(__dirname, 'node_modules', 'twilio', 'package.json'))) {
  die(`tests/twilio_npm/node_modules is missing: ${SETUP_HINT}`);
}
// eslint-disable-next-line import/no-dynamic-require
const twilio = require(path.join(__dirname, 'node_modules', 'twilio'));
const twilioVersion = require(path.join(__dirname, 'node_modules', 'twilio', 'package.json'))
  .version;
const pinnedVersion = require(path.join(__dirname, 'package.json')).dependencies.twilio;
if (twilioVersion !== pinnedVersion) {
  die(`node_modules has twilio ${twilioVersion}, package.json pins ${pinnedVersion}: ${SETUP_HINT}`);
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32).

const SEED = Number(process.env.VAARTA_AGREEMENT_SEED || 20240605) >>> 0;
function makeRng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = makeRng(SEED);
const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = (items) => items[Math.floor(rng() * items.length)];
const chance = (p) => rng() < p;

// Pieces of text that exercise escaping, UTF-8 and sort order: Devanagari, emoji (beyond
// U+FFFF, i.e. surrogate pairs in JavaScript), characters U+E000..U+FFFF (which sort after
// surrogate pairs in UTF-16 but before them in UTF-8), XML specials, URL specials,
// whitespace, and characters XML 1.0 forbids.
const TEXT_PIECES = [
  'a', 'Z', '0', '9', ' ', 'namaste', 'नमस्ते', 'आपका', 'धन्यवाद', 'ठीक है', 'haan ji',
  'EMI', '😀', '🙏', '\u{1F1EE}\u{1F1F3}', '\uE000', '\uFF01', '\uFFFD', 'é', 'ß', '&', '<',
  '>', '"', "'", '&amp;', ']]>', '=', '+', '%', '%20', '?', '#', '/', ',', ';', '\t', '\n',
  '\r', '\r\n',
];
const FORBIDDEN_PIECES = ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\uFFFE',
  '\uFFFF'];

function randomText(maxPieces, { forbidden = false } = {}) {
  const n = int(0, maxPieces);
  let s = '';
  for (let i = 0; i < n; i += 1) {
    s += forbidden && chance(0.08) ? pick(FORBIDDEN_PIECES) : pick(TEXT_PIECES);
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// The tool, as a promise per request over its JSON-lines pipe.

class Tool {
  constructor(file) {
    this.child = childProcess.spawn(file, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.waiting = [];
    this.child.on('exit', (code, signal) => {
      for (const { reject } of this.waiting) {
        reject(new Error(`conformance tool exited (code ${code}, signal ${signal})`));
      }
      this.waiting = [];
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (!next) return;
      const answer = JSON.parse(line);
      if (answer.error) next.reject(new Error(`conformance tool: ${answer.error}`));
      else next.resolve(answer);
    });
  }

  ask(request) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  close() {
    this.child.stdin.end();
  }
}

// ---------------------------------------------------------------------------------------
// Bookkeeping.

const failures = [];
const counts = {};
function count(name) {
  counts[name] = (counts[name] || 0) + 1;
}
function check(ok, what, details) {
  count(ok ? 'checks passed' : 'checks failed');
  if (!ok) failures.push({ what, details });
}

// ---------------------------------------------------------------------------------------
// Signatures over form-encoded requests.

const HOSTS = ['vaarta.example.in', 'mycompany.com', 'webhooks.example.com', '127.0.0.1',
  '[::1]', 'xn--h2brj9c.example'];
const PATH_SEGMENTS = ['twilio', 'voice', 'status', 'gather', 'relay', 'recording', 'amd',
  'v1', 'calls', 'CA0123456789abcdef0123456789abcdef', '%E0%A4%A8%E0%A4%AE', 'myapp.php',
  'a-b_c.d~e'];
const QUERY_VALUES = ['1', '2', '', 'hi-IN', 'a%20b', 'a+b', '%E0%A4%A8%E0%A4%AE%E0%A4%B8',
  'x%26y', 'campaign_42', 'true', '%F0%9F%98%80'];
const PARAM_NAMES = ['CallSid', 'AccountSid', 'From', 'To', 'Caller', 'Called', 'CallStatus',
  'Direction', 'Digits', 'SpeechResult', 'Confidence', 'AnsweredBy', 'SequenceNumber',
  'Timestamp', 'RecordingUrl', 'RecordingSid', 'ApiVersion', 'CallbackSource', 'a', 'A', 'b',
  '10', '9', '_', 'नाम', 'Ω', '😀key', '\uFF01key', 'x y', 'k&v=1'];

function randomUrl() {
  const scheme = pick(['https', 'https', 'http']);
  const host = pick(HOSTS);
  const port = pick(['', '', '', scheme === 'https' ? ':443' : ':80', ':8443', ':8080']);
  const depth = int(0, 4);
  let urlPath = '';
  for (let i = 0; i < depth; i += 1) urlPath += `/${pick(PATH_SEGMENTS)}`;
  if (depth === 0 && chance(0.5)) urlPath = '/';
  let url = `${scheme}://${host}${port}${urlPath}`;
  if (chance(0.6)) {
    const n = int(1, 4);
    const pairs = [];
    for (let i = 0; i < n; i += 1) {
      pairs.push(`${pick(['foo', 'bar', 'call', 'lang', 'turn', 'c', 'campaign'])}=${pick(QUERY_VALUES)}`);
    }
    url += `${urlPath ? '' : '/'}?${pairs.join('&')}`;
  }
  return url;
}

function randomToken() {
  if (chance(0.1)) return pick(['12345', 'secret token', 'टोकन', 'x']);
  let s = '';
  for (let i = 0; i < 32; i += 1) s += '0123456789abcdef'[int(0, 15)];
  return s;
}

function randomParams() {
  const n = int(0, 9);
  const pairs = [];
  for (let i = 0; i < n; i += 1) {
    const name = chance(0.85) ? pick(PARAM_NAMES) : randomText(3) || 'n';
    const value = chance(0.15) ? '' : randomText(5);
    pairs.push([name, value]);
    // Repeated names, sometimes with a repeated value (signed once, as twilio-node does).
    if (chance(0.15)) pairs.push([name, chance(0.3) ? value : randomText(4)]);
  }
  // __proto__ cannot be an own key of a plain object; Twilio never sends it.
  return pairs.filter(([name]) => name !== '__proto__');
}

// A request's parameters the way a Node web framework hands them to twilio: one string per
// name, an array for a repeated name.
function toObject(pairs) {
  const object = {};
  for (const [name, value] of pairs) {
    if (!Object.prototype.hasOwnProperty.call(object, name)) object[name] = value;
    else if (Array.isArray(object[name])) object[name].push(value);
    else object[name] = [object[name], value];
  }
  return object;
}

function splitPort(url) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  const authority = m[2];
  const colon = authority.indexOf(':', authority.lastIndexOf(']') + 1);
  return {
    prefix: m[1],
    host: colon === -1 ? authority : authority.slice(0, colon),
    port: colon === -1 ? '' : authority.slice(colon),
    rest: m[3],
  };
}

// A different request URL for the same webhook: default port added or dropped, another
// port, or none.
function portVariant(url) {
  const p = splitPort(url);
  const port = pick(['', p.prefix === 'https://' ? ':443' : ':80', ':8443', ':443', ':80']);
  return `${p.prefix}${p.host}${port}${p.rest}`;
}

const MARK = '\u2063tampered';
// Changes that must invalidate a signature. Each returns {label, token, url, pairs,
// signature}; host case and percent-encoding changes are left out on purpose (twilio-node
// retries with a WHATWG-normalised URL, which Vaarta deliberately does not).
function tamper(request) {
  const { token, url, pairs, signature } = request;
  const options = [
    () => ({ label: 'other token', token: `${token}x` }),
    () => ({ label: 'added parameter', pairs: [...pairs, [`Extra${MARK}`, '1']] }),
    () => ({ label: 'path changed', url: url.replace(/(\?|$)/, `/x$1`) }),
    () => ({ label: 'query value added', url: `${url}${url.includes('?') ? '&' : '?'}t=${encodeURIComponent(MARK)}` }),
    () => ({ label: 'scheme changed', url: url.startsWith('https:') ? `http:${url.slice(6)}` : `https:${url.slice(5)}` }),
    () => ({ label: 'signature byte changed', signature: signature.slice(0, 5) + (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6) }),
    () => ({ label: 'signature truncated', signature: signature.slice(0, -2) }),
    () => ({ label: 'signature empty', signature: '' }),
    () => {
      const p = splitPort(url);
      return { label: 'host changed', url: `${p.prefix}evil.example${p.port}${p.rest}` };
    },
  ];
  if (pairs.length > 0) {
    const i = int(0, pairs.length - 1);
    options.push(() => ({
      label: 'value changed',
      pairs: pairs.map((pair, k) => (k === i ? [pair[0], pair[1] + MARK] : pair)),
    }));
    options.push(() => ({
      label: 'name changed',
      pairs: pairs.map((pair, k) => (k === i ? [pair[0] + MARK, pair[1]] : pair)),
    }));
    // Dropping a pair only changes what is signed when no other pair repeats it.
    const [name, value] = pairs[i];
    if (pairs.filter(([n, v]) => n === name && v === value).length === 1) {
      options.push(() => ({ label: 'parameter dropped', pairs: pairs.filter((_, k) => k !== i) }));
    }
  }
  const change = pick(options)();
  return { ...request, ...change };
}

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = int(0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function checkFormSignatures(tool, n) {
  for (let i = 0; i < n; i += 1) {
    const token = randomToken();
    const url = randomUrl();
    const pairs = randomParams();
    const params = toObject(pairs);
    const where = { token, url, pairs };
    count('form requests');

    const ours = (await tool.ask({ op: 'sign', token, url, params: pairs })).signature;
    const theirs = twilio.getExpectedTwilioSignature(token, url, params);
    check(ours === theirs, 'same signature', { ...where, ours, theirs });
    check(twilio.validateRequest(token, ours, url, params) === true,
      'twilio validates what Vaarta signs', { ...where, ours });
    check((await tool.ask({ op: 'validate', token, signature: theirs, url, params: pairs })).valid === true,
      'Vaarta validates what twilio signs', { ...where, theirs });

    // Order of the POST parameters on the wire does not matter.
    const reordered = shuffled(pairs);
    check((await tool.ask({ op: 'validate', token, signature: theirs, url, params: reordered })).valid === true,
      'Vaarta validates reordered parameters', { ...where, reordered });

    // Tampered: both must reject.
    const bad = tamper({ token, url, pairs, signature: theirs });
    count(`tampered: ${bad.label}`);
    const oursValid = (await tool.ask({ op: 'validate', token: bad.token, signature: bad.signature, url: bad.url, params: bad.pairs })).valid;
    const theirsValid = twilio.validateRequest(bad.token, bad.signature, bad.url, toObject(bad.pairs));
    check(oursValid === false && theirsValid === false, `both reject: ${bad.label}`,
      { ...where, bad, oursValid, theirsValid });

    // Port variants: signed for one spelling of the URL, received at another.
    const signedAt = portVariant(url);
    const signature = twilio.getExpectedTwilioSignature(token, signedAt, params);
    const oursPort = (await tool.ask({ op: 'validate', token, signature, url, params: pairs })).valid;
    const theirsPort = twilio.validateRequest(token, signature, url, params);
    count(`port variants (${theirsPort ? 'accepted' : 'rejected'})`);
    check(oursPort === theirsPort, 'same verdict on a port variant',
      { ...where, signedAt, oursPort, theirsPort });
  }
}

// ---------------------------------------------------------------------------------------
// Signatures over JSON bodies (bodySHA256).

function randomBody() {
  const object = {};
  const n = int(0, 6);
  for (let i = 0; i < n; i += 1) object[pick(PARAM_NAMES)] = chance(0.2) ? int(0, 1000) : randomText(6);
  return chance(0.1) ? '' : JSON.stringify(object, null, chance(0.5) ? 0 : 2);
}

async function checkBodySignatures(tool, n) {
  for (let i = 0; i < n; i += 1) {
    const token = randomToken();
    const body = randomBody();
    const base = randomUrl();
    const where = { token, base, body };
    count('json-body requests');

    const oursHash = (await tool.ask({ op: 'body_sha256', body })).sha256;
    const theirsHash = twilio.getExpectedBodyHash(body);
    check(oursHash === theirsHash, 'same body SHA-256', { ...where, oursHash, theirsHash });

    const url = `${base}${base.includes('?') ? '&' : '?'}bodySHA256=${theirsHash}`;
    const ours = (await tool.ask({ op: 'sign', token, url, params: [] })).signature;
    const theirs = twilio.getExpectedTwilioSignature(token, url, {});
    check(ours === theirs, 'same body-request signature', { ...where, url, ours, theirs });
    check(twilio.validateRequestWithBody(token, ours, url, body) === true,
      'twilio validates the body request Vaarta signs', { ...where, url, ours });
    check((await tool.ask({ op: 'validate_body', token, signature: theirs, url, body })).valid === true,
      'Vaarta validates the body request twilio signs', { ...where, url, theirs });

    // Tampered: another body under the same URL and signature; another hash in a correctly
    // re-signed URL; a wrong signature.
    const otherHash = twilio.getExpectedBodyHash(`${body} `);
    const resignedUrl = url.replace(theirsHash, otherHash);
    const cases = [
      { label: 'body changed', url, body: `${body} `, signature: theirs },
      { label: 'body changed, hash re-signed', url: resignedUrl, body, signature: twilio.getExpectedTwilioSignature(token, resignedUrl, {}) },
      { label: 'signature of another URL', url, body, signature: twilio.getExpectedTwilioSignature(token, base, {}) },
      { label: 'other token', url, body, signature: twilio.getExpectedTwilioSignature(`${token}x`, url, {}) },
    ];
    const bad = pick(cases);
    count(`tampered body request: ${bad.label}`);
    const oursValid = (await tool.ask({ op: 'validate_body', token, signature: bad.signature, url: bad.url, body: bad.body })).valid;
    const theirsValid = twilio.validateRequestWithBody(token, bad.signature, bad.url, bad.body);
    check(oursValid === false && theirsValid === false, `both reject: ${bad.label}`,
      { ...where, bad, oursValid, theirsValid });
  }
}

// ---------------------------------------------------------------------------------------
// TwiML. A document is a list of instructions in the tool's JSON form (field names of
// telephony/call_control.h). buildWithTwilio() writes the same calls with VoiceResponse,
// applying the documented rules of twiml_builder.h: empty strings, zero optional numbers and
// loop == 1 are "not set"; method goes with action (Redirect: always).

// What XML 1.0 cannot carry; Vaarta drops it, xmlbuilder would throw or emit it raw.
function xmlChars(s) {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function attrs(entries) {
  const out = {};
  for (const [name, value, isSet] of entries) {
    if (isSet) out[name] = typeof value === 'string' ? xmlChars(value) : value;
  }
  return out;
}
const nonEmpty = (s) => s !== '';

// Byte order of UTF-8 (= code point order), the order of std::map<std::string, ...>.
function codePointCompare(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
const sortedEntries = (object) => Object.entries(object).sort(([a], [b]) => codePointCompare(a, b));

function sayAttrs(v) {
  return attrs([['voice', v.voice, nonEmpty(v.voice)], ['language', v.language, nonEmpty(v.language)],
    ['loop', v.loop, v.loop !== 1]]);
}
function playAttrs(v) {
  return attrs([['loop', v.loop, v.loop !== 1], ['digits', v.digits, nonEmpty(v.digits)]]);
}
const orUndefined = (s) => (s === '' ? undefined : xmlChars(s));

function addVerb(parent, v) {
  switch (v.verb) {
    case 'Say':
      parent.say(sayAttrs(v), xmlChars(v.text));
      break;
    case 'Play':
      parent.play(playAttrs(v), orUndefined(v.url));
      break;
    case 'Pause':
      parent.pause({ length: v.seconds });
      break;
    case 'Gather': {
      const gather = parent.gather(attrs([
        ['input', v.input, nonEmpty(v.input)],
        ['action', v.action, nonEmpty(v.action)],
        ['method', v.method, nonEmpty(v.action) && nonEmpty(v.method)],
        ['language', v.language, nonEmpty(v.language)],
        ['speechTimeout', v.speech_timeout, nonEmpty(v.speech_timeout)],
        ['timeout', v.timeout_seconds, true],
        ['hints', v.hints, nonEmpty(v.hints)],
        ['actionOnEmptyResult', v.action_on_empty_result, true],
        ['numDigits', v.num_digits, v.num_digits > 0],
        ['finishOnKey', v.finish_on_key, nonEmpty(v.finish_on_key)],
        ['speechModel', v.speech_model, nonEmpty(v.speech_model)],
      ]));
      for (const prompt of v.prompts) addVerb(gather, prompt);
      break;
    }
    case 'Record':
      parent.record(attrs([
        ['action', v.action, nonEmpty(v.action)],
        ['method', v.method, nonEmpty(v.action) && nonEmpty(v.method)],
        ['maxLength', v.max_length_seconds, v.max_length_seconds > 0],
        ['timeout', v.timeout_seconds, v.timeout_seconds > 0],
        ['playBeep', v.play_beep, true],
        ['finishOnKey', v.finish_on_key, nonEmpty(v.finish_on_key)],
        ['recordingStatusCallback', v.recording_status_callback, nonEmpty(v.recording_status_callback)],
        ['trim', v.trim, nonEmpty(v.trim)],
      ]));
      break;
    case 'Dial': {
      const dial = parent.dial(attrs([
        ['callerId', v.caller_id, nonEmpty(v.caller_id)],
        ['action', v.action, nonEmpty(v.action)],
        ['method', v.method, nonEmpty(v.action) && nonEmpty(v.method)],
        ['timeout', v.timeout_seconds, true],
        ['timeLimit', v.time_limit_seconds, v.time_limit_seconds > 0],
        ['record', v.record, nonEmpty(v.record)],
      ]));
      if (v.number !== '') dial.number({}, xmlChars(v.number));
      break;
    }
    case 'Hangup':
      parent.hangup();
      break;
    case 'Redirect':
      parent.redirect(attrs([['method', v.method, nonEmpty(v.method)]]), xmlChars(v.url));
      break;
    case 'Connect': {
      const connect = parent.connect(attrs([
        ['action', v.action, nonEmpty(v.action)],
        ['method', v.method, nonEmpty(v.action) && nonEmpty(v.method)],
      ]));
      if (v.relay) {
        const r = v.relay;
        const relay = connect.conversationRelay(attrs([
          ['url', r.url, true],
          ['welcomeGreeting', r.welcome_greeting, nonEmpty(r.welcome_greeting)],
          ['language', r.language, nonEmpty(r.language)],
          ['ttsProvider', r.tts_provider, nonEmpty(r.tts_provider)],
          ['voice', r.voice, nonEmpty(r.voice)],
          ['transcriptionProvider', r.transcription_provider, nonEmpty(r.transcription_provider)],
          ['speechModel', r.speech_model, nonEmpty(r.speech_model)],
          ['interruptible', r.interruptible, nonEmpty(r.interruptible)],
          ['dtmfDetection', r.dtmf_detection, true],
          ['hints', r.hints, nonEmpty(r.hints)],
        ]));
        for (const [code, settings] of sortedEntries(r.languages)) {
          relay.language(attrs([['code', code, true],
            ...Object.entries(settings).map(([name, value]) => [name, value, nonEmpty(value)])]));
        }
        for (const [name, value] of sortedEntries(r.parameters)) {
          relay.parameter({ name: xmlChars(name), value: xmlChars(value) });
        }
      } else {
        const s = v.stream;
        const stream = connect.stream(attrs([
          ['url', s.url, true], ['name', s.name, nonEmpty(s.name)], ['track', s.track, nonEmpty(s.track)],
        ]));
        for (const [name, value] of sortedEntries(s.parameters)) {
          stream.parameter({ name: xmlChars(name), value: xmlChars(value) });
        }
      }
      break;
    }
    default:
      throw new Error(`no such verb ${v.verb}`);
  }
}

function buildWithTwilio(doc) {
  const response = new twilio.twiml.VoiceResponse();
  for (const instruction of doc) addVerb(response, instruction);
  return response.toString();
}

// Random instructions with every field given, a fair share of them "not set".
const URLS = ['https://vaarta.example.in/twilio/gather?call=CA1&turn=2',
  'https://vaarta.example.in/twilio/voice', 'http://127.0.0.1:8080/twilio/status?a="b"&c=<d>',
  'https://cdn.example.com/audio/नमस्ते.mp3', ''];
const WSS = ['wss://vaarta.example.in/twilio/relay?call=CA1&token=a%2Bb', 'ws://127.0.0.1:9000/relay'];
const VOICES = ['', 'Polly.Aditi', 'Polly.Kajal-Neural', 'Google.hi-IN-Standard-A', 'alice', 'en-IN-Wavenet-"A"'];
const LANGS = ['', 'en-IN', 'hi-IN', 'en-US', 'mr-IN'];
const optional = (values) => (chance(0.35) ? values[0] : pick(values));
const someText = (n) => randomText(n, { forbidden: true });
const someNumber = () => pick([0, 0, 1, 2, 5, 10, 30, 3600]);

function randomSay() {
  return { verb: 'Say', text: someText(8), language: optional(LANGS), voice: optional(VOICES), loop: pick([1, 1, 0, 2, 3]) };
}
function randomPlay() {
  const digits = chance(0.3) ? pick(['1234#', 'w', 'ww12']) : '';
  return { verb: 'Play', url: digits ? '' : pick(URLS), loop: pick([1, 1, 0, 2]), digits };
}
function randomPause() {
  return { verb: 'Pause', seconds: pick([1, 2, 5, 0]) };
}
function randomGather() {
  const prompts = [];
  const n = int(0, 3);
  for (let i = 0; i < n; i += 1) prompts.push(pick([randomSay, randomPlay, randomPause])());
  return {
    verb: 'Gather',
    input: optional(['speech dtmf', 'speech', 'dtmf', 'speech dtmf']),
    action: optional(URLS),
    method: pick(['POST', 'GET', '']),
    language: optional(LANGS),
    speech_timeout: optional(['auto', '3', 'auto']),
    timeout_seconds: pick([5, 0, 3, 10]),
    hints: optional(['', 'haan, nahi, EMI, कल', 'yes,no', someText(4)]),
    action_on_empty_result: chance(0.5),
    num_digits: pick([0, 0, 1, 4]),
    finish_on_key: optional(['', '#', '*']),
    speech_model: optional(['', 'phone_call', 'experimental_conversations']),
    prompts,
  };
}
function randomRecord() {
  return {
    verb: 'Record',
    action: optional(URLS),
    method: pick(['POST', 'GET']),
    max_length_seconds: someNumber(),
    timeout_seconds: someNumber(),
    play_beep: chance(0.5),
    finish_on_key: optional(['', '#', '1234567890*#']),
    recording_status_callback: optional(URLS),
    trim: optional(['', 'trim-silence', 'do-not-trim']),
  };
}
function randomDial() {
  return {
    verb: 'Dial',
    number: optional(['', '+919876543210', '+14155550100']),
    caller_id: optional(['', '+918045678901']),
    action: optional(URLS),
    method: pick(['POST', 'GET']),
    timeout_seconds: pick([30, 0, 20]),
    time_limit_seconds: someNumber(),
    record: optional(['', 'record-from-answer-dual', 'do-not-record']),
  };
}
function randomRedirect() {
  return { verb: 'Redirect', url: pick(URLS), method: pick(['POST', 'GET', '']) };
}
function randomParameters() {
  const out = {};
  const n = int(0, 4);
  for (let i = 0; i < n; i += 1) {
    out[pick(['campaign_id', 'lead_id', 'call_id', 'language', 'नाम', 'x"y', 'a&b', 'Z', '😀'])] = someText(4);
  }
  return out;
}
function randomConnect() {
  const connect = { verb: 'Connect', action: optional(URLS), method: pick(['POST', 'GET']) };
  if (chance(0.6)) {
    const languages = {};
    const n = int(0, 3);
    for (let i = 0; i < n; i += 1) {
      languages[pick(['hi-IN', 'en-IN', 'mr-IN', 'ta-IN'])] = {
        ttsProvider: optional(['', 'Google', 'ElevenLabs', 'Amazon']),
        voice: optional(VOICES),
        transcriptionProvider: optional(['', 'Google', 'Deepgram']),
      };
    }
    connect.relay = {
      url: pick(WSS),
      welcome_greeting: optional(['', 'नमस्ते! यह कॉल रिकॉर्ड की जा रही है।', 'Hello, this call is recorded & "monitored".', someText(6)]),
      language: optional(LANGS),
      tts_provider: optional(['', 'Google', 'ElevenLabs']),
      voice: optional(VOICES),
      transcription_provider: optional(['', 'Google', 'Deepgram']),
      speech_model: optional(['', 'telephony', 'nova-2-phonecall']),
      interruptible: optional(['', 'any', 'none', 'dtmf', 'speech']),
      dtmf_detection: chance(0.5),
      hints: optional(['', 'Vaarta, EMI, किस्त']),
      languages,
      parameters: randomParameters(),
    };
  } else {
    connect.stream = {
      url: pick(WSS),
      name: optional(['', 'call-audio', 'स्ट्रीम']),
      track: optional(['', 'inbound_track', 'both_tracks']),
      parameters: randomParameters(),
    };
  }
  return connect;
}
const GENERATORS = {
  Say: randomSay, Play: randomPlay, Pause: randomPause, Gather: randomGather, Record: randomRecord,
  Dial: randomDial, Hangup: () => ({ verb: 'Hangup' }), Redirect: randomRedirect, Connect: randomConnect,
};

// Documents as Vaarta's conversation transports write them, then random mixtures.
function fixedDocuments() {
  return [
    [],
    [{ verb: 'Say', text: 'नमस्ते, मैं वार्ता से बोल रही हूँ। यह कॉल रिकॉर्ड की जा रही है।', language: 'hi-IN', voice: 'Google.hi-IN-Standard-A', loop: 1 },
      { verb: 'Gather', input: 'speech dtmf', action: 'https://vaarta.example.in/twilio/gather?call=CA1&turn=1', method: 'POST', language: 'hi-IN', speech_timeout: 'auto', timeout_seconds: 5, hints: 'haan, nahi, EMI', action_on_empty_result: true, num_digits: 0, finish_on_key: '', speech_model: '', prompts: [] }],
    [{ verb: 'Say', text: 'Tom & Jerry <say> "hello" it\'s ]]> done', language: 'en-IN', voice: '', loop: 2 },
      { verb: 'Hangup' }],
    [{ verb: 'Connect', action: 'https://vaarta.example.in/twilio/relay-done?call=CA1', method: 'POST',
      relay: { url: 'wss://vaarta.example.in/twilio/relay?call=CA1', welcome_greeting: 'नमस्ते! This call is recorded.', language: 'hi-IN', tts_provider: 'Google', voice: 'hi-IN-Standard-A', transcription_provider: 'Google', speech_model: 'telephony', interruptible: 'any', dtmf_detection: true, hints: 'EMI, किस्त',
        languages: { 'en-IN': { ttsProvider: 'Google', voice: 'en-IN-Standard-A', transcriptionProvider: 'Google' }, 'hi-IN': { ttsProvider: 'ElevenLabs', voice: 'voice"1', transcriptionProvider: 'Deepgram' } },
        parameters: { campaign_id: '42', lead_id: 'L&7', greeting: 'नमस्ते <b>' } } }],
    [{ verb: 'Connect', action: '', method: 'POST', stream: { url: 'wss://vaarta.example.in/media?x=1&y=2', name: 'call-audio', track: 'both_tracks', parameters: { call_id: 'CA1', note: 'a "quoted" & <tagged> value' } } }],
    [{ verb: 'Record', action: 'https://vaarta.example.in/twilio/recorded', method: 'POST', max_length_seconds: 30, timeout_seconds: 5, play_beep: true, finish_on_key: '#', recording_status_callback: 'https://vaarta.example.in/twilio/recording?call=CA1&x=1', trim: 'trim-silence' },
      { verb: 'Dial', number: '+919876543210', caller_id: '+918045678901', action: 'https://vaarta.example.in/twilio/dial-done', method: 'POST', timeout_seconds: 20, time_limit_seconds: 600, record: 'record-from-answer-dual' },
      { verb: 'Redirect', url: 'https://vaarta.example.in/twilio/voice?step=2&lang=hi', method: 'POST' },
      { verb: 'Play', url: 'https://cdn.example.com/beep.mp3', loop: 0, digits: '' },
      { verb: 'Play', url: '', loop: 1, digits: 'ww1234#' },
      { verb: 'Pause', seconds: 2 }],
    [{ verb: 'Gather', input: 'dtmf', action: 'https://vaarta.example.in/g', method: 'GET', language: 'en-IN', speech_timeout: '3', timeout_seconds: 0, hints: '', action_on_empty_result: false, num_digits: 4, finish_on_key: '*', speech_model: 'phone_call',
      prompts: [randomSay(), { verb: 'Play', url: 'https://cdn.example.com/a.mp3', loop: 2, digits: '' }, { verb: 'Pause', seconds: 1 }] }],
    [{ verb: 'Say', text: 'control\u0001chars\u000Bgone\uFFFE and\ttab\nnewline\r\ncrlf', language: '', voice: '', loop: 1 }],
  ];
}

function randomDocument() {
  const doc = [];
  const n = int(1, 6);
  for (let i = 0; i < n; i += 1) doc.push(pick(Object.values(GENERATORS))());
  return doc;
}

// A tiny XML parser for what both sides write: declaration, elements, attributes, text,
// entity and character references, no comments/CDATA/DOCTYPE. Applies XML's line-end and
// attribute-value normalisation, so the trees compare as an XML parser would see them.
function parseXml(xml) {
  let i = 0;
  const fail = (what) => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(xml.slice(Math.max(0, i - 30), i + 30))}`);
  };
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(xml);
  if (!decl) fail('missing XML declaration');
  i = decl[0].length;
  const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (raw, inAttribute) => {
    let s = raw.replace(/\r\n?/g, '\n');
    if (inAttribute) s = s.replace(/[\t\n]/g, ' ');
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_, ref) => {
      if (ref[0] === '#') {
        return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
      }
      if (!(ref in ENTITIES)) fail(`unknown entity &${ref};`);
      return ENTITIES[ref];
    });
  };
  const nameAt = () => {
    const m = /^[A-Za-z_:][A-Za-z0-9_.:-]*/.exec(xml.slice(i));
    if (!m) fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (/[ \t\r\n]/.test(xml[i] || '')) i += 1;
  };
  const element = () => {
    if (xml[i] !== '<') fail('expected <');
    i += 1;
    const node = { name: nameAt(), attrs: {}, children: [] };
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return node;
      }
      if (xml[i] === '>') {
        i += 1;
        break;
      }
      const attr = nameAt();
      skipSpace();
      if (xml[i] !== '=') fail('expected =');
      i += 1;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('expected a quote');
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = xml.slice(i + 1, end);
      if (raw.includes('<')) fail('< in attribute value');
      if (attr in node.attrs) fail(`duplicate attribute ${attr}`);
      node.attrs[attr] = decode(raw, true);
      i = end + 1;
    }
    for (;;) {
      if (xml.startsWith('</', i)) {
        i += 2;
        if (nameAt() !== node.name) fail(`mismatched end tag for ${node.name}`);
        skipSpace();
        if (xml[i] !== '>') fail('expected >');
        i += 1;
        return node;
      }
      if (xml[i] === '<') {
        node.children.push(element());
      } else {
        const end = xml.indexOf('<', i);
        if (end < 0) fail('unterminated element');
        const text = decode(xml.slice(i, end), false);
        const last = node.children[node.children.length - 1];
        if (typeof last === 'string') node.children[node.children.length - 1] = last + text;
        else node.children.push(text);
        i = end;
      }
    }
  };
  const root = element();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

// Canonical form: attributes sorted by name, empty text nodes dropped.
function canonical(node) {
  if (typeof node === 'string') return node;
  const attrsSorted = {};
  for (const name of Object.keys(node.attrs).sort()) attrsSorted[name] = node.attrs[name];
  return {
    name: node.name,
    attrs: attrsSorted,
    children: node.children.filter((c) => c !== '').map(canonical),
  };
}

function verbsIn(doc, seen) {
  for (const v of doc) {
    seen.add(v.verb);
    if (v.verb === 'Gather') verbsIn(v.prompts, seen);
    if (v.verb === 'Connect') {
      if (v.relay) {
        seen.add('ConversationRelay');
        if (Object.keys(v.relay.languages).length) seen.add('ConversationRelay/Language');
        if (Object.keys(v.relay.parameters).length) seen.add('ConversationRelay/Parameter');
      } else {
        seen.add('Stream');
        if (Object.keys(v.stream.parameters).length) seen.add('Stream/Parameter');
      }
    }
    if (v.verb === 'Dial' && v.number) seen.add('Dial/Number');
  }
}

async function checkTwiml(tool, n) {
  const docs = [...fixedDocuments()];
  while (docs.length < n) docs.push(randomDocument());
  const seen = new Set();
  for (const doc of docs) {
    verbsIn(doc, seen);
    count('TwiML documents');
    const ours = (await tool.ask({ op: 'twiml', doc })).xml;
    const theirs = buildWithTwilio(doc);
    let same = false;
    let why = '';
    try {
      same = JSON.stringify(canonical(parseXml(ours))) === JSON.stringify(canonical(parseXml(theirs)));
      if (!same) why = 'trees differ';
    } catch (e) {
      why = e.message;
    }
    check(same, 'equivalent TwiML', { doc, ours, theirs, why });
  }
  const required = ['Say', 'Play', 'Pause', 'Gather', 'Record', 'Dial', 'Dial/Number', 'Hangup',
    'Redirect', 'Connect', 'ConversationRelay', 'ConversationRelay/Language',
    'ConversationRelay/Parameter', 'Stream', 'Stream/Parameter'];
  for (const verb of required) check(seen.has(verb), `TwiML coverage of ${verb}`, {});
}

// ---------------------------------------------------------------------------------------

async function main() {
  const tool = new Tool(toolPath);
  try {
    await checkFormSignatures(tool, Number(process.env.VAARTA_AGREEMENT_REQUESTS || 400));
    await checkBodySignatures(tool, Number(process.env.VAARTA_AGREEMENT_BODIES || 150));
    await checkTwiml(tool, Number(process.env.VAARTA_AGREEMENT_DOCUMENTS || 300));
  } finally {
    tool.close();
  }
  for (const [name, n] of Object.entries(counts).sort()) console.log(`  ${name}: ${n}`);
  console.log(`twilio ${twilioVersion}, seed ${SEED}`);
  if (failures.length > 0) {
    for (const f of failures.slice(0, 10)) {
      console.error(`DISAGREEMENT: ${f.what}\n${JSON.stringify(f.details, null, 2)}`);
    }
    die(`${failures.length} disagreement(s) with the twilio npm package (seed ${SEED})`);
  }
  console.log('twilio_npm_agreement: PASS');
}

main().catch((e) => die(e.stack || String(e)));
