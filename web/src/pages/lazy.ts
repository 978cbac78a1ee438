import { lazy } from 'react';

// Each screen is its own chunk: ProTable and the calendar editor load only when opened.
export const HomePage = lazy(() => import('./HomePage').then((m) => ({ default: m.HomePage })));
export const CalendarPage = lazy(() => import('./CalendarPage').then((m) => ({ default: m.CalendarPage })));
export const OrganisationsPage = lazy(() =>
  import('./OrganisationsPage').then((m) => ({ default: m.OrganisationsPage })),
);
export const UsersPage = lazy(() => import('./UsersPage').then((m) => ({ default: m.UsersPage })));
export const OnlineSessionsPage = lazy(() =>
  import('./OnlineSessionsPage').then((m) => ({ default: m.OnlineSessionsPage })),
);
export const AccountSecurityPage = lazy(() =>
  import('./AccountSecurityPage').then((m) => ({ default: m.AccountSecurityPage })),
);
export const AuditPage = lazy(() => import('./AuditPage').then((m) => ({ default: m.AuditPage })));
export const MyDataPage = lazy(() => import('./MyDataPage').then((m) => ({ default: m.MyDataPage })));
export const UploadPage = lazy(() => import('./UploadPage').then((m) => ({ default: m.UploadPage })));
export const BatchesPage = lazy(() => import('./BatchesPage').then((m) => ({ default: m.BatchesPage })));
export const DeliveryStatusPage = lazy(() =>
  import('./DeliveryStatusPage').then((m) => ({ default: m.DeliveryStatusPage })),
);
export const QualityPage = lazy(() => import('./QualityPage').then((m) => ({ default: m.QualityPage })));
export const ApiKeysPage = lazy(() => import('./ApiKeysPage').then((m) => ({ default: m.ApiKeysPage })));
export const WebhooksPage = lazy(() => import('./WebhooksPage').then((m) => ({ default: m.WebhooksPage })));
export const DeliveryRulesPage = lazy(() =>
  import('./DeliveryRulesPage').then((m) => ({ default: m.DeliveryRulesPage })),
);
export const RetentionPage = lazy(() =>
  import('./RetentionPage').then((m) => ({ default: m.RetentionPage })),
);
export const JobsPage = lazy(() => import('./JobsPage').then((m) => ({ default: m.JobsPage })));
