import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { RequireAuth, RequireScreen } from './auth/guards';
import { SessionProvider } from './auth/session';
import { I18nProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { ExportsPage } from './pages/ExportsPage';
import { LoginPage } from './pages/LoginPage';
import {
  AccountSecurityPage,
  ApiKeysPage,
  AuditPage,
  BatchesPage,
  CalendarPage,
  DeliveryRulesPage,
  DeliveryStatusPage,
  HomePage,
  JobsPage,
  MyDataPage,
  OnlineSessionsPage,
  OrganisationsPage,
  QualityPage,
  RetentionPage,
  UploadPage,
  UsersPage,
  WebhooksPage,
} from './pages/lazy';
import { NotFoundPage } from './pages/ResultPages';
import { VerifyPage } from './pages/VerifyPage';

// Its own chunk, like the screens of ./pages/lazy.
const PolicyProfilesPage = lazy(() =>
  import('./pages/PolicyProfilesPage').then((m) => ({ default: m.PolicyProfilesPage })),
);
const OfflineExchangePage = lazy(() =>
  import('./pages/OfflineExchangePage').then((m) => ({ default: m.OfflineExchangePage })),
);
const AssessmentsPage = lazy(() =>
  import('./pages/AssessmentsPage').then((m) => ({ default: m.AssessmentsPage })),
);
const AssessmentFormPage = lazy(() =>
  import('./pages/AssessmentFormPage').then((m) => ({ default: m.AssessmentFormPage })),
);
const AssessmentResultPage = lazy(() =>
  import('./pages/AssessmentResultPage').then((m) => ({ default: m.AssessmentResultPage })),
);
const CasesPage = lazy(() => import('./pages/CasesPage').then((m) => ({ default: m.CasesPage })));
const CaseFormPage = lazy(() => import('./pages/CaseFormPage').then((m) => ({ default: m.CaseFormPage })));
const CaseBatchPage = lazy(() => import('./pages/CaseBatchPage').then((m) => ({ default: m.CaseBatchPage })));
const CasePage = lazy(() => import('./pages/CasePage').then((m) => ({ default: m.CasePage })));
const EscalationsPage = lazy(() =>
  import('./pages/EscalationsPage').then((m) => ({ default: m.EscalationsPage })),
);
const DishonestyPage = lazy(() =>
  import('./pages/DishonestyPage').then((m) => ({ default: m.DishonestyPage })),
);
const RosterPage = lazy(() => import('./pages/RosterPage').then((m) => ({ default: m.RosterPage })));
const RecheckPage = lazy(() => import('./pages/RecheckPage').then((m) => ({ default: m.RecheckPage })));
const RecheckAlertsPage = lazy(() =>
  import('./pages/RecheckAlertsPage').then((m) => ({ default: m.RecheckAlertsPage })),
);
const RecheckReportsPage = lazy(() =>
  import('./pages/RecheckReportsPage').then((m) => ({ default: m.RecheckReportsPage })),
);
const StatisticsPage = lazy(() =>
  import('./pages/StatisticsPage').then((m) => ({ default: m.StatisticsPage })),
);
const CaseDashboardPage = lazy(() =>
  import('./pages/CaseDashboardPage').then((m) => ({ default: m.CaseDashboardPage })),
);
const QueryInterfacesPage = lazy(() =>
  import('./pages/QueryInterfacesPage').then((m) => ({ default: m.QueryInterfacesPage })),
);

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/verify" element={<VerifyPage />} />
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="calendar" element={<CalendarPage />} />
              <Route
                path="data"
                element={
                  <RequireScreen screen="my-data">
                    <MyDataPage />
                  </RequireScreen>
                }
              />
              <Route
                path="data/upload"
                element={
                  <RequireScreen screen="my-data">
                    <UploadPage />
                  </RequireScreen>
                }
              />
              <Route
                path="data/batches"
                element={
                  <RequireScreen screen="batches">
                    <BatchesPage />
                  </RequireScreen>
                }
              />
              <Route
                path="data/status"
                element={
                  <RequireScreen screen="data-status">
                    <DeliveryStatusPage />
                  </RequireScreen>
                }
              />
              <Route
                path="data/quality"
                element={
                  <RequireScreen screen="data-quality">
                    <QualityPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/organisations"
                element={
                  <RequireScreen screen="organisations">
                    <OrganisationsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/users"
                element={
                  <RequireScreen screen="users">
                    <UsersPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/sessions"
                element={
                  <RequireScreen screen="sessions">
                    <OnlineSessionsPage />
                  </RequireScreen>
                }
              />
              <Route path="account/security" element={<AccountSecurityPage />} />
              <Route
                path="webhooks"
                element={
                  <RequireScreen screen="webhooks">
                    <WebhooksPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/api-keys"
                element={
                  <RequireScreen screen="api-keys">
                    <ApiKeysPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/delivery-rules"
                element={
                  <RequireScreen screen="delivery-rules">
                    <DeliveryRulesPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/retention"
                element={
                  <RequireScreen screen="retention">
                    <RetentionPage />
                  </RequireScreen>
                }
              />
              <Route
                path="admin/jobs"
                element={
                  <RequireScreen screen="jobs">
                    <JobsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="policy-profiles"
                element={
                  <RequireScreen screen="policy-profiles">
                    <PolicyProfilesPage />
                  </RequireScreen>
                }
              />
              <Route
                path="query-interfaces"
                element={
                  <RequireScreen screen="query-interfaces">
                    <QueryInterfacesPage />
                  </RequireScreen>
                }
              />
              <Route
                path="offline-exchanges"
                element={
                  <RequireScreen screen="offline-exchange">
                    <OfflineExchangePage />
                  </RequireScreen>
                }
              />
              <Route
                path="assessments"
                element={
                  <RequireScreen screen="assessments">
                    <AssessmentsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="assessments/new"
                element={
                  <RequireScreen screen="assessments">
                    <AssessmentFormPage />
                  </RequireScreen>
                }
              />
              <Route
                path="assessments/:id"
                element={
                  <RequireScreen screen="assessments">
                    <AssessmentResultPage />
                  </RequireScreen>
                }
              />
              <Route
                path="cases"
                element={
                  <RequireScreen screen="cases">
                    <CasesPage />
                  </RequireScreen>
                }
              />
              <Route
                path="roster"
                element={
                  <RequireScreen screen="roster">
                    <RosterPage />
                  </RequireScreen>
                }
              />
              <Route
                path="rechecks"
                element={
                  <RequireScreen screen="rechecks">
                    <RecheckPage />
                  </RequireScreen>
                }
              />
              <Route
                path="recheck-alerts"
                element={
                  <RequireScreen screen="recheck-alerts">
                    <RecheckAlertsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="recheck-reports"
                element={
                  <RequireScreen screen="recheck-reports">
                    <RecheckReportsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="statistics"
                element={
                  <RequireScreen screen="statistics">
                    <StatisticsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="cases/dashboard"
                element={
                  <RequireScreen screen="case-dashboard">
                    <CaseDashboardPage />
                  </RequireScreen>
                }
              />
              <Route
                path="cases/new"
                element={
                  <RequireScreen screen="cases">
                    <CaseFormPage />
                  </RequireScreen>
                }
              />
              <Route
                path="cases/batch"
                element={
                  <RequireScreen screen="cases">
                    <CaseBatchPage />
                  </RequireScreen>
                }
              />
              <Route
                path="cases/:id"
                element={
                  <RequireScreen screen="cases">
                    <CasePage />
                  </RequireScreen>
                }
              />
              <Route
                path="dishonesty"
                element={
                  <RequireScreen screen="dishonesty">
                    <DishonestyPage />
                  </RequireScreen>
                }
              />
              <Route
                path="exports"
                element={
                  <RequireScreen screen="exports">
                    <ExportsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="escalations"
                element={
                  <RequireScreen screen="escalations">
                    <EscalationsPage />
                  </RequireScreen>
                }
              />
              <Route
                path="audit"
                element={
                  <RequireScreen screen="audit">
                    <AuditPage />
                  </RequireScreen>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
