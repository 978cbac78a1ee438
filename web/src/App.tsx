import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { RequireAuth, RequireScreen } from './auth/guards';
import { SessionProvider } from './auth/session';
import { I18nProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './pages/LoginPage';
import {
  ApiKeysPage,
  AuditPage,
  BatchesPage,
  CalendarPage,
  DeliveryRulesPage,
  DeliveryStatusPage,
  HomePage,
  MyDataPage,
  OrganisationsPage,
  QualityPage,
  UploadPage,
  UsersPage,
} from './pages/lazy';
import { NotFoundPage } from './pages/ResultPages';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
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
