// Sealed secrets on the LSP connection: what a trace prints is not the secret, only the server
// holding the session key opens it, and a tampered value is refused rather than misread.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newSessionKey, openSecret, sealSecret } from '../../server/protocol/secrets';
import { takeLaunchSecrets } from '../../server/handlers/storageCloud';

describe('sealed secrets', () => {
  it('round-trip under the session key, and the wire text does not contain the secret', () => {
    const key = newSessionKey();
    const sealed = sealSecret('{"secretAccessKey":"wJalrXUtnFEMI"}', key);
    assert.ok(!JSON.stringify(sealed).includes('wJalrXUtnFEMI'));
    assert.notEqual(sealSecret('same', key).sealed, sealSecret('same', key).sealed, 'a fresh IV each time');
    assert.equal(openSecret(sealed, key), '{"secretAccessKey":"wJalrXUtnFEMI"}');
  });

  it('are refused under another key or when tampered with', () => {
    const key = newSessionKey();
    const sealed = sealSecret('secret', key);
    assert.throws(() => openSecret(sealed, newSessionKey()));
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    assert.throws(() => openSecret({ sealed: bytes.toString('base64') }, key));
  });

  it('reach the server in its environment and are taken out of it at once', () => {
    const env: NodeJS.ProcessEnv = { NEUROLAKE_SESSION_KEY: 'k', NEUROLAKE_CLOUD_ACCESS_KEY_ID: 'AKIA', NEUROLAKE_CLOUD_SECRET_ACCESS_KEY: 's', PATH: '/bin' };
    assert.deepEqual(takeLaunchSecrets(env), { sessionKey: 'k', cloudCredentials: { accessKeyId: 'AKIA', secretAccessKey: 's' } });
    assert.deepEqual(env, { PATH: '/bin' });
    assert.deepEqual(takeLaunchSecrets({ NEUROLAKE_CLOUD_ACCESS_KEY_ID: '', NEUROLAKE_CLOUD_SECRET_ACCESS_KEY: '' }), {}, 'empty: the AWS default chain');
  });
});
