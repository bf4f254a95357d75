// The validation context for evaluating the ticket on screen: the same inputs the till API uses
// when it validates a scan or commits a sale (sync/till.ts), so what the cashier sees is what the
// sale will do.
import type { ValidationContext } from '../../core/validation-context';
import type { Till } from '../../sync/till';

export async function evaluationContext(till: Till, now: number): Promise<ValidationContext> {
  const online = till.status().online === true;
  const lastPull = online ? undefined : (await till.db.meta.get('last_pull_at'))?.value;
  return {
    now,
    timeZone: till.settings.timeZone,
    online,
    offlinePolicy: till.settings.offlinePolicy,
    stacking: till.settings.stacking,
    replicaAgeMs: online ? 0 : typeof lastPull === 'number' ? now - lastPull : Infinity,
  };
}
