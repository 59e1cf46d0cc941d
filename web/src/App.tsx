import { lazy, Suspense, type ReactElement } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { Center, Loader } from "@mantine/core";
import { useAuth } from "./auth/AuthContext";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/LoginPage";
import { OverviewPage } from "./pages/OverviewPage";
import { LeadsPage } from "./pages/LeadsPage";
import { LiveMonitorPage } from "./pages/LiveMonitorPage";
import type { User } from "./api/client";
import { LiveProvider } from "./live/LiveFeed";

// Pages a role does not reach are not even loaded: each is its own chunk.
const LeadDetailPage = lazy(() => import("./pages/LeadDetailPage"));
const ImportWizardPage = lazy(() => import("./pages/ImportWizardPage"));
const CampaignsPage = lazy(() => import("./pages/CampaignsPage"));
const CampaignPage = lazy(() => import("./pages/CampaignPage"));
const CampaignWizardPage = lazy(() => import("./pages/CampaignWizardPage"));
const CompliancePage = lazy(() => import("./pages/CompliancePage"));
const SettingsPage = lazy(() => import("./pages/SettingsPage"));
const ReportsPage = lazy(() => import("./pages/ReportsPage"));
const TestCallPage = lazy(() => import("./pages/TestCallPage"));

function Guard({ role, children }: { role: User["role"]; children: ReactElement }) {
  const { atLeast } = useAuth();
  return atLeast(role) ? children : <Navigate to="/" replace />;
}

export function App() {
  const { user, ready } = useAuth();
  const location = useLocation();
  if (!ready) {
    return (
      <Center h="100vh">
        <Loader aria-label="loading" />
      </Center>
    );
  }
  if (!user) {
    if (location.pathname !== "/login")
      return <Navigate to="/login" replace state={{ from: location.pathname }} />;
    return <LoginPage />;
  }
  return (
    <LiveProvider>
    <Layout>
      <Suspense
        fallback={
          <Center h={200}>
            <Loader aria-label="loading" />
          </Center>
        }
      >
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="/leads" element={<LeadsPage />} />
          <Route path="/leads/:id" element={<LeadDetailPage />} />
          <Route path="/live" element={<LiveMonitorPage />} />
          <Route path="/imports" element={<Guard role="manager"><ImportWizardPage /></Guard>} />
          <Route path="/campaigns" element={<CampaignsPage />} />
          <Route path="/campaigns/new" element={<Guard role="manager"><CampaignWizardPage /></Guard>} />
          <Route path="/campaigns/:id" element={<CampaignPage />} />
          <Route path="/campaigns/:id/test" element={<Guard role="manager"><TestCallPage /></Guard>} />
          <Route path="/campaigns/:id/edit" element={<Guard role="manager"><CampaignWizardPage /></Guard>} />
          <Route path="/reports" element={<Guard role="manager"><ReportsPage /></Guard>} />
          <Route path="/compliance" element={<Guard role="manager"><CompliancePage /></Guard>} />
          <Route path="/settings" element={<Guard role="admin"><SettingsPage /></Guard>} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </Layout>
    </LiveProvider>
  );
}
