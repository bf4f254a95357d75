// What turning data into words needs: the till's settings, and product names for restrictions.
import type { OfflinePolicy, StackingPolicy } from '../validation-context';

export type DisplayContext = {
  locale: string;
  currency: string;
  timeZone: string;
  offlinePolicy: OfflinePolicy;
  stacking: StackingPolicy;
  /** A product's name for "add … to the ticket"; falls back to its id. */
  productName?: (id: string) => string | undefined;
};
