import type { ChangeRecord } from '../../electron/core/contract';
import { api } from './host';

/**
 * Undoes the window's own latest change of a product (an edit or a delete just made): the one the
 * notice after it offers. Refused in words when someone changed the product since.
 */
export async function undoOwn(productId: number, action: ChangeRecord['action']): Promise<ChangeRecord> {
  const mine = (await api.listChanges({ source: 'app', limit: 50 })).find(
    (c) => c.productId === productId && c.action === action && !c.undoneAt,
  );
  if (!mine) throw new Error('That change is no longer in the history');
  return (await api.undoChange({ id: mine.id })).change;
}
