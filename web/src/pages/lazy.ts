import { lazy } from 'react';

// Each screen is its own chunk: ProTable and the calendar editor load only when opened.
export const HomePage = lazy(() => import('./HomePage').then((m) => ({ default: m.HomePage })));
export const CalendarPage = lazy(() => import('./CalendarPage').then((m) => ({ default: m.CalendarPage })));
export const OrganisationsPage = lazy(() =>
  import('./OrganisationsPage').then((m) => ({ default: m.OrganisationsPage })),
);
export const UsersPage = lazy(() => import('./UsersPage').then((m) => ({ default: m.UsersPage })));
export const AuditPage = lazy(() => import('./AuditPage').then((m) => ({ default: m.AuditPage })));
