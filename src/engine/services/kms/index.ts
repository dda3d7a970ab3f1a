/** AWS KMS (simulated): symmetric keys, aliases, key state and deletion, envelope encryption for S3 and clients. */
import { defineService } from '../../service';
import { ADMIN_IDENTITY } from '../../identity';
import { keyOperations } from './handlers/keys';
import { DELETE_TIMER, onDeleteTimer } from './model';
import { authorizeKms } from './authz';

export const kms = defineService({
  name: 'kms',
  cliName: 'kms',
  title: 'AWS Key Management Service',
  doc: 'Encryption keys you control: create a key, give it an alias, encrypt and decrypt small secrets, and make data keys for envelope encryption (S3 SSE-KMS uses them). Nimbus simulates the cryptography: its ciphertext blobs look like KMS ones but only Nimbus can open them.',
  protocol: 'json',
  operations: keyOperations,
  authorize: authorizeKms,
  setup(sandbox) {
    sandbox.scheduler.on(DELETE_TIMER, (p) => {
      const keyId = (p as { keyId: string }).keyId;
      const row = sandbox.db.table<{ region: string }>('kms.keys').get(keyId);
      onDeleteTimer(sandbox.context(row?.region ?? 'us-east-1', ADMIN_IDENTITY), { keyId });
    });
  },
});

export * from './model';
export { encryptUnder, decryptBlob, newDataKey } from './handlers/keys';
export { kmsErrors, asS3KmsError } from './errors';
export { requireKmsForS3, decideKms } from './authz';
