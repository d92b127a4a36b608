import type { EcsAlert } from './alert.ts';

/**
 * An alert's revision is its finding count: the alert a finding opened is revision 1, and every finding that
 * joins its group raises it. It only grows, so "newer" is "higher count" for every destination.
 */
export function alertRevision(alert: EcsAlert): number {
  return alert.keywatch.alert.count;
}

/** True for a later version of an alert delivered before (same id, more findings). */
export function isAlertUpdate(alert: EcsAlert): boolean {
  return alertRevision(alert) > 1;
}

/**
 * One id per version of an alert: the alert id for the first, `<id>-r<revision>` for updates. Queue items,
 * webhook ids and dead letters use it, so an update is never mistaken for a repeat of the first version.
 */
export function alertVersionId(alert: EcsAlert): string {
  const id = alert.keywatch.alert.id;
  return isAlertUpdate(alert) ? `${id}-r${alertRevision(alert)}` : id;
}
