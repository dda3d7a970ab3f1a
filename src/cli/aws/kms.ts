/** KMS completers: key ids and aliases of the region (for --key-id, --target-key-id, --ssekms-key-id ...). */
import { registerCompleter } from './completers';
import { T_ALIASES, T_KEYS, type AliasRow, type KeyRow } from '../../engine/services/kms/model';

registerCompleter('kms-key', (sandbox, region, partial) => {
  const keys = sandbox.db.table<KeyRow>(T_KEYS).filter((k) => k.region === region && k.state !== 'PendingDeletion').map((k) => k.keyId);
  const aliases = sandbox.db.table<AliasRow>(T_ALIASES).filter((a) => a.region === region).map((a) => a.name);
  return [...new Set([...aliases, 'alias/aws/s3', ...keys])].filter((x) => x.startsWith(partial)).sort();
});
