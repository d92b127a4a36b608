/**
 * Severity from risk. The numbers are the four `event.severity` values Elastic Security's External
 * Alerts rule maps to its own severities (low 21, medium 47, high 73, critical 99); any other number
 * would be shown as low.
 */
export type SeverityLabel = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITY_NUMBER: Record<SeverityLabel, number> = { low: 21, medium: 47, high: 73, critical: 99 };

export function severityOf(riskScore: number): SeverityLabel {
  if (riskScore >= 90) return 'critical';
  if (riskScore >= 65) return 'high';
  if (riskScore >= 40) return 'medium';
  return 'low';
}
