import { type EcsAlert, SEVERITY_NUMBER } from '@keywatch/alerts';
import type { Route } from './config.ts';

export function routeMatches(route: Route, alert: EcsAlert): boolean {
  const { severity, minSeverity, detector, owner, tags } = route.match;
  const level = alert.keywatch.alert.severity;
  if (severity && !severity.includes(level)) return false;
  if (minSeverity && SEVERITY_NUMBER[level] < SEVERITY_NUMBER[minSeverity]) return false;
  if (detector && !detector.includes(alert.rule.id)) return false;
  const keyOwner = alert.keywatch.key.owner;
  if (owner && (keyOwner === null || !owner.includes(keyOwner))) return false;
  if (tags && !tags.some((tag) => alert.keywatch.key.tags.includes(tag))) return false;
  return true;
}

/**
 * The destinations an alert goes to: the union of every matching route's `to`, in route order, until a
 * matching route says `stop`. Without routes, every destination.
 */
export function routeAlert(alert: EcsAlert, routes: Route[] | undefined, allDestinations: string[]): string[] {
  if (!routes) return [...allDestinations];
  const chosen = new Set<string>();
  for (const route of routes) {
    if (!routeMatches(route, alert)) continue;
    for (const name of route.to) chosen.add(name);
    if (route.stop) break;
  }
  return [...chosen];
}
