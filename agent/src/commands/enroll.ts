// `harvester enroll --nester-url URL --token T`: trade a one-time enrolment token for this
// agent's own credential and keep it (mode 0600) in the state directory. `harvester` then
// connects to nester by itself.

import { parseCommand } from '@nester/common/cli/command';
import { configFileFlag } from '@nester/common/config/file';
import { defineFlags, UsageError } from '@nester/common/config/flags';
import type { EnrollRequest, EnrollResponse } from '@nester/contracts/nester/api';
import { ENROLL_PATH } from '@nester/contracts/remote/protocol';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseLabels } from '../remote/config';
import { gatherFacts } from '../remote/facts';
import { fetchPinnedTrust } from '../remote/pinned-certificate';
import { readEnrolment, defaultStateDir, writeEnrolment, writeStateFile } from '../remote/state';
import { normalizePin, tlsOptions } from '../remote/tls';

/** Where a self-signed nester certificate trusted by its pin is kept, in the state directory. */
const PINNED_CA_FILE = 'nester-ca.pem';

const FLAGS = defineFlags({
  ...configFileFlag('HARVESTER_CONFIG'),
  'nester-url': {
    type: 'string',
    help: "nester's URL, e.g. https://nester.example.com.",
    env: 'HARVESTER_NESTER_URL',
  },
  token: { type: 'string', help: 'The enrolment token.', env: 'HARVESTER_ENROLL_TOKEN', secret: true },
  'state-dir': {
    type: 'string',
    help: 'Where to keep the credential (default: /var/lib/harvester as root, else ~/.local/state/harvester).',
    env: 'HARVESTER_STATE_DIR',
  },
  'nester-ca': {
    type: 'string',
    help: "CA file (PEM) to verify nester's certificate, e.g. its self-signed certificate.",
  },
  'nester-pin-sha256': {
    type: 'string',
    help: "SHA-256 fingerprint nester's certificate must have (hex, colons optional). Alone, it trusts nester's self-signed certificate: checked by the pin, then kept in the state directory as the CA.",
  },
  force: { type: 'boolean', help: 'Replace an existing enrolment.', default: false },
  'remote.label': { type: 'list', help: 'key=value label reported for this machine. Repeatable.' },
});

const ENROLL = {
  usage: 'harvester enroll --nester-url URL --token TOKEN [flags]',
  description:
    "Enrol this machine with nester: exchange a one-time enrolment token (`nester token create`) for the agent's own credential.",
  flags: FLAGS,
};

export async function enroll(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const parsed = parseCommand(ENROLL, argv, env);
  if (!parsed) return;
  const { values } = parsed;
  const nesterUrl = values['nester-url'];
  const token = values.token;
  if (!nesterUrl || !token) throw new UsageError('both --nester-url and --token are required');
  if (!/^https?:\/\/[^/]/.test(nesterUrl)) throw new UsageError('--nester-url must be an http(s) URL');
  const pin = values['nester-pin-sha256'];
  if (pin) {
    try {
      normalizePin(pin);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const stateDir = values['state-dir'] || defaultStateDir(env);
  const existing = readEnrolment(stateDir);
  if (existing && !values.force) {
    throw new UsageError(
      `already enrolled as ${existing.harvesterId} with ${existing.nesterUrl} (${stateDir}); add --force to enrol again`,
    );
  }

  const labels = parseLabels(values['remote.label']);
  const facts = await gatherFacts({ vnc: { host: '127.0.0.1', port: 5900 }, terminalEnabled: false, labels });
  const trust = { caFile: values['nester-ca'], pinSha256: pin };
  // A pin without a CA file: the pinned certificate itself becomes the CA, once it is checked.
  const pinned =
    pin && !trust.caFile && nesterUrl.startsWith('https:')
      ? await fetchPinnedTrust(new URL(nesterUrl), pin)
      : undefined;
  const pinnedPem = pinned?.kind === 'self-signed' ? pinned.pem : undefined;
  const answer = await postJson(new URL(ENROLL_PATH, nesterUrl), { token, facts } satisfies EnrollRequest, {
    ...tlsOptions(trust),
    ...(pinnedPem ? { ca: pinnedPem } : {}),
  });
  if (answer.status !== 201) {
    const detail = typeof answer.body.error === 'string' ? answer.body.error : `HTTP ${answer.status}`;
    throw new Error(`nester refused the enrolment: ${detail}`);
  }
  const { harvesterId, credential } = answer.body as Partial<EnrollResponse>;
  if (!harvesterId || !credential)
    throw new Error('nester answered without a credential; is --nester-url really nester?');
  if (pinnedPem) trust.caFile = writeStateFile(stateDir, PINNED_CA_FILE, pinnedPem);
  const path = writeEnrolment(stateDir, {
    nesterUrl,
    harvesterId,
    credential,
    enrolledAt: new Date().toISOString(),
    nesterCa: trust.caFile,
    nesterPinSha256: pin,
  });
  process.stdout.write(
    `enrolled as ${harvesterId}; credential stored in ${path} (mode 0600).\nStart (or restart) harvester and it connects to ${nesterUrl}.\n`,
  );
}

function postJson(url: URL, body: unknown, tls: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: 15_000,
        ...tls,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            const value: unknown = JSON.parse(text);
            if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
          } catch {
            // not JSON: reported through the status
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => reject(new Error(`cannot reach nester at ${url.origin}: ${err.message}`)));
    req.end(payload);
  });
}
